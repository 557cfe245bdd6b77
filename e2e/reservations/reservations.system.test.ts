import { randomBytes } from 'node:crypto';
import { signDevelopmentToken } from '@booking/gateway';
import {
  developmentInternalSecret,
  identityHeaders,
  internalSecretHeader,
} from '@booking/server-kit';
import { type RunningSystem, type ServiceProcess, startSystem } from '@booking/tools';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPostgresDatabase } from '../../subgraphs/scheduling/test/ledgerDatabases.js';

const patient = {
  personalIdentityNumber: '19900101-0017',
  givenName: 'Selma',
  familyName: 'Lagerlöf',
};
const reserve = /* GraphQL */ `
  mutation ($input: ReserveSlotInput!) {
    reserveSlot(input: $input) {
      __typename
      ... on ReservationResult { reservation { id status providerReference } }
      ... on SlotUnavailable { slotId }
    }
  }
`;

interface GraphQLBody {
  // biome-ignore lint/suspicious/noExplicitAny: tests walk untyped GraphQL results by path
  data?: any;
  errors?: { message: string }[];
}

/** Every scope but admin: what a booking frontend's backend would hold. */
const clientScopes = ['availability:read', 'reservations:read', 'reservations:write'] as const;
const tokens = new Map<string, Promise<string>>();

/**
 * Sends a GraphQL request as `clientId`: to the gateway with a development JWT, or straight to a
 * scheduling instance as the gateway would (internal secret and identity headers).
 */
