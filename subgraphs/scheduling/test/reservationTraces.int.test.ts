import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@booking/server-kit';
import {
  type ReadableSpan,
  startTestTelemetry,
  type TestTelemetry,
} from '@booking/telemetry/testing';
import { type SpanContext, trace } from '@opentelemetry/api';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DirectoryEntry, ProviderDirectory } from '../src/access/createProviderDirectory.js';
import { createLedger } from '../src/access/ledger/createLedger.js';
import {
  createLedgerDatabase,
  type LedgerDatabase,
} from '../src/access/ledger/createLedgerDatabase.js';
import type { LedgerTables } from '../src/access/ledger/ledgerTables.js';
import { migrations } from '../src/access/ledger/migrations.js';
import type {
  ProviderAccess,
  ProviderAnswer,
} from '../src/access/providers/createProviderAccess.js';
import { createWebhookStore } from '../src/access/webhooks/createWebhookStore.js';
import { createPatientCipher } from '../src/engines/createPatientCipher.js';
import { createCursorSealer } from '../src/engines/cursors.js';
import { encodeGlobalId } from '../src/engines/globalId.js';
import { defaultRetryPolicy } from '../src/engines/webhookRules.js';
import { developmentPatientDataKey } from '../src/environment.js';
import { createClinicChangeApplier } from '../src/manager/applyClinicChange.js';
import { createReconciler } from '../src/manager/createReconciler.js';
import { createReservationManager } from '../src/manager/createReservationManager.js';
import { createWebhookDelivery } from '../src/manager/createWebhookDelivery.js';
import { createWebhookManager } from '../src/manager/createWebhookManager.js';
import { instrumentReservations } from '../src/manager/instrumentReservations.js';
import type { BookingOutcome, Caller } from '../src/manager/models.js';
import { createSchedulingMetrics } from '../src/schedulingMetrics.js';
import { createTestPostgresDatabase } from './ledgerDatabases.js';

const connectionId = 'cliniq-nordklinik';
const settleAfterMs = 10_000;
const caller: Caller = { clientId: 'vården-web', subject: null, admin: false };
const patient = {
  personalIdentityNumber: '19900101-0017',
  givenName: 'Selma',
  familyName: 'Lagerlöf',
  email: 'selma.lagerlof@example.se',
  phone: '+46701234567',
};
const slotId = (localId: string) => encodeGlobalId('Slot', connectionId, localId);

const directory = {
  get: (id: string) =>
    id === connectionId
      ? ({
          connection: { id, name: 'Nordklinik', capabilities: ['API_BOOKING'] },
        } as unknown as DirectoryEntry)
      : undefined,
} as unknown as ProviderDirectory;

/** A provider connection whose slots are free and whose bookings go through, unless told. */
function fakeProvider() {
  const said = { bookingTimesOut: false };
  const booking = (reservationId: string, slot: string, status: 'BOOKED' | 'CANCELLED') => ({
    reservationId,
    slotId: slot,
    status,
    providerReference: `BK-${reservationId.slice(0, 8)}`,
    expiresAt: null,
    start: null,
    end: null,
  });
  const answered = <T>(data: T): ProviderAnswer<T> => ({ kind: 'answered', data });
  const providers = {
    getSlot: async (_entry: DirectoryEntry, id: string) =>
      answered({
        status: 'FREE',
        slot: {
          id,
          clinicId: 'c1',
          start: '2031-05-12T07:00:00Z',
          end: '2031-05-12T07:20:00Z',
          treatmentIds: ['general-practitioner'],
          practitioner: null,
          bookingUrl: null,
          capacity: null,
        },
      }),
    book: async (_entry: DirectoryEntry, input: { reservationId: string; slotId: string }) =>
      said.bookingTimesOut
        ? { kind: 'uncertain', failure: { code: 'TIMEOUT', message: 'no answer', timedOut: true } }
        : answered({ booking: booking(input.reservationId, input.slotId, 'BOOKED'), error: null }),
    cancel: async (_entry: DirectoryEntry, input: { reservationId: string }) =>
      answered({ booking: booking(input.reservationId, 's', 'CANCELLED'), error: null }),
    findBooking: async (_entry: DirectoryEntry, reservationId: string) =>
      answered({ status: 'FOUND', reason: null, booking: booking(reservationId, 's', 'BOOKED') }),
  };
  return { providers: providers as unknown as ProviderAccess, said };
}

const logger = (() => {
  const log = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  return { ...log, child: () => log } as unknown as Logger;
})();

