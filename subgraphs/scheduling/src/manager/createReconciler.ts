import type { Logger } from '@booking/server-kit';
import type { ProviderDirectory } from '../access/createProviderDirectory.js';
import type { Ledger, ReservationRecord } from '../access/ledger/createLedger.js';
import type { ProviderAccess } from '../access/providers/createProviderAccess.js';
import { reconcileStep } from '../engines/reservationRules.js';
import type { ReservationManager } from './createReservationManager.js';

export interface ReconcilerOptions {
  /** Every provider call goes through it. */
  providers: ProviderAccess;
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
  const { ledger, directory, providers, reservations, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;

  async function settle(row: ReservationRecord): Promise<void> {
    const entry = directory.get(row.connection_id);
    if (!entry) return;
    const lookup = await providers.findBooking(entry, row.id);
    if (lookup.kind !== 'answered') return; // asked again next round
    const booking = lookup.data;
    const status = booking?.status ?? null;
    const step = reconcileStep(
      {
        pending: row.pending_operation,
        resumeStatus: row.resume_status,
        holdKind: row.hold_kind,
        expiresAtMs: row.expires_at?.getTime() ?? null,
        hasPatient: Boolean(row.patient_sealed),
      },
      status,
      options.now(),
    );
    if (step.step === 'repeat') {
      // Not made, as far as the look-up can tell: ask again with the same reservation id. An
      // idempotent provider answers with what it made (or makes it now); a taken slot ends as
      // FAILED for a booking, back to HELD for a confirmation.
      await reservations.repeatBooking(row);
    } else if (step.step === 'transition') {
      const changed = await ledger.transition(row.id, {
        from: ['PENDING'],
        version: row.version,
        detail: { reconciled: true },
        to: step.to,
        operation: 'RECONCILE',
        failureReason: step.failureReason,
        ...(step.records !== 'nothing' && { providerReference: booking?.providerReference }),
        ...(step.records === 'hold' && {
          expiresAt: booking?.expiresAt ? new Date(booking.expiresAt) : row.expires_at,
        }),
      });
      if (step.after === 'finishReschedule' && changed?.rescheduled_from) {
        await reservations.finishReschedule(changed);
      }
      // Still booked: it was put back; cancel again (the provider cancels idempotently).
      if (step.after === 'cancelAgain' && changed) {
        await reservations.cancelAtProvider(changed, 'cancelled');
      }
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
