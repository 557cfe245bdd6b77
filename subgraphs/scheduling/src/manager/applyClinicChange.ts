import type { Logger } from '@booking/server-kit';
import { trace } from '@opentelemetry/api';
import type { Ledger, ReservationRecord } from '../access/ledger/createLedger.js';
import type { SlotSnapshot } from '../access/ledger/ledgerTables.js';
import type { ProviderBooking, ProviderChange } from '../access/providers/createProviderAccess.js';
import { clinicChangeStep } from '../engines/clinicChangeRules.js';
import type { SchedulingMetrics } from '../schedulingMetrics.js';
import { followReservation } from './reservationSpans.js';

const tracer = trace.getTracer('booking.scheduling');

/** A change as the ledger applies it, whether a provider reported it or a look-up found it. */
export interface ObservedChange {
  connectionId: string;
  changeId: string;
  kind: string;
  source: string;
  occurredAtMs: number;
  booking?: ProviderBooking | null;
  slot?: ProviderChange['slot'];
}

export interface ClinicChangeApplierOptions {
  ledger: Ledger;
  /** Drops a clinic day from the slot cache, so the next search asks the provider. */
  dropDay: (connectionId: string, clinicId: string, startMs: number) => Promise<void>;
  /** A slot opened at the clinic: the watches it answers fire. Default: nothing. */
  slotOpened?: (connectionId: string, slotId: string, slot: SlotSnapshot) => Promise<unknown>;
  logger: Logger;
  metrics?: Pick<SchedulingMetrics, 'clinicChange'>;
  now: () => number;
}

/**
 * What one change at the clinic does, however it was found (`createClinicChanges` finds them): a
 * transition of the reservation it is about (`engines/clinicChangeRules.ts` decides), or a
 * dropped cache day and fired watches for a slot; recorded once per id with what came of it.
 */
