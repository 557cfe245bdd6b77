import { createHash } from 'node:crypto';
import { signDevelopmentToken } from '@booking/gateway';
import { developmentInternalSecret, internalSecretHeader, type Scope } from '@booking/server-kit';
import { type RunningSystem, type ServiceProcess, startSystem } from '@booking/tools';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPostgresDatabase } from '../../subgraphs/scheduling/test/ledgerDatabases.js';
import { fuzzRequests } from './fuzzRequests.js';

const partnerKey = 'partner-backend-key-0123456789';
const patient = {
  personalIdentityNumber: '19900101-0017',
  givenName: 'Greta',
  familyName: 'Garbo',
};
const readWrite: Scope[] = ['availability:read', 'reservations:read', 'reservations:write'];

interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests walk untyped GraphQL results by path
  body: any;
}

async function send(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, body: parsed } as Answer;
}

const bearer = async (clientId: string, scopes: Scope[]) => ({
  authorization: `Bearer ${await signDevelopmentToken({ clientId, scopes })}`,
});

describe('security through the running gateway (npm start code path)', () => {
  let system: RunningSystem;
  let database: { url: string; drop: () => Promise<void> };
  let sql: pg.Pool;
  let limited: ServiceProcess;
  let gateway: string;
  const from = new Date(Date.now() + 2 * 24 * 3600_000);
  const filter = {
    from: from.toISOString(),
    to: new Date(from.getTime() + 2 * 24 * 3600_000).toISOString(),
  };
  const availability = `query ($filter: AvailabilityFilter!) { availability(filter: $filter, first: 200) {
    edges { node { id bookingMethod provider { name } } } } }`;
  const reserve = `mutation ($input: ReserveSlotInput!) { reserveSlot(input: $input) {
    __typename ... on ReservationResult { reservation { id status } } } }`;
  const read = 'query ($id: ID!) { reservation(id: $id) { id status } }';
  const cancel = `mutation ($input: CancelReservationInput!) { cancelReservation(input: $input) {
    __typename ... on ReservationResult { reservation { status } } ... on BookingError { message } } }`;
  let freeSlots: string[] = [];

  beforeAll(async () => {
    database = await createTestPostgresDatabase();
    sql = new pg.Pool({ connectionString: database.url, max: 2 });
    system = await startSystem({
      ports: 'free',
      colour: false,
      output: () => {},
      env: {
        scheduling: { DATABASE_URL: database.url },
        gateway: {
          API_KEYS: JSON.stringify([
            {
              id: 'partner-backend',
              sha256: createHash('sha256').update(partnerKey).digest('hex'),
              scopes: ['availability:read', 'reservations:write'],
            },
          ]),
        },
      },
    });
    gateway = system.graphqlUrl;
    limited = await system.startInstance('gateway', { env: { RATE_LIMIT_PER_MINUTE: '5' } });
    const { body } = await send(gateway, { query: availability, variables: { filter } });
    freeSlots = body.data.availability.edges
      .filter(
        (e: { node: { bookingMethod: string; provider: { name: string } } }) =>
          e.node.bookingMethod === 'API' && e.node.provider.name === 'Nordklinik',
      )
      .map((e: { node: { id: string } }) => e.node.id);
    expect(freeSlots.length).toBeGreaterThan(4);
  });
  afterAll(async () => {
    await system?.stop();
    await sql?.end();
    await database?.drop();
  });

  it('lets anonymous clients read availability but not book: 401 UNAUTHENTICATED', async () => {
    expect((await send(gateway, { query: availability, variables: { filter } })).status).toBe(200);
    const anonymous = await send(gateway, {
      query: reserve,
      variables: { input: { slotId: freeSlots[0], patient, idempotencyKey: 'anon-1' } },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const readOnly = await send(
      gateway,
      {
        query: reserve,
        variables: { input: { slotId: freeSlots[0], patient, idempotencyKey: 'ro-1' } },
      },
      await bearer('reader', ['availability:read']),
    );
    expect(readOnly.status).toBe(403);
    expect(readOnly.body.errors[0].extensions).toMatchObject({
      code: 'FORBIDDEN',
      scope: 'reservations:write',
    });
    const badToken = await send(
      gateway,
      { query: availability, variables: { filter } },
      { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' },
    );
    expect(badToken.status).toBe(401);
  });

  it('keeps each client’s reservations to itself: another client finds nothing, admin finds it', async () => {
    const alice = await bearer('alice', readWrite);
    const bob = await bearer('bob', readWrite);
    const booked = await send(
      gateway,
      {
        query: reserve,
        variables: { input: { slotId: freeSlots.shift(), patient, idempotencyKey: 'a-1' } },
      },
      alice,
    );
    const id = booked.body.data.reserveSlot.reservation.id;
    expect(booked.body.data.reserveSlot.reservation.status).toBe('CONFIRMED');
    expect(
      (await send(gateway, { query: read, variables: { id } }, alice)).body.data.reservation.id,
    ).toBe(id);
    // Bob: the same answer as for an id that does not exist.
    expect(
      (await send(gateway, { query: read, variables: { id } }, bob)).body.data.reservation,
    ).toBeNull();
    const bobCancels = await send(
      gateway,
      { query: cancel, variables: { input: { reservationId: id, idempotencyKey: 'b-1' } } },
      bob,
    );
    expect(bobCancels.body.data.cancelReservation).toMatchObject({
      __typename: 'InvalidInput',
      message: expect.stringMatching(/no such reservation/),
    });
    const admin = await bearer('support', ['admin']);
    expect(
      (await send(gateway, { query: read, variables: { id } }, admin)).body.data.reservation,
    ).toMatchObject({ id, status: 'CONFIRMED' });
  });

  it('keeps a patient’s reservations to that patient, across the gateway’s identity headers; the application’s backend sees them all', async () => {
    const patientOf = async (subject: string) => ({
      authorization: `Bearer ${await signDevelopmentToken({ clientId: 'vården-web', subject, scopes: readWrite })}`,
    });
    const astrid = await patientOf('patient-astrid');
    const selma = await patientOf('patient-selma');
    const backend = await bearer('vården-web', readWrite);
    const booked = await send(
      gateway,
      {
        query: reserve,
        variables: { input: { slotId: freeSlots.shift(), patient, idempotencyKey: 'p-1' } },
      },
      astrid,
    );
    const id = booked.body.data.reserveSlot.reservation.id;
    expect(
      (await send(gateway, { query: read, variables: { id } }, selma)).body.data.reservation,
    ).toBeNull();
    const selmaCancels = await send(
      gateway,
      { query: cancel, variables: { input: { reservationId: id, idempotencyKey: 'p-1' } } },
      selma,
    );
    expect(selmaCancels.body.data.cancelReservation.__typename).toBe('InvalidInput');
    const mine = 'query { myReservations { edges { node { id } } totalCount } }';
    const astridsList = (await send(gateway, { query: mine }, astrid)).body.data.myReservations;
    expect(astridsList).toEqual({ edges: [{ node: { id } }], totalCount: 1 });
    expect((await send(gateway, { query: mine }, selma)).body.data.myReservations.totalCount).toBe(
      0,
    );
    expect(
      (await send(gateway, { query: read, variables: { id } }, backend)).body.data.reservation,
    ).toMatchObject({ id, status: 'CONFIRMED' });
  });

  it('accepts a server client by API key, with its scopes', async () => {
    const booked = await send(
      gateway,
      {
        query: reserve,
        variables: { input: { slotId: freeSlots.shift(), patient, idempotencyKey: 'k-1' } },
      },
      { 'x-api-key': partnerKey },
    );
    expect(booked.body.data.reserveSlot.reservation.status).toBe('CONFIRMED');
    // Its key has no reservations:read.
    const reading = await send(
      gateway,
      { query: read, variables: { id: booked.body.data.reserveSlot.reservation.id } },
      { 'x-api-key': partnerKey },
    );
    expect(reading.status).toBe(403);
    expect(
      (await send(gateway, { query: availability, variables: { filter } }, { 'x-api-key': 'nope' }))
        .status,
    ).toBe(401);
  });

  it('keeps subgraphs closed to anyone but the platform: direct calls without the internal secret get 401', async () => {
    for (const name of [
      'scheduling',
      'provider-cliniq',
      'provider-fhir',
      'provider-rivta',
      'provider-smart',
    ]) {
      const url = `${system.urls[name]}/graphql`;
      const direct = await send(url, { query: '{ __typename }' });
      expect(direct.status, name).toBe(401);
      expect(direct.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      const inside = await send(
        url,
        { query: '{ __typename }' },
        { [internalSecretHeader]: developmentInternalSecret },
      );
      expect(inside.status, name).toBe(200);
    }
    // The hidden provider contract, which the public API does not expose, is not callable either.
    const contract = await send(`${system.urls['provider-cliniq']}/graphql`, {
      query: '{ contractConnections { id } }',
    });
    expect(contract.status).toBe(401);
  });

  it('limits requests per client: 429 with Retry-After past the limit; other clients unaffected', async () => {
    const url = `${limited.url}/graphql`;
    const client = await bearer('busy-client', ['availability:read']);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 7; i++) {
      const answer = await send(url, { query: '{ treatments { id } }' }, client);
      statuses.push(answer.status);
      if (answer.status === 429) {
        retryAfter = answer.headers.get('retry-after');
        expect(answer.body.errors[0].extensions.code).toBe('RATE_LIMITED');
      }
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    const other = await send(
      url,
      { query: '{ treatments { id } }' },
      await bearer('calm-client', ['availability:read']),
    );
    expect(other.status).toBe(200);
  });

  it('serves a burst of 100 concurrent requests from one client under the development limits', async () => {
    const client = await bearer('bursty', ['availability:read']);
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        send(gateway, { query: '{ providers { id status } }' }, client),
      ),
    );
    expect(answers.map((a) => a.status).filter((s) => s !== 200)).toEqual([]);
  });

  it('refuses abusive documents before any subgraph is asked: depth, aliases, tokens, batches, size', async () => {
    const client = await bearer('abuser', readWrite);
    const chain = (levels: number) =>
      `query ($id: ID!) { reservation(id: $id) { ${'rescheduledFrom { '.repeat(levels)}id${' }'.repeat(levels)} } }`;
    const shallow = await send(gateway, { query: chain(3), variables: { id: 'x' } }, client);
    expect(shallow.body.errors?.[0]?.extensions?.code).not.toBe('GRAPHQL_VALIDATION_FAILED');
    const deep = await send(gateway, { query: chain(20), variables: { id: 'x' } }, client);
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const aliases = await send(gateway, {
      query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: treatments { id }`).join(' ')} }`,
    });
    expect(aliases.status).toBe(400);
    expect(aliases.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const tokens = await send(gateway, { query: `{ treatments { ${'id '.repeat(3000)} } }` });
    expect(tokens.status).toBe(400);
    const batch = await send(gateway, [
      { query: '{ treatments { id } }' },
      { query: '{ providers { id } }' },
    ]);
    expect(batch.status).toBe(400);
    const huge = await send(gateway, { query: `{ treatments { id } } # ${'x'.repeat(300_000)}` });
    expect(huge.status).toBe(413);
  });

  it('fuzz: random documents and variables never get a 5xx or a hang, and change nothing', async () => {
    const before = await sql.query(
      'select count(*)::int as n, max(updated_at) as at from reservations',
    );
    const client = await bearer('fuzzer', readWrite);
    const { documents, variables } = fuzzRequests([
      availability,
      reserve,
      read,
      cancel,
      'query ($first: Int) { clinics(first: $first) { totalCount } }',
      'mutation ($input: HoldSlotInput!) { holdSlot(input: $input) { __typename } }',
      'query ($id: ID!) { slot(id: $id) { id start } }',
    ]);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(documents, variables, fc.boolean(), async (query, vars, withToken) => {
        const answer = await send(gateway, { query, variables: vars }, withToken ? client : {});
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        expect(answer.status).toBeLessThan(500);
        expect(typeof answer.body).toBe('object');
        if (answer.status === 200) {
          expect('data' in answer.body || 'errors' in answer.body).toBe(true);
        } else {
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(Array.isArray(answer.body.errors)).toBe(true);
        }
      }),
      { numRuns: 1500, seed: 20261125, interruptAfterTimeLimit: 120_000 },
    );
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(1500);
    // Both kinds of answer were reached: executed operations and refused documents.
    expect(statuses.get(200)).toBeGreaterThan(100);
    expect(statuses.get(400)).toBeGreaterThan(100);
    for (const name of [
      'gateway',
      'scheduling',
      'provider-cliniq',
      'provider-fhir',
      'provider-rivta',
      'provider-smart',
    ]) {
      expect((await fetch(`${system.urls[name]}/health/ready`)).status, name).toBe(200);
    }
    const after = await sql.query(
      'select count(*)::int as n, max(updated_at) as at from reservations',
    );
    expect(after.rows[0]).toEqual(before.rows[0]);
  }, 180_000);
});
