import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DedicatedPostgres, startDedicatedPostgres } from '../support/dedicatedPostgres.js';
import { createInProcessGraph, type InProcessGraph } from '../support/inProcessGraph.js';

const patient = {
  personalIdentityNumber: '19900101-0017',
  givenName: 'Karin',
  familyName: 'Boye',
};
const reserve = `mutation ($input: ReserveSlotInput!) { reserveSlot(input: $input) {
  __typename ... on ReservationResult { reservation { id status } } } }`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Scheduling over a PostgreSQL server of this test's own, which the test breaks: its
 * connections terminated (what a restart, a fail-over or a proxy's idle timeout does), idle and
 * under load, and the whole server stopped and started again.
 */
describe('scheduling when its PostgreSQL goes away', () => {
  let postgres: DedicatedPostgres;
  let graph: InProcessGraph;
  let schedulingUrl: string;
  let slots: string[];
  let counter = 0;
  const key = () => `db-fault-${Date.now()}-${++counter}`;

  /** Ends every connection scheduling has, as `pg_terminate_backend` from an operator would. */
  async function terminateConnections(): Promise<number> {
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where backend_type = 'client backend' and pid <> pg_backend_pid()`,
      );
      return rowCount ?? 0;
    } finally {
      await admin.end();
    }
  }
  /** One `reserveSlot`: the reservation's status, or the error code it was refused with. */
  async function reserveOnce(slotId: string, idempotencyKey: string): Promise<string> {
    const { data, errors } = await graph.execute(reserve, {
      input: { slotId, patient, idempotencyKey },
    });
    if (errors?.length) return String(errors[0]!.extensions?.code);
    return data.reserveSlot.reservation?.status ?? data.reserveSlot.__typename;
  }
  /**
   * Answers a client is told to repeat with the same key: the ledger was unreachable, or the
   * first call's claim is still held (its release died with the connection) until it lapses.
   */
  const repeatable = new Set(['SERVICE_UNAVAILABLE', 'ProviderUnavailable']);
  /** `reserveOnce`, repeated with the same key while the answer says to (for up to 10 s). */
  async function reserveRepeating(slotId: string, idempotencyKey: string): Promise<string> {
    let answer = await reserveOnce(slotId, idempotencyKey);
    for (let round = 0; repeatable.has(answer) && round < 20; round += 1) {
      await sleep(500);
      answer = await reserveOnce(slotId, idempotencyKey);
    }
    return answer;
  }
  async function ledgerStatuses(): Promise<Record<string, number>> {
    const rows = await graph.scheduling.ledger.db
      .selectFrom('reservations')
      .select(['status'])
      .execute();
    const counts: Record<string, number> = {};
    for (const { status } of rows) counts[status] = (counts[status] ?? 0) + 1;
    return counts;
  }
  /** Bookings the platform made at the simulator, and whether any slot is booked twice. */
  async function simulatorBookings() {
    const response = await fetch(`${graph.simulator.url}/_admin/bookings?tenant=nordklinik`);
    const body = (await response.json()) as {
      bookings: { slotId: string; status: string; origin: string }[];
    };
    const booked = body.bookings.filter((b) => b.origin === 'api' && b.status === 'booked');
    return { count: booked.length, distinctSlots: new Set(booked.map((b) => b.slotId)).size };
  }
  const ready = async () => (await fetch(`${schedulingUrl}/health/ready`)).status;

  beforeAll(async () => {
    postgres = await startDedicatedPostgres();
    graph = await createInProcessGraph({
      deadlineMs: 1500,
      // The bookings are about the ledger, not Cliniq's rate limit (50/s per tenant).
      simulator: { rateLimitPerSecond: 100_000 },
      scheduling: {
        DATABASE_URL: postgres.url,
        RECONCILE_AFTER_MS: '2000',
        RECONCILE_INTERVAL_MS: '600000',
      },
    });
    schedulingUrl = await graph.scheduling.http.listen(0, '127.0.0.1');
    const { data } = await graph.execute('{ providers { id name } }');
    const nordklinik = data.providers.find((p: { name: string }) => p.name === 'Nordklinik').id;
    const from = new Date(Date.now() + 2 * 24 * 3600_000);
    const found = await graph.execute(
      'query ($filter: AvailabilityFilter!) { availability(filter: $filter, first: 100) { edges { node { id } } } }',
      {
        filter: {
          from: from.toISOString(),
          to: new Date(from.getTime() + 7 * 24 * 3600_000).toISOString(),
          providerIds: [nordklinik],
        },
      },
    );
    slots = found.data.availability.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(slots.length).toBeGreaterThanOrEqual(40);
  }, 60_000);
  afterAll(async () => {
    await graph?.stop();
    await postgres?.remove();
  });

  it('stays up when its connections are terminated, idle and under load; retries with the same key book each slot once', async () => {
    // Idle: the pool's connections die between requests. The next request gets new ones, or —
    // when it took a connection whose end had not arrived yet — is told to repeat it.
    expect(await reserveOnce(slots.shift()!, key())).toBe('CONFIRMED');
    expect(await terminateConnections()).toBeGreaterThan(0);
    expect(await reserveRepeating(slots.shift()!, key())).toBe('CONFIRMED');
    expect(await ledgerStatuses()).toEqual({ CONFIRMED: 2 });

    // Under load: 24 bookings at once while every connection is terminated twice.
    const attempts = slots.splice(0, 24).map((slotId) => ({ slotId, key: key() }));
    const first = Promise.all(attempts.map((a) => reserveOnce(a.slotId, a.key)));
    await sleep(40);
    await terminateConnections();
    await sleep(60);
    await terminateConnections();
    const answers = await first;
    // A request whose statement died is told to repeat it; nothing else.
    for (const answer of answers) {
      expect(['CONFIRMED', 'PENDING', ...repeatable]).toContain(answer);
    }
    // Repeating with the same key never books twice; what the provider made is settled.
    for (const [i, attempt] of attempts.entries()) {
      const answer = repeatable.has(answers[i]!)
        ? await reserveRepeating(attempt.slotId, attempt.key)
        : answers[i];
      expect(['CONFIRMED', 'PENDING']).toContain(answer);
    }
    await sleep(2100);
    await graph.scheduling.reconciler.tick();
    expect(await ledgerStatuses()).toEqual({ CONFIRMED: 26 });
    expect(await simulatorBookings()).toEqual({ count: 26, distinctSlots: 26 });
    expect(await ready()).toBe(200);
  }, 60_000);

  it('refuses as retryable and is not ready while the server is down, then books once when it is back', async () => {
    const slotId = slots.shift()!;
    const idempotencyKey = key();
    const before = await simulatorBookings();
    await postgres.stop();
    expect(await reserveOnce(slotId, idempotencyKey)).toBe('SERVICE_UNAVAILABLE');
    expect(await ready()).toBe(503);
    expect(await simulatorBookings()).toEqual(before);

    await postgres.start();
    const deadline = Date.now() + 15_000;
    while ((await ready()) !== 200 && Date.now() < deadline) await sleep(200);
    expect(await ready()).toBe(200);
    expect(await reserveOnce(slotId, idempotencyKey)).toBe('CONFIRMED');
    expect((await simulatorBookings()).count).toBe(before.count + 1);
  }, 60_000);
});