/** One scheduling instance over a ledger database: its own ledger handle and managers. */
function instance(db: LedgerDatabase, providers: ProviderAccess, clock = { now: Date.now() }) {
  const now = () => clock.now;
  const ledger = createLedger(db, now);
  const reservations = instrumentReservations(
    createReservationManager({
      ledger,
      directory,
      providers,
      cipher: createPatientCipher(developmentPatientDataKey),
      logger,
      now,
      platformHoldMs: 600_000,
      settleAfterMs,
      replayWaitMs: 1000,
      cursors: createCursorSealer('test cursors'),
    }),
    createSchedulingMetrics(),
  );
  const reconciler = createReconciler({
    ledger,
    reservations,
    logger,
    now,
    settleAfterMs,
    intervalMs: 60_000,
    leaseMs: 5_000,
  });
  const clinicChanges = createClinicChangeApplier({
    ledger,
    dropDay: async () => {},
    logger,
    now,
  });
  return { ledger, reservations, reconciler, clinicChanges };
}

/**
 * One API request: its own trace, with the mutation called from a resolver's span as GraphQL
 * calls it. Answers the outcome and the resolver's span.
 */
async function request(
  field: string,
  mutation: () => Promise<BookingOutcome>,
): Promise<{ outcome: BookingOutcome; resolver: ReadableSpan }> {
  let resolverId = '';
  const outcome = await trace
    .getTracer('test')
    .startActiveSpan(`graphql.resolve ${field}`, { root: true }, async (span) => {
      resolverId = span.spanContext().spanId;
      try {
        return await mutation();
      } finally {
        span.end();
      }
    });
  return { outcome, resolver: spanWithId(resolverId) };
}

let telemetry: TestTelemetry;
/** One embedded ledger for the tests that need no second instance (each has its own slots). */
let embedded: LedgerDatabase;
const spanWithId = (spanId: string) => {
  const span = telemetry.spans().find((s) => s.spanContext().spanId === spanId);
  if (!span) throw new Error(`no span ${spanId}`);
  return span;
};
const spanNamed = (name: string) => {
  const spans = telemetry.spans().filter((span) => span.name === name);
  expect(
    spans.map((span) => span.name),
    `one ${name} span`,
  ).toEqual([name]);
  return spans[0]!;
};
const linksOf = (span: ReadableSpan) =>
  span.links.map((link) => ({
    traceId: link.context.traceId,
    spanId: link.context.spanId,
    attributes: link.attributes,
  }));
const linkTo = (context: SpanContext, createdBy: string) => ({
  traceId: context.traceId,
  spanId: context.spanId,
  attributes: { 'booking.link': createdBy },
});
const reservationOf = (outcome: BookingOutcome) => {
  if (outcome.__typename !== 'ReservationResult') {
    throw new Error(`no reservation: ${outcome.__typename}`);
  }
  return outcome.reservation;
};

beforeAll(async () => {
  telemetry = await startTestTelemetry();
  embedded = await createLedgerDatabase({ embeddedDataDir: 'memory://' });
}, 60_000);
afterAll(async () => {
  await embedded?.destroy();
  await telemetry?.shutdown();
});
beforeEach(() => telemetry.reset());

