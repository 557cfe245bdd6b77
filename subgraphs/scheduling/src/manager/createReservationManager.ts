import type { ReservationRecord } from '../access/ledger/createLedger.js';
import { createIdempotency } from './createIdempotency.js';
import type { BookingOutcome, Caller, LedgerOutcome } from './models.js';
import { cancel } from './reservations/cancel.js';
import { confirm } from './reservations/confirm.js';
import { expireHold } from './reservations/expireHold.js';
import { getByLedgerId, getReservation, toBookingOutcome } from './reservations/getReservation.js';
import { hold } from './reservations/hold.js';
import { listOwnReservations } from './reservations/listOwnReservations.js';
import { listReservationEvents } from './reservations/listReservationEvents.js';
import { finishReschedule, reschedule } from './reservations/reschedule.js';
import type { ReservationContext } from './reservations/reservationContext.js';
import { reserve } from './reservations/reserve.js';
import { settleByLookUp } from './reservations/settleByLookUp.js';

export type ReservationManagerOptions = Omit<
  ReservationContext,
  'withIdempotency' | 'finishReschedule'
> & {
  /** How long a repeated call waits for the first call with its key, still running, to finish. */
  replayWaitMs: number;
  /** How long an idempotency claim holds unless renewed (see `createIdempotency`). Default: 2000 ms. */
  claimLeaseMs?: number;
};

/**
 * The booking side of the Manager: holds, confirmations, cancellations and moves through the
 * provider contract, with the ledger written before every provider call so that nothing is lost
 * and nothing is booked twice, whatever fails in between. One use case per file in
 * `reservations/`; the status rules and the settling of provider answers are
 * `engines/reservationRules.ts`.
 */
export function createReservationManager(options: ReservationManagerOptions) {
  const { ledger, now, replayWaitMs, claimLeaseMs, ...rest } = options;
  const context: ReservationContext = {
    ...rest,
    ledger,
    now,
    withIdempotency: createIdempotency({
      ledger,
      logger: rest.logger,
      now,
      replayWaitMs,
      ...(claimLeaseMs !== undefined && { leaseMs: claimLeaseMs }),
    }),
    finishReschedule: (replacement) => finishReschedule(context, replacement),
  };
  /** A booking mutation, answering with the public reservation model. */
  const mutation =
    <Input>(
      useCase: (
        context: ReservationContext,
        caller: Caller,
        input: Input,
      ) => Promise<LedgerOutcome>,
    ) =>
    async (caller: Caller, input: Input): Promise<BookingOutcome> =>
      toBookingOutcome(await useCase(context, caller, input));

  return {
    hold: mutation(hold),
    confirm: mutation(confirm),
    reserve: mutation(reserve),
    cancel: mutation(cancel),
    reschedule: mutation(reschedule),
    get: (caller: Caller, id: string) => getReservation(context, caller, id),
    getByLedgerId: (caller: Caller, ledgerId: string) => getByLedgerId(context, caller, ledgerId),
    mine: (caller: Caller, first?: number | null, after?: string | null) =>
      listOwnReservations(context, caller, first, after),
    events: (caller: Caller, first?: number | null, after?: string | null) =>
      listReservationEvents(context, caller, first, after),

    // The reconciler's: each settles or finishes what a failure left open.
    expireHold: (row: ReservationRecord) => expireHold(context, row),
    settleByLookUp: (row: ReservationRecord) => settleByLookUp(context, row),
  };
}

export type ReservationManager = ReturnType<typeof createReservationManager>;
