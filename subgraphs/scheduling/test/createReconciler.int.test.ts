import type { Logger } from '@booking/server-kit';
import { startTestTelemetry, type TestTelemetry } from '@booking/telemetry/testing';
import type { GaugeMetricData } from '@opentelemetry/sdk-metrics';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DirectoryEntry, ProviderDirectory } from '../src/access/createProviderDirectory.js';
import {
  createLedger,
  type Ledger,
  type NewReservation,
} from '../src/access/ledger/createLedger.js';
import {
  createLedgerDatabase,
  type LedgerDatabase,
} from '../src/access/ledger/createLedgerDatabase.js';
import type {
  ProviderAccess,
  ProviderAnswer,
  ProviderLookup,
} from '../src/access/providers/createProviderAccess.js';
import { createPatientCipher } from '../src/engines/createPatientCipher.js';
import { createCursorSealer } from '../src/engines/cursors.js';
import { encodeGlobalId } from '../src/engines/globalId.js';
import { developmentPatientDataKey } from '../src/environment.js';
import { createReconciler, type ReconcilerOptions } from '../src/manager/createReconciler.js';
import { createReservationManager } from '../src/manager/createReservationManager.js';
import { createSchedulingMetrics } from '../src/schedulingMetrics.js';
import { ledgerBackends, openTestLedger } from './ledgerDatabases.js';

const settleAfterMs = 10_000;
const start = Date.parse('2026-05-04T07:00:00Z');
const cipher = createPatientCipher(developmentPatientDataKey);
const patient = {
  personalIdentityNumber: '199001010017',
  givenName: 'Astrid',
  familyName: 'Lindgren',
  kind: 'personnummer',
  email: null,
  phone: null,
};

/** What a fake provider says to a look-up: per connection, as the test sets it. */
type Said = ProviderAnswer<ProviderLookup>;
const booked = (status: 'BOOKED' | 'HELD' | 'CANCELLED', reservationId = 'r') => ({
  reservationId,
  slotId: 's',
  status,
  providerReference: 'BK-1',
  expiresAt: null,
  start: null,
  end: null,
});
const found = (status: 'BOOKED' | 'HELD' | 'CANCELLED'): Said => ({
  kind: 'answered',
  data: { status: 'FOUND', reason: null, booking: booked(status) },
});
const notBooked: Said = {
  kind: 'answered',
  data: { status: 'NOT_BOOKED', booking: null, reason: null },
};
const cannotTell: Said = {
  kind: 'answered',
  data: { status: 'UNKNOWN', booking: null, reason: 'the reservation index has no entry' },
};
const timedOut: Said = {
  kind: 'uncertain',
  failure: { code: 'TIMEOUT', message: 'no answer', timedOut: true },
};

/** Provider connections that answer as `said` tells, counting every call they get. */
function fakeProviders(said: Map<string, Said>) {
  const lookUps: string[] = [];
  const cancels: string[] = [];
  const books: string[] = [];
  const providers = {
    async findBooking(entry: DirectoryEntry, reservationId: string) {
      lookUps.push(reservationId);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const answer = said.get(entry.connection.id) ?? notBooked;
      return answer.kind === 'answered' && answer.data.booking
        ? {
            ...answer,
            data: { ...answer.data, booking: { ...answer.data.booking, reservationId } },
          }
        : answer;
    },
    async cancel(_entry: DirectoryEntry, input: { reservationId: string }) {
      cancels.push(input.reservationId);
      return {
        kind: 'answered' as const,
        data: {
          booking: booked('CANCELLED', input.reservationId),
          error: null,
        },
      };
    },
    async book(entry: DirectoryEntry, input: { reservationId: string }) {
      books.push(input.reservationId);
      return said.get(entry.connection.id) === timedOut
        ? timedOut
        : {
            kind: 'answered' as const,
            data: {
              booking: null,
              error: { code: 'SLOT_UNAVAILABLE', message: 'taken', field: null, bookingUrl: null },
            },
          };
    },
  };
  return { providers: providers as unknown as ProviderAccess, lookUps, cancels, books };
}

const directory = {
  get: (connectionId: string) =>
    ({
      connection: { id: connectionId, capabilities: ['API_BOOKING'] },
    }) as unknown as DirectoryEntry,
} as unknown as ProviderDirectory;

function spyLogger() {
  const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  return { ...logger, child: () => logger } as unknown as Logger & typeof logger;
}

/** One scheduling instance's reconciliation: its own ledger handle, manager and reconciler. */
function instance(
  db: LedgerDatabase,
  clock: { now: number },
  providers: ProviderAccess,
  options: Partial<ReconcilerOptions> = {},
) {
  const now = () => clock.now;
  const logger = spyLogger();
  const ledger = createLedger(db, now);
  const reservations = createReservationManager({
    ledger,
    directory,
    providers,
    cipher,
    logger,
    now,
    platformHoldMs: 600_000,
    settleAfterMs,
    replayWaitMs: 1000,
    cursors: createCursorSealer('test cursors'),
  });
  const reconciler = createReconciler({
    ledger,
    reservations,
    logger,
    now,
    settleAfterMs,
    intervalMs: 5_000,
    leaseMs: 5_000,
    ...options,
  });
  return { ledger, reservations, reconciler, logger };
}

