import type { Logger } from '@booking/server-kit';
import { ContractBookingDocument } from '../__generated__/providerOperations.js';
import type { ProviderDirectory } from '../access/createProviderDirectory.js';
import type { Ledger, ReservationRecord } from '../access/ledger/createLedger.js';
import { type CallProviderDependencies, callProvider } from './callProvider.js';
import type { ReservationManager } from './createReservationManager.js';

export interface ReconcilerOptions extends CallProviderDependencies {
  ledger: Ledger;
  directory: ProviderDirectory;
  reservations: ReservationManager;
  logger: Logger;
  /** The clock. */
  now: () => number;
  /**
   * How old a PENDING reservation must be before it is settled by look-up: longer than any
   * provider call can take, so a call still in flight (on any instance) is never second-guessed.
   */
  settleAfterMs: number;
  /** How often unsettled reservations and lapsed holds are looked at. */
  intervalMs: number;
}

/**
 * Settles what a crash or a lost answer left open: every PENDING reservation is looked up at its
 * provider by the reservation id and brought to the state the provider knows (or the interrupted
 * cancel is finished), and every lapsed hold is expired so its slot is offered again. Runs at
 * start-up and periodically; every change is a conditional update, so instances may overlap.
 */
export function createReconciler(options: ReconcilerOptions) {
  const { ledger, directory, reservations, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;

  async function settle(row: ReservationRecord): Promise<void> {
    const entry = directory.get(row.connection_id);
    if (!entry) return;
    const lookup = await callProvider(
      entry,
      ContractBookingDocument,
      { connectionId: row.connection_id, reservationId: row.id },
      options,
    );
    if (lookup.kind !== 'answered') return; // asked again next round
    const booking = lookup.data.contractBooking;
    const status = booking?.status ?? null;
    const base = { from: ['PENDING'] as const, version: row.version, detail: { reconciled: true } };
    const reference = booking ? { providerReference: booking.providerReference } : {};
    switch (row.pending_operation) {
      case 'HOLD':
      case 'BOOK':
      case 'CONFIRM': {
        if (status === 'BOOKED') {
          const confirmed = await ledger.transition(row.id, {
            ...base,
            to: 'CONFIRMED',
            operation: 'RECONCILE',
            ...reference,
          });
          if (confirmed?.rescheduled_from) await reservations.finishReschedule(confirmed);
        } else if (status === 'HELD') {
          await ledger.transition(row.id, {
            ...base,
            to: 'HELD',
            operation: 'RECONCILE',
            ...reference,
            expiresAt: booking?.expiresAt ? new Date(booking.expiresAt) : row.expires_at,
          });
        } else if (row.pending_operation === 'BOOK' && row.patient_sealed) {
          // Not found by look-up: ask again with the same reservation id. An idempotent provider
          // answers with the booking it made (or makes it now); a taken slot ends as FAILED.
          await reservations.repeatBooking(row);
        } else {
          // The provider has nothing for this reservation: the call never took effect there. A
          // platform hold whose confirmation failed that way is still a valid hold until it lapses.
          const platformHoldLives =
            row.pending_operation === 'CONFIRM' &&
            row.hold_kind === 'PLATFORM' &&
            (row.expires_at?.getTime() ?? 0) > options.now();
          await ledger.transition(row.id, {
            ...base,
            to: platformHoldLives
              ? 'HELD'
              : row.pending_operation === 'CONFIRM'
                ? 'EXPIRED'
                : 'FAILED',
            operation: 'RECONCILE',
            failureReason: 'not found at the provider',
          });
        }
        break;
      }
      case 'CANCEL': {
        if (status === null || status === 'CANCELLED') {
          await ledger.transition(row.id, { ...base, to: 'CANCELLED', operation: 'RECONCILE' });
        } else {
          // Still booked: put it back and cancel again (the provider cancels idempotently).
          const resumed = await ledger.transition(row.id, {
            ...base,
            to: row.resume_status ?? 'CONFIRMED',
            operation: 'RECONCILE',
            ...reference,
          });
          if (resumed) await reservations.cancelAtProvider(resumed, 'cancelled');
        }
        break;
      }
      default:
        break;
    }
    const after = await ledger.find(row.id);
    logger.info(
      {
        reservation: row.id,
        operation: row.pending_operation,
        provider: status,
        status: after?.status,
      },
      'reservation reconciled',
    );
  }

  async function runOnce(): Promise<void> {
    const pending = await ledger.pendingSince(new Date(options.now() - options.settleAfterMs));
    for (const row of pending) {
      await settle(row).catch((error: unknown) =>
        logger.error(
          { reservation: row.id, err: (error as Error).message },
          'reconciliation failed',
        ),
      );
    }
    for (const row of await ledger.expiredHolds()) {
      await reservations
        .expireHold(row)
        .catch((error: unknown) =>
          logger.error(
            { reservation: row.id, err: (error as Error).message },
            'expiring a hold failed',
          ),
        );
    }
  }

  /** Runs one round unless one is already running; resolves when that round is done. */
  function tick(): Promise<void> {
    running ??= runOnce().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    tick,
    start(): void {
      void tick();
      timer = setInterval(() => void tick(), options.intervalMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