export function createClinicChangeApplier(options: ClinicChangeApplierOptions) {
  const { ledger, logger, metrics, now } = options;
  type Observed = ObservedChange;

  async function record(observed: Observed, reservationId: string | null, outcome: string) {
    const recorded = await ledger.recordChange({
      connectionId: observed.connectionId,
      changeId: observed.changeId,
      kind: observed.kind,
      source: observed.source,
      occurredAt: new Date(observed.occurredAtMs),
      reservationId,
      outcome,
      detail: {
        ...(observed.booking && {
          status: observed.booking.status,
          slotId: observed.booking.slotId,
          start: observed.booking.start,
        }),
        ...(observed.slot && { clinicId: observed.slot.clinicId, start: observed.slot.start }),
      },
    });
    if (recorded) {
      metrics?.clinicChange(observed.connectionId, {
        kind: observed.kind,
        source: observed.source,
        outcome,
        lagMs: now() - observed.occurredAtMs,
      });
    }
  }

  /** Brings the reservation to what the clinic says; answers what came of it. */
  async function applyToReservation(
    observed: Observed,
    row: ReservationRecord,
    booking: ProviderBooking,
  ): Promise<string> {
    const snapshot = row.slot_snapshot;
    const step = clinicChangeStep(
      {
        status: row.status,
        slotId: row.slot_id,
        start: snapshot.start,
        end: snapshot.end,
        clinicChangedAtMs: row.clinic_changed_at?.getTime() ?? null,
      },
      booking,
      observed.occurredAtMs,
    );
    if (step.step === 'none') return step.reason;
    const clinicChangedAt = new Date(observed.occurredAtMs);
    const detail = {
      source: 'PROVIDER',
      change: observed.changeId,
      via: observed.source,
      occurredAt: clinicChangedAt.toISOString(),
    };
    const common = { version: row.version, clinicChangedAt, detail };
    if (step.step === 'cancel') {
      const changed = await ledger.transition(row.id, {
        ...common,
        from: ['HELD', 'CONFIRMED'],
        to: 'CANCELLED',
        operation: 'CLINIC_CANCEL',
        cancelledBy: 'PROVIDER',
      });
      return changed ? 'APPLIED' : 'RACED';
    }
    if (step.step === 'noShow') {
      const changed = await ledger.transition(row.id, {
        ...common,
        from: ['CONFIRMED'],
        to: 'NO_SHOW',
        operation: 'CLINIC_NO_SHOW',
      });
      return changed ? 'APPLIED' : 'RACED';
    }
    const moved: SlotSnapshot = { ...snapshot, start: step.start, end: step.end };
    try {
      const changed = await ledger.transition(row.id, {
        ...common,
        detail: { ...detail, from: snapshot.start, to: step.start },
        from: ['CONFIRMED'],
        to: 'CONFIRMED',
        operation: 'CLINIC_MOVE',
        move: { slotId: step.slotId, snapshot: moved },
      });
      if (!changed) return 'RACED';
      // The day it left is freed; the day it moved to was dropped by the ledger's listener.
      await options.dropDay(row.connection_id, snapshot.clinicId, Date.parse(snapshot.start));
      return 'APPLIED';
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
      // Another live reservation holds the slot the clinic moved this booking to: the ledger's
      // rule of one live reservation per slot stands, and people must look (logged, recorded).
      logger.error(
        { reservation: row.id, connection: row.connection_id, err: (error as Error).message },
        'the clinic moved a booking onto a slot the platform holds for another reservation',
      );
      return 'CONFLICT';
    }
  }

  /**
   * Applies one change, traced as `clinic_change.apply` (connection, kind, source, outcome; for a
   * change to a reservation, its id and a link to its first span).
   */
  function apply(observed: Observed): Promise<void> {
    const attributes = {
      'booking.connection': observed.connectionId,
      'booking.change.kind': observed.kind,
      'booking.change.source': observed.source,
    };
    return tracer.startActiveSpan('clinic_change.apply', { attributes }, async (span) => {
      try {
        span.setAttribute('booking.change.outcome', await applyOnce(observed));
      } finally {
        span.end();
      }
    });
  }

  async function applyOnce(observed: Observed): Promise<string> {
    if (await ledger.changeRecorded(observed.connectionId, observed.changeId)) return 'REPEATED';
    const { slot } = observed;
    if (slot) {
      await options.dropDay(observed.connectionId, slot.clinicId, Date.parse(slot.start));
      if (observed.kind === 'SLOT_OPENED') {
        await options.slotOpened?.(observed.connectionId, slot.id, {
          clinicId: slot.clinicId,
          start: slot.start,
          end: slot.end,
          treatmentIds: slot.treatmentIds,
          requestedTreatmentId: null,
          practitioner: slot.practitioner ?? null,
        });
      }
      await record(observed, null, 'APPLIED');
      return 'APPLIED';
    }
    const booking = observed.booking;
    if (!booking) {
      await record(observed, null, 'MALFORMED');
      return 'MALFORMED';
    }
    const row = await findReservation(observed.connectionId, booking.reservationId);
    if (!row) {
      await record(observed, null, 'UNKNOWN_RESERVATION');
      return 'UNKNOWN_RESERVATION';
    }
    followReservation(row);
    const outcome = await applyToReservation(observed, row, booking);
    // A look-up that found nothing new (or a platform call in flight) is no change: not recorded,
    // so the next sweep looks again; its id names the row version it was made against.
    if (observed.source === 'LOOKUP' && (outcome === 'CURRENT' || outcome === 'IN_FLIGHT')) {
      return outcome;
    }
    if (outcome === 'APPLIED') {
      logger.info(
        {
          reservation: row.id,
          connection: row.connection_id,
          kind: booking.status,
          source: observed.source,
        },
        'change at the clinic applied',
      );
    }
    // A transition that raced a platform call is not recorded: the next report or sweep retries.
    if (outcome !== 'RACED') await record(observed, row.id, outcome);
    return outcome;
  }

  async function findReservation(connectionId: string, reservationId: string) {
    // Ids are the platform's UUIDs; anything else was never one of its reservations.
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(reservationId)) {
      return undefined;
    }
    const row = await ledger.find(reservationId);
    return row?.connection_id === connectionId ? row : undefined;
  }

  return { apply, record };
}