let slotCounter = 0;
const pendingRow = (connectionId: string, more: Partial<NewReservation> = {}): NewReservation => ({
  clientId: 'client-a',
  connectionId,
  slotId: `slot-${++slotCounter}`,
  status: 'PENDING',
  pendingOperation: 'HOLD',
  holdKind: 'PROVIDER',
  expiresAt: null,
  snapshot: {
    clinicId: 'c1',
    start: '2026-05-11T07:00:00.000Z',
    end: '2026-05-11T07:20:00.000Z',
    treatmentIds: ['general-practitioner'],
    requestedTreatmentId: null,
    practitioner: null,
  },
  patientSealed: null,
  rescheduledFrom: null,
  ...more,
});

async function insertPending(ledger: Ledger, count: number, connectionId: string) {
  const rows = [];
  for (let i = 0; i < count; i += 1) rows.push((await ledger.insert(pendingRow(connectionId)))!);
  return rows;
}

describe.each(ledgerBackends)('the reconciler on %s', (backend) => {
  // A database of its own per test: the ledger's events cannot be deleted between tests.
  let opened: Awaited<ReturnType<typeof openTestLedger>>;
  const extra: LedgerDatabase[] = [];
  beforeEach(async () => {
    opened = await openTestLedger(backend);
  }, 60_000);
  afterEach(async () => {
    for (const db of extra.splice(0)) await db.destroy();
    await opened?.close();
  });
  /** A second instance's own connection pool to the same database (PGlite has only the one). */
  async function secondDatabase(): Promise<LedgerDatabase> {
    if (!opened.url) return opened.db;
    const db = await createLedgerDatabase({
      databaseUrl: opened.url,
      embeddedDataDir: 'memory://',
    });
    extra.push(db);
    return db;
  }

  it('two instances over one ledger look each pending reservation up once', async () => {
    const clock = { now: start };
    const { providers, lookUps } = fakeProviders(new Map());
    const first = instance(opened.db, clock, providers);
    const second = instance(await secondDatabase(), clock, providers);
    const rows = await insertPending(first.ledger, 10, 'cliniq-nordklinik');
    clock.now += settleAfterMs + 1;
    await Promise.all([first.reconciler.tick(), second.reconciler.tick()]);
    expect(lookUps).toHaveLength(10);
    expect(new Set(lookUps)).toEqual(new Set(rows.map((r) => r.id)));
    for (const row of rows) expect((await first.ledger.find(row.id))?.status).toBe('FAILED');
  });

  it('backs off what a down provider cannot settle, so it never starves another provider’s reservations', async () => {
    const clock = { now: start };
    const said = new Map<string, Said>([['square-down', timedOut]]);
    const { providers, lookUps } = fakeProviders(said);
    const { ledger, reconciler } = instance(opened.db, clock, providers, { maxPerRound: 100 });
    const down = await insertPending(ledger, 120, 'square-down'); // the oldest
    clock.now += 1;
    const up = await insertPending(ledger, 3, 'cliniq-up');
    clock.now += settleAfterMs + 1;
    await reconciler.tick(); // 100 of the down provider's, oldest first
    clock.now += 5_000; // the next round, before any of them is due again
    await reconciler.tick();
    for (const row of up) expect((await ledger.find(row.id))?.status).toBe('FAILED');
    const stillPending = await Promise.all(down.map((row) => ledger.find(row.id)));
    expect(stillPending.every((row) => row?.status === 'PENDING' && row.attempts === 1)).toBe(true);
    // Each looked up once: none of the down provider's came back before its backoff.
    expect(lookUps).toHaveLength(123);
    expect(new Set(lookUps).size).toBe(123);
  });

  it('keeps a reservation the provider cannot tell about PENDING, and settles it once it can', async () => {
    const clock = { now: start };
    const said = new Map<string, Said>([['square-stockholm', cannotTell]]);
    const { providers, lookUps, books } = fakeProviders(said);
    const { ledger, reconciler } = instance(opened.db, clock, providers);
    const hold = (await ledger.insert(pendingRow('square-stockholm')))!;
    const booking = (await ledger.insert(
      pendingRow('square-stockholm', {
        pendingOperation: 'BOOK',
        holdKind: null,
        patientSealed: cipher.encrypt(patient),
      }),
    ))!;
    clock.now += settleAfterMs + 1;
    await reconciler.tick();
    // Neither FAILED: a look-up that cannot tell concludes nothing. The booking the patient asked
    // for was sent again, and the provider's refusal did not fail it either.
    expect((await ledger.find(hold.id))?.status).toBe('PENDING');
    expect((await ledger.find(booking.id))?.status).toBe('PENDING');
    expect(books).toEqual([booking.id]);
    said.set('square-stockholm', found('HELD'));
    await reconciler.tick();
    expect(lookUps).toHaveLength(2); // backed off: not asked again at once
    clock.now += settleAfterMs;
    await reconciler.tick();
    expect((await ledger.find(hold.id))?.status).toBe('HELD');
  });

  it('cancels a PENDING reservation by settling it first: what the provider made is cancelled there', async () => {
    const clock = { now: start };
    const said = new Map<string, Said>([['cliniq-nordklinik', found('BOOKED')]]);
    const { providers, cancels } = fakeProviders(said);
    const { ledger, reservations, reconciler } = instance(opened.db, clock, providers);
    const caller = { clientId: 'client-a', subject: null, admin: false };
    const cancel = (row: { id: string; connection_id: string }, key: string) =>
      reservations.cancel(caller, {
        reservationId: encodeGlobalId('Reservation', row.connection_id, row.id),
        idempotencyKey: key,
      });
    const pendingBooking = () =>
      ledger.insert(
        pendingRow('cliniq-nordklinik', {
          pendingOperation: 'BOOK',
          holdKind: null,
          patientSealed: cipher.encrypt(patient),
        }),
      );

    // Its call long over: settled at once. The booking it made is cancelled at the provider.
    const old = (await pendingBooking())!;
    clock.now += settleAfterMs;
    const settled = await cancel(old, 'cancel-old');
    expect(settled).toMatchObject({
      __typename: 'ReservationResult',
      reservation: { status: 'CANCELLED' },
    });
    expect(cancels).toEqual([old.id]);

    // Its call may still be in flight: the cancel is recorded and the reconciler finishes it.
    const young = (await pendingBooking())!;
    const recorded = await cancel(young, 'cancel-young');
    expect(recorded).toMatchObject({ reservation: { status: 'PENDING' } });
    expect((await ledger.find(young.id))?.pending_operation).toBe('CANCEL');
    clock.now += settleAfterMs;
    await reconciler.tick();
    expect((await ledger.find(young.id))?.status).toBe('CANCELLED');
    expect(cancels).toEqual([old.id, young.id]);

    // A provider that cannot tell: nothing is concluded, the cancel stays pending.
    said.set('cliniq-nordklinik', cannotTell);
    const unknown = (await pendingBooking())!;
    clock.now += settleAfterMs;
    expect(await cancel(unknown, 'cancel-unknown')).toMatchObject({
      reservation: { status: 'PENDING' },
    });
    expect(cancels).toHaveLength(2);
  });
});