async function post(
  url: string,
  query: string,
  variables: object,
  clientId = 'system-test',
): Promise<GraphQLBody> {
  if (!tokens.has(clientId)) {
    tokens.set(clientId, signDevelopmentToken({ clientId, scopes: [...clientScopes] }));
  }
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await tokens.get(clientId)}`,
      [internalSecretHeader]: developmentInternalSecret,
      [identityHeaders.clientId]: clientId,
      [identityHeaders.scopes]: clientScopes.join(' '),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLBody;
}

describe('reservations across real processes sharing one PostgreSQL and one Redis', () => {
  let system: RunningSystem;
  let second: ServiceProcess;
  let database: { url: string; drop: () => Promise<void> };
  let sql: pg.Pool;
  const logs: string[] = [];
  const slots: string[] = [];
  /** Redis on this machine and in CI; this run's keys have their own prefix, deleted after. */
  const sharedCache = {
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    CACHE_KEY_PREFIX: `test:reservations:${randomBytes(6).toString('hex')}:`,
  };
  const schedulingEnv = {
    PROVIDER_DEADLINE_MS: '3000',
    RECONCILE_AFTER_MS: '3500',
    RECONCILE_INTERVAL_MS: '500',
    ...sharedCache,
  };

  const simulator = () => system.urls['simulator-cliniq']!;
  async function configureSimulator(config: object) {
    await fetch(`${simulator()}/_admin/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(config),
    });
  }
  async function bookingsAtProvider(slotLocalId?: string) {
    const response = await fetch(`${simulator()}/_admin/bookings?tenant=nordklinik`);
    const body = (await response.json()) as {
      bookings: { slotId: string; status: string; origin: string }[];
    };
    return body.bookings.filter(
      (b) =>
        b.origin === 'api' && b.status === 'booked' && (!slotLocalId || b.slotId === slotLocalId),
    );
  }
  const localSlotId = (publicId: string) =>
    (JSON.parse(Buffer.from(publicId, 'base64url').toString('utf8')) as string[])[2]!;

  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    sql = new pg.Pool({ connectionString: database.url, max: 2 });
    system = await startSystem({
      ports: 'free',
      colour: false,
      output: (line) => logs.push(line),
      // Every service at its most verbose, so the redaction test reads everything that can be logged.
      env: {
        scheduling: { DATABASE_URL: database.url, ...schedulingEnv, LOG_LEVEL: 'debug' },
        gateway: { LOG_LEVEL: 'debug' },
        'provider-cliniq': { LOG_LEVEL: 'debug' },
        // The race is about the ledger, not the vendor's rate limit (50/s per key by default).
        'simulator-cliniq': { LOG_LEVEL: 'debug', CLINIQ_RATE_LIMIT_PER_SECOND: '1000' },
      },
    });
    second = await system.startInstance('scheduling', {
      env: { DATABASE_URL: database.url, ...sharedCache },
    });
    const from = new Date(Date.now() + 3 * 24 * 3600_000);
    const { data } = await post(
      system.urls.gateway!,
      'query ($filter: AvailabilityFilter!) { availability(filter: $filter, first: 100) { edges { node { id provider { name } } } } }',
      {
        filter: {
          from: from.toISOString(),
          to: new Date(from.getTime() + 4 * 24 * 3600_000).toISOString(),
        },
      },
    );
    for (const edge of data.availability.edges) {
      if (edge.node.provider.name === 'Nordklinik') slots.push(edge.node.id);
    }
    expect(slots.length).toBeGreaterThan(5);
  });
  afterAll(async () => {
    await system?.stop();
    await sql?.end();
    await database?.drop();
    const redis = new Redis(sharedCache.REDIS_URL);
    const keys = await redis.keys(`${sharedCache.CACHE_KEY_PREFIX}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('books one slot exactly once when 50 concurrent reserveSlot calls race over two scheduling instances', async () => {
    const slotId = slots.shift()!;
    const instances = [system.processes.scheduling!.url, second.url];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post(
          instances[i % 2]!,
          reserve,
          { input: { slotId, patient, idempotencyKey: `race-${i}` } },
          `client-${i}`,
        ),
      ),
    );
    const outcomes = results.map((r) => r.data?.reserveSlot?.__typename ?? r.errors?.[0]?.message);
    expect(outcomes.filter((o) => o === 'ReservationResult')).toHaveLength(1);
    expect(
      outcomes.filter((o) => o === 'SlotUnavailable'),
      JSON.stringify(outcomes.filter((o) => o !== 'SlotUnavailable')),
    ).toHaveLength(49);
    const winner = results.find((r) => r.data?.reserveSlot?.__typename === 'ReservationResult');
    expect(winner?.data.reserveSlot.reservation.status).toBe('CONFIRMED');
    expect(await bookingsAtProvider(localSlotId(slotId))).toHaveLength(1);
    const live = await sql.query(
      `select count(*)::int as n from reservations where slot_id = $1 and status in ('PENDING','HELD','CONFIRMED')`,
      [localSlotId(slotId)],
    );
    expect(live.rows[0].n).toBe(1);
  });

  it('shares the slot cache and its invalidations between the two instances through Redis', async () => {
    const [a, b] = [system.processes.scheduling!.url, second.url];
    const availability = `query ($filter: AvailabilityFilter!) { availability(filter: $filter, first: 200) {
      edges { node { id provider { name } } } providerOutcomes { provider { name } status ageMs } } }`;
    const from = new Date(Date.now() + 9 * 24 * 3600_000);
    const filter = {
      from: from.toISOString(),
      to: new Date(from.getTime() + 24 * 3600_000).toISOString(),
    };
    const search = async (url: string, extra: object = {}) => {
      const { data } = await post(url, availability, { filter: { ...filter, ...extra } }, 'cache');
      const nord = data.availability.providerOutcomes.find(
        (o: { provider: { name: string } }) => o.provider.name === 'Nordklinik',
      );
      const ids = data.availability.edges
        .filter(
          (e: { node: { provider: { name: string } } }) => e.node.provider.name === 'Nordklinik',
        )
        .map((e: { node: { id: string } }) => e.node.id);
      return { ids: ids as string[], outcome: nord as { status: string; ageMs: number } };
    };
    const requests = async () => {
      const body = (await (await fetch(`${simulator()}/_admin/traffic`)).json()) as {
        tenants: Record<string, { requests: number }>;
      };
      return body.tenants.nordklinik?.requests ?? 0;
    };

    // Found through a treatment filter, so the unfiltered answer is first asked after the booking.
    const slotId = (await search(b, { treatmentId: 'general-practitioner' })).ids[0]!;
    const booked = await post(
      a,
      reserve,
      { input: { slotId, patient, idempotencyKey: 'cache-book' } },
      'cache',
    );
    expect(booked.data.reserveSlot.reservation.status).toBe('CONFIRMED');
    const onB = await search(b);
    expect(onB.outcome).toMatchObject({ status: 'OK', ageMs: 0 });
    expect(onB.ids).not.toContain(slotId);
    // A has never asked for this window: it gets B's answer from Redis, without asking the provider.
    const before = await requests();
    const onA = await search(a);
    expect(onA.outcome.ageMs).toBeGreaterThan(0);
    expect(onA.ids).toEqual(onB.ids);
    expect(await requests()).toBe(before);

    // A cancels: B's shared answer (fresh for 15 s) is dropped, so B offers the slot at once.
    const cancelled = await post(
      a,
      `mutation ($input: CancelReservationInput!) { cancelReservation(input: $input) {
        ... on ReservationResult { reservation { status } } } }`,
      {
        input: {
          reservationId: booked.data.reserveSlot.reservation.id,
          idempotencyKey: 'cache-cancel',
        },
      },
      'cache',
    );
    expect(cancelled.data.cancelReservation.reservation.status).toBe('CANCELLED');
    expect((await search(b)).ids).toContain(slotId);
  });

  it('recovers a booking the provider made while scheduling was killed before recording it', async () => {
    const slotId = slots.shift()!;
    const idempotencyKey = 'crash-1';
    const victim = await system.startInstance('scheduling', {
      env: { DATABASE_URL: database.url },
    });
    await configureSimulator({ tenants: { nordklinik: { responseDelayMs: 1500 } } });
    try {
      const lost = post(
        victim.url,
        reserve,
        { input: { slotId, patient, idempotencyKey } },
        'crash-client',
      ).catch((error: unknown) => error);
      // Kill scheduling after the provider has booked but before its answer arrives.
      await new Promise((resolve) => setTimeout(resolve, 800));
      await victim.kill();
      await lost;
      expect(await bookingsAtProvider(localSlotId(slotId))).toHaveLength(1);
      const pending = await sql.query('select id, status from reservations where slot_id = $1', [
        localSlotId(slotId),
      ]);
      expect(pending.rows).toEqual([{ id: expect.any(String), status: 'PENDING' }]);
    } finally {
      await configureSimulator({ tenants: { nordklinik: { responseDelayMs: null } } });
    }

    const restarted = await system.startInstance('scheduling', {
      env: { DATABASE_URL: database.url },
    });
    const settledBy = Date.now() + 15_000;
    let status = 'PENDING';
    while (status === 'PENDING' && Date.now() < settledBy) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (
        await sql.query('select status from reservations where slot_id = $1', [localSlotId(slotId)])
      ).rows[0].status;
    }
    expect(status).toBe('CONFIRMED');
    const retry = await post(
      restarted.url,
      reserve,
      { input: { slotId, patient, idempotencyKey } },
      'crash-client',
    );
    expect(retry.data.reserveSlot.reservation.status).toBe('CONFIRMED');
    expect(await bookingsAtProvider(localSlotId(slotId))).toHaveLength(1);
    const events = await sql.query(
      `select to_status, operation from reservation_events e join reservations r on r.id = e.reservation_id
       where r.slot_id = $1 order by e.id`,
      [localSlotId(slotId)],
    );
    expect(events.rows.map((e) => e.to_status)).toEqual(['PENDING', 'CONFIRMED']);
    expect(events.rows[1].operation).toBe('RECONCILE');
  });

  it('never writes patient identity numbers, names or contact details to any service log', async () => {
    const gateway = system.urls.gateway!;
    const slotId = slots.shift()!;
    const held = await post(
      gateway,
      'mutation ($input: HoldSlotInput!) { holdSlot(input: $input) { ... on ReservationResult { reservation { id } } } }',
      {
        input: { slotId, idempotencyKey: 'pii-hold' },
      },
    );
    const reservationId = held.data.holdSlot.reservation.id;
    const contact = { ...patient, email: 'selma.lagerlof@example.se', phone: '070-123 45 67' };
    // One valid confirmation and one the provider rejects, so error paths log too.
    await post(
      gateway,
      'mutation ($input: ConfirmReservationInput!) { confirmReservation(input: $input) { __typename } }',
      {
        input: { reservationId, patient: contact, idempotencyKey: 'pii-confirm' },
      },
    );
    await post(
      gateway,
      'mutation ($input: ReserveSlotInput!) { reserveSlot(input: $input) { __typename } }',
      {
        input: {
          slotId: slots.shift(),
          patient: { ...contact, personalIdentityNumber: '19900101-0018' },
          idempotencyKey: 'pii-bad',
        },
      },
    );
    await post(
      gateway,
      'mutation ($input: CancelReservationInput!) { cancelReservation(input: $input) { __typename } }',
      {
        input: { reservationId, idempotencyKey: 'pii-cancel' },
      },
    );
    const text = logs.join('\n');
    // The booking session did reach the logs (so their absence of patient data means something).
    expect(text).toContain('reservation transition');
    expect(text).toMatch(/"?to"?[=:]"?CANCELLED/);
    for (const secret of [
      '199001010017',
      '19900101-0017',
      '900101-0017',
      '19900101-0018',
      'Selma',
      'Lagerl',
      'selma.lagerlof',
      '123 45 67',
      '701234567',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