describe('one booking, one story in the traces', () => {
  it('links a confirm, made by another instance after a restart, to its hold through the ledger', async () => {
    const { url, drop } = await createTestPostgresDatabase();
    const { providers } = fakeProvider();
    try {
      const first = await createLedgerDatabase({ databaseUrl: url, embeddedDataDir: 'memory://' });
      const held = await request('holdSlot', () =>
        instance(first, providers).reservations.hold(caller, {
          slotId: slotId('slot-1'),
          idempotencyKey: 'hold-1',
        }),
      );
      const reservation = reservationOf(held.outcome);
      expect(reservation.status).toBe('HELD');
      await first.destroy();

      const hold = spanNamed('reservation.hold');
      expect(hold.attributes['booking.reservation.id']).toBe(reservation.publicId);
      expect(held.resolver.attributes['booking.reservation.id']).toBe(reservation.publicId);
      expect(hold.parentSpanContext?.spanId).toBe(held.resolver.spanContext().spanId);

      // A new process: nothing of the hold's trace is left but what the ledger keeps.
      telemetry.reset();
      const second = await createLedgerDatabase({ databaseUrl: url, embeddedDataDir: 'memory://' });
      try {
        const confirmed = await request('confirmReservation', () =>
          instance(second, providers).reservations.confirm(caller, {
            reservationId: reservation.publicId,
            patient,
            idempotencyKey: 'confirm-1',
          }),
        );
        expect(reservationOf(confirmed.outcome).status).toBe('CONFIRMED');
        const confirm = spanNamed('reservation.confirm');
        expect(confirm.spanContext().traceId).not.toBe(hold.spanContext().traceId);
        expect(confirm.attributes).toMatchObject({
          'booking.reservation.id': reservation.publicId,
          'booking.reservation.outcome': 'CONFIRMED',
        });
        expect(linksOf(confirm)).toEqual([linkTo(hold.spanContext(), 'hold')]);
        expect(confirmed.resolver.attributes['booking.reservation.id']).toBe(reservation.publicId);
        // The ledger keeps the span context, never anything of the patient.
        const [row] = (
          await sql<{
            origin_traceparent: string;
          }>`select origin_traceparent from reservations`.execute(second)
        ).rows;
        expect(row?.origin_traceparent).toBe(
          `00-${hold.spanContext().traceId}-${hold.spanContext().spanId}-01`,
        );
      } finally {
        await second.destroy();
      }
    } finally {
      await drop();
    }
  });

  it('links a reschedule to the one-step booking it moves, and a cancel of the new one to the reschedule', async () => {
    const { reservations } = instance(embedded, fakeProvider().providers);
    const booked = await request('reserveSlot', () =>
      reservations.reserve(caller, {
        slotId: slotId('slot-2'),
        patient,
        idempotencyKey: 'reserve-2',
      }),
    );
    const original = reservationOf(booked.outcome);
    const reserve = spanNamed('reservation.reserve');
    expect(reserve.attributes['booking.reservation.id']).toBe(original.publicId);

    const moved = await request('rescheduleReservation', () =>
      reservations.reschedule(caller, {
        reservationId: original.publicId,
        newSlotId: slotId('slot-3'),
        idempotencyKey: 'move-2',
      }),
    );
    const replacement = reservationOf(moved.outcome);
    const reschedule = spanNamed('reservation.reschedule');
    const named = {
      'booking.reservation.id': original.publicId,
      'booking.reservation.new_id': replacement.publicId,
    };
    expect(reschedule.attributes).toMatchObject(named);
    expect(moved.resolver.attributes).toMatchObject(named);
    expect(linksOf(reschedule)).toEqual([linkTo(reserve.spanContext(), 'reserve')]);

    const cancelled = await request('cancelReservation', () =>
      reservations.cancel(caller, { reservationId: replacement.publicId, idempotencyKey: 'c-2' }),
    );
    expect(reservationOf(cancelled.outcome).status).toBe('CANCELLED');
    const cancel = spanNamed('reservation.cancel');
    expect(cancel.attributes['booking.reservation.id']).toBe(replacement.publicId);
    expect(linksOf(cancel)).toEqual([linkTo(reschedule.spanContext(), 'reschedule')]);
  });

  it('names the reservation on a repeated call answered from its idempotency key', async () => {
    const { reservations } = instance(embedded, fakeProvider().providers);
    const hold = () =>
      reservations.hold(caller, { slotId: slotId('slot-4'), idempotencyKey: 'hold-4' });
    const first = reservationOf((await request('holdSlot', hold)).outcome);
    telemetry.reset();
    const repeated = await request('holdSlot', hold);
    expect(reservationOf(repeated.outcome).publicId).toBe(first.publicId);
    expect(spanNamed('reservation.hold').attributes['booking.reservation.id']).toBe(first.publicId);
    expect(repeated.resolver.attributes['booking.reservation.id']).toBe(first.publicId);
  });

  it('links the reconciler’s look-up and a change at the clinic to the booking they settle', async () => {
    const clock = { now: Date.now() };
    const { providers, said } = fakeProvider();
    const scheduling = instance(embedded, providers, clock);
    said.bookingTimesOut = true;
    const booked = await request('reserveSlot', () =>
      scheduling.reservations.reserve(caller, {
        slotId: slotId('slot-5'),
        patient,
        idempotencyKey: 'reserve-5',
      }),
    );
    const pending = reservationOf(booked.outcome);
    expect(pending.status).toBe('PENDING');
    const { publicId } = pending;
    const reserve = spanNamed('reservation.reserve');
    expect(reserve.attributes['booking.reservation.id']).toBe(publicId);

    clock.now += settleAfterMs + 1;
    await scheduling.reconciler.tick();
    const reconcile = spanNamed('reservation.reconcile');
    expect(reconcile.parentSpanContext).toBeUndefined();
    expect(reconcile.attributes).toMatchObject({
      'booking.reservation.id': publicId,
      'booking.connection': connectionId,
      'booking.lookup.result': 'FOUND',
      'booking.reservation.status': 'CONFIRMED',
    });
    expect(linksOf(reconcile)).toEqual([linkTo(reserve.spanContext(), 'reserve')]);

    await scheduling.clinicChanges.apply({
      connectionId,
      changeId: 'change-5',
      kind: 'BOOKING_UPDATED',
      source: 'PUSH',
      occurredAtMs: clock.now,
      booking: {
        reservationId: pending.id,
        slotId: 'slot-5',
        status: 'CANCELLED',
        providerReference: 'BK-5',
        expiresAt: null,
        start: null,
        end: null,
      },
    });
    const change = spanNamed('clinic_change.apply');
    expect(change.attributes).toMatchObject({
      'booking.reservation.id': publicId,
      'booking.change.outcome': 'APPLIED',
    });
    expect(linksOf(change)).toEqual([linkTo(reserve.spanContext(), 'reserve')]);
  });

  it('names the reservation on each webhook delivery of its events, linked to its booking', async () => {
    const endpoint = http.createServer((req, res) => req.resume().on('end', () => res.end()));
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    try {
      const admin = { clientId: 'webhook-app', subject: null, admin: true };
      const store = createWebhookStore(embedded, () => new Date());
      await createWebhookManager({
        store,
        cipher: createPatientCipher(developmentPatientDataKey),
        cursors: createCursorSealer('test cursors'),
        production: false,
        wake: () => undefined,
        now: Date.now,
      }).create(admin, {
        url: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/hooks`,
      });
      const delivery = createWebhookDelivery({
        store,
        cipher: createPatientCipher(developmentPatientDataKey),
        logger,
        now: Date.now,
        policy: defaultRetryPolicy,
        intervalMs: 60_000,
        timeoutMs: 2_000,
      });
      const { outcome } = await request('reserveSlot', () =>
        instance(embedded, fakeProvider().providers).reservations.reserve(admin, {
          slotId: slotId('slot-6'),
          patient,
          idempotencyKey: 'reserve-6',
        }),
      );
      const reserve = spanNamed('reservation.reserve');
      const delivered = () => telemetry.spans().filter((span) => span.name === 'webhook.deliver');
      // Events become readable to the fan-out once older transactions have ended.
      await expect
        .poll(
          async () => {
            await delivery.tick();
            return delivered().length;
          },
          { timeout: 10_000, interval: 100 },
        )
        .toBeGreaterThan(0);
      for (const span of delivered()) {
        expect(span.attributes).toMatchObject({
          'booking.reservation.id': reservationOf(outcome).publicId,
          'booking.webhook.outcome': 'DELIVERED',
        });
        expect(linksOf(span)).toEqual([linkTo(reserve.spanContext(), 'reserve')]);
      }
    } finally {
      endpoint.close();
    }
  });

  it('gives a reservation written before trace origins were kept its id, and no link', async () => {
    const { url, drop } = await createTestPostgresDatabase();
    const old = new Kysely<LedgerTables>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }),
    });
    const id = '00000000-0000-4000-8000-000000000009';
    try {
      const migrator = new Migrator({
        db: old,
        provider: { getMigrations: async () => migrations },
      });
      expect((await migrator.migrateTo('0008_webhooks')).error).toBeUndefined();
      const time = new Date();
      await sql`insert into reservations (id, client_id, connection_id, slot_id, status, hold_kind,
        expires_at, start_at, slot_snapshot, created_at, updated_at)
        values (${id}, ${caller.clientId}, ${connectionId}, 'old-slot', 'HELD', 'PLATFORM',
        ${new Date(time.getTime() + 600_000)}, ${time}, ${JSON.stringify({
          clinicId: 'c1',
          start: time.toISOString(),
          end: time.toISOString(),
          treatmentIds: [],
          requestedTreatmentId: null,
          practitioner: null,
        })}, ${time}, ${time})`.execute(old);
    } finally {
      await old.destroy();
    }
    const db = await createLedgerDatabase({ databaseUrl: url, embeddedDataDir: 'memory://' });
    try {
      const publicId = encodeGlobalId('Reservation', connectionId, id);
      const { outcome } = await request('cancelReservation', () =>
        instance(db, fakeProvider().providers).reservations.cancel(caller, {
          reservationId: publicId,
          idempotencyKey: 'cancel-old',
        }),
      );
      expect(reservationOf(outcome).status).toBe('CANCELLED');
      const cancel = spanNamed('reservation.cancel');
      expect(cancel.attributes['booking.reservation.id']).toBe(publicId);
      expect(cancel.links).toEqual([]);
    } finally {
      await db.destroy();
      await drop();
    }
  });
});