describe('the reconciler’s alert', () => {
  let telemetry: TestTelemetry;
  let db: LedgerDatabase;
  beforeAll(async () => {
    telemetry = await startTestTelemetry({ graphql: false });
    db = await createLedgerDatabase({ embeddedDataDir: 'memory://' });
  });
  afterAll(async () => {
    await db?.destroy();
    await telemetry?.shutdown();
  });

  it('logs an error and counts the reservation in booking.reservations.overdue once it stays uncertain past the threshold', async () => {
    const clock = { now: start };
    const said = new Map<string, Said>([['rivta-kungsholmen', cannotTell]]);
    const { providers } = fakeProviders(said);
    const metrics = createSchedulingMetrics();
    const { ledger, reconciler, logger } = instance(db, clock, providers, {
      metrics,
      alertAfterMs: 60_000,
    });
    const row = (await ledger.insert(pendingRow('rivta-kungsholmen')))!;
    const overdue = async () =>
      (
        (await telemetry.metrics()).get('booking.reservations.overdue') as GaugeMetricData
      )?.dataPoints.map((point) => [point.attributes['booking.connection'], point.value]);

    clock.now += settleAfterMs + 1;
    await reconciler.tick();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.objectContaining({
        reservation: row.id,
        reason: 'the reservation index has no entry',
      }),
      'reservation still uncertain; looked up again later',
    );
    expect(logger.error).not.toHaveBeenCalled();

    clock.now = start + 61_000;
    await reconciler.tick();
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({
        reservation: row.id,
        connection: 'rivta-kungsholmen',
        provider: 'UNKNOWN',
      }),
      'reservation uncertain past RECONCILE_ALERT_AFTER_MS',
    );
    expect(await overdue()).toEqual([['rivta-kungsholmen', 1]]);
    const lookUps = (await telemetry.metrics()).get('booking.reconcile.lookups');
    expect(lookUps?.dataPoints).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          attributes: {
            'booking.connection': 'rivta-kungsholmen',
            'booking.lookup.result': 'UNKNOWN',
          },
          value: 2,
        }),
      ]),
    );

    said.set('rivta-kungsholmen', notBooked);
    clock.now += 60_000;
    await reconciler.tick();
    expect((await ledger.find(row.id))?.status).toBe('FAILED');
    expect(await overdue()).toEqual([['rivta-kungsholmen', 0]]);
    await reconciler.stop();
  });
});
