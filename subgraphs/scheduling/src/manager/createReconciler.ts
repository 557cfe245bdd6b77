import type { Logger } from '@booking/server-kit';
import type { Ledger, ReservationRecord } from '../access/ledger/createLedger.js';
import type { SchedulingMetrics } from '../schedulingMetrics.js';
import type { ReservationManager } from './createReservationManager.js';
import { inReservationTrace } from './reservationSpans.js';

export interface ReconcilerOptions {
  ledger: Ledger;
  reservations: Pick<ReservationManager, 'settleByLookUp' | 'expireHold'>;
  logger: Logger;
  /** The look-ups and the overdue reservations, as metrics. Default: none. */
  metrics?: Pick<SchedulingMetrics, 'reconcileLookUp' | 'observeOverdue'>;
  /** The clock. */
  now: () => number;
  /**
   * How old a PENDING reservation must be before it is settled by look-up: longer than any
   * provider call can take, so a call still in flight (on any instance) is never second-guessed.
   * Also the first wait after a look-up that could not settle it.
   */
  settleAfterMs: number;
  /** How often unsettled reservations and lapsed holds are looked at. */
  intervalMs: number;
  /**
   * How long one attempt may take (a look-up and the call it leads to): no instance claims the
   * reservation again before then. Longer than a few provider deadlines.
   */
  leaseMs: number;
  /** The longest wait between two look-ups of one reservation. Default: 5 minutes. */
  maxBackoffMs?: number;
  /**
   * A reservation PENDING longer than this is overdue: each look-up that leaves it so logs an
   * error, and `booking.reservations.overdue` counts it. Default: 10 minutes.
   */
  alertAfterMs?: number;
  /** Reservations claimed at once and settled concurrently. Default: 10. */
  batchSize?: number;
  /** Most reservations one round settles; the rest wait for the next. Default: 100. */
  maxPerRound?: number;
}

/**
 * Settles what a crash or a lost answer left open: every PENDING reservation is looked up at its
 * provider by the reservation id and brought to the state the provider knows (or the interrupted
 * cancel is finished), and every lapsed hold is expired so its slot is offered again. Runs at
 * start-up and periodically. Reservations are claimed a batch at a time with a lease
 * (`ledger.claimPending`), so instances sharing a ledger look each one up once; one the provider
 * cannot settle waits a backoff that doubles per look-up, so a provider that is down (or cannot
 * tell) never keeps the others' reservations waiting.
 */
export function createReconciler(options: ReconcilerOptions) {
  const { ledger, reservations, logger, metrics, now } = options;
  const maxBackoffMs = options.maxBackoffMs ?? 300_000;
  const alertAfterMs = options.alertAfterMs ?? 600_000;
  const batchSize = options.batchSize ?? 10;
  const maxPerRound = options.maxPerRound ?? 100;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  /** Overdue reservations per connection at the last round (0 for those that had some before). */
  const overdue = new Map<string, number>();
  const stopObserving = metrics?.observeOverdue(() => overdue.entries());

  /**
   * One look-up of a PENDING reservation, traced as `reservation.reconcile` (connection, id, what
   * the provider said, the status reached), linked to the span that created the reservation.
   */
  const attempt = (row: ReservationRecord): Promise<void> =>
    inReservationTrace('reservation.reconcile', row, async (span) => {
      const settled = await lookUp(row);
      span.setAttributes({
        'booking.lookup.result': settled.said,
        'booking.reservation.status': settled.status,
      });
    });

  /** Settles `row` by look-up and logs how far that got; answers what the provider said. */
  async function lookUp(row: ReservationRecord) {
    const { found, reason, row: after } = await reservations.settleByLookUp(row);
    const said = found === 'NOT_BOOKED' || found === 'UNKNOWN' ? found : 'FOUND';
    metrics?.reconcileLookUp(row.connection_id, said);
    const settled = { said, status: after.status };
    const fields = {
      reservation: row.id,
      connection: row.connection_id,
      operation: row.pending_operation,
      provider: found,
      status: after.status,
    };
    if (after.status !== 'PENDING' || after.version !== row.version) {
      logger.info(fields, 'reservation reconciled');
      return settled;
    }
    const pendingForMs = now() - after.updated_at.getTime();
    const uncertain = { ...fields, reason, attempts: row.attempts, pendingForMs };
    if (pendingForMs < alertAfterMs) {
      logger.warn(uncertain, 'reservation still uncertain; looked up again later');
      return settled;
    }
    // The alert: nobody can tell whether the patient has this booking. The row holds the slot
    // and is looked up again at its backoff; someone should ask the provider.
    logger.error(uncertain, 'reservation uncertain past RECONCILE_ALERT_AFTER_MS');
    return settled;
  }

  async function settlePending(): Promise<void> {
    for (let claimed = 0; claimed < maxPerRound; ) {
      const rows = await ledger.claimPending({
        settledBefore: new Date(now() - options.settleAfterMs),
        limit: Math.min(batchSize, maxPerRound - claimed),
        leaseMs: options.leaseMs,
        backoffMs: options.settleAfterMs,
        maxBackoffMs,
      });
      if (rows.length === 0) return;
      claimed += rows.length;
      await Promise.all(
        rows.map((row) =>
          attempt(row).catch((error: unknown) =>
            logger.error(
              { reservation: row.id, err: (error as Error).message },
              'reconciliation failed',
            ),
          ),
        ),
      );
    }
  }

  async function countOverdue(): Promise<void> {
    const counts = await ledger.pendingCounts(new Date(now() - alertAfterMs));
    for (const connectionId of overdue.keys()) overdue.set(connectionId, 0);
    for (const [connectionId, count] of counts) overdue.set(connectionId, count);
  }

  /** Logs what failed a round's step (the ledger away): the next round tries again. */
  const failed = (what: string) => (error: unknown) =>
    logger.error({ err: (error as Error).message }, `${what} failed`);

  async function runOnce(): Promise<void> {
    await settlePending().catch(failed('claiming pending reservations'));
    await countOverdue().catch(failed('counting overdue reservations'));
    const lapsed = await ledger.expiredHolds().catch(failed('finding lapsed holds'));
    for (const row of lapsed ?? []) {
      await inReservationTrace('reservation.expire', row, () => reservations.expireHold(row)).catch(
        (error: unknown) =>
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
      stopObserving?.();
    },
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
