import { randomBytes } from 'node:crypto';
import { createLogger } from '@booking/server-kit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLedger,
  type Ledger,
  type NewReservation,
  reservationChangeOf,
} from '../src/access/ledger/createLedger.js';
import { createLedgerDatabase } from '../src/access/ledger/createLedgerDatabase.js';
import {
  createLiveReservations,
  type LiveReservations,
} from '../src/access/ledger/createLiveReservations.js';
import { slotIdentity } from '../src/engines/mergeSlots.js';
import { createTestPostgresDatabase } from './ledgerDatabases.js';

/** Redis on this machine and in CI; this file's channel has its own prefix. */
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const start = Date.parse('2030-05-04T07:00:00.000Z');
const window = [start - 3600_000, start + 3600_000] as const;
const logger = createLogger({ service: 'scheduling', level: 'silent' });

let slotCounter = 0;
const newReservation = (slotId = `slot-${++slotCounter}`): NewReservation => ({
  clientId: 'client-a',
  connectionId: 'cliniq-nordklinik',
  slotId,
  status: 'HELD',
  pendingOperation: null,
  holdKind: 'PLATFORM',
  expiresAt: null,
  snapshot: {
    clinicId: 'c1',
    start: new Date(start).toISOString(),
    end: new Date(start + 20 * 60_000).toISOString(),
    treatmentIds: [],
    requestedTreatmentId: null,
    practitioner: null,
  },
  patientSealed: null,
  rescheduledFrom: null,
});

/** One scheduling instance's ledger and live set, wired as `server.ts` wires them. */
interface Instance {
  ledger: Ledger;
  live: LiveReservations;
}

async function waitFor(check: () => boolean, withinMs: number): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return Date.now() - started;
}

describe('live reservations shared by scheduling instances over one PostgreSQL ledger', () => {
  let database: { url: string; drop: () => Promise<void> };
  const channel = `test:live:${randomBytes(6).toString('hex')}:live-reservations`;
  const instances: Instance[] = [];

  async function startInstance(options: { redis: boolean; resyncMs: number }): Promise<Instance> {
    let live: LiveReservations | undefined;
    const ledger = createLedger(
      await createLedgerDatabase({ databaseUrl: database.url, embeddedDataDir: 'memory://' }),
      Date.now,
      undefined,
      async (row) => {
        await live?.record(reservationChangeOf(row));
      },
    );
    live = await createLiveReservations({
      load: (from) => ledger.liveReservations(from),
      redisUrl: options.redis ? redisUrl : undefined,
      channel,
      resyncMs: options.resyncMs,
      logger,
      now: Date.now,
    });
    const instance = { ledger, live };
    instances.push(instance);
    return instance;
  }
  const taken = (instance: Instance, slotId: string) =>
    instance.live.reservedIn(...window)?.has(slotIdentity('cliniq-nordklinik', slotId)) === true;

  beforeAll(async () => {
    database = await createTestPostgresDatabase();
  });
  afterAll(async () => {
    for (const { live, ledger } of instances) {
      await live.close();
      await ledger.close();
    }
    await database?.drop();
  });

  it('hides on one instance, within a bounded time, a slot booked or released on the other', async () => {
    // Resyncs an hour apart: only Redis can tell B in time.
    const a = await startInstance({ redis: true, resyncMs: 3600_000 });
    const b = await startInstance({ redis: true, resyncMs: 3600_000 });
    const row = (await a.ledger.insert(newReservation()))!;
    expect(taken(a, row.slot_id)).toBe(true);
    await waitFor(() => taken(b, row.slot_id), 2000);
    await a.ledger.transition(row.id, { from: ['HELD'], to: 'CANCELLED', operation: 'CANCEL' });
    expect(taken(a, row.slot_id)).toBe(false);
    await waitFor(() => !taken(b, row.slot_id), 2000);
  });

  it('loads what was booked before it started (an instance that starts late)', async () => {
    const a = instances[0]!;
    const row = (await a.ledger.insert(newReservation()))!;
    const late = await startInstance({ redis: true, resyncMs: 3600_000 });
    expect(taken(late, row.slot_id)).toBe(true);
  });

  it('catches up by resync when a change never reaches it (no Redis, or a dropped message)', async () => {
    const a = instances[0]!;
    const cut = await startInstance({ redis: false, resyncMs: 200 });
    const row = (await a.ledger.insert(newReservation()))!;
    expect(taken(cut, row.slot_id)).toBe(false);
    await waitFor(() => taken(cut, row.slot_id), 3000);
    await a.ledger.transition(row.id, { from: ['HELD'], to: 'EXPIRED', operation: 'EXPIRE' });
    await waitFor(() => !taken(cut, row.slot_id), 3000);
  });

  it('never decides a booking: the ledger refuses a second live reservation whatever a set believes', async () => {
    const a = instances[0]!;
    const unaware = await startInstance({ redis: false, resyncMs: 3600_000 });
    const row = (await a.ledger.insert(newReservation()))!;
    expect(taken(unaware, row.slot_id)).toBe(false);
    expect(await unaware.ledger.insert(newReservation(row.slot_id))).toBeNull();
  });

  it('answers null for a window starting before what it holds, so that the ledger is asked', async () => {
    const { live } = instances[0]!;
    expect(live.reservedIn(Date.now() - 2 * 24 * 3600_000, Date.now())).toBeNull();
    expect(live.reservedIn(...window)).not.toBeNull();
  });

  it('ignores what is not a change on its channel', async () => {
    const { live } = instances[0]!;
    const before = live.size;
    const redis = new Redis(redisUrl);
    await redis.publish(channel, 'not json');
    await redis.publish(channel, JSON.stringify({ id: 'x' }));
    redis.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(live.size).toBe(before);
  });
});
