import type { ReservationRecord } from '../../access/ledger/createLedger.js';
import type { Outcome, ReservationContext } from './reservationContext.js';
import { answer } from './reservationContext.js';
import { settleByLookUp } from './settleByLookUp.js';

/**
 * Cancels a PENDING reservation, whose provider call's outcome is not known: the cancel is
 * recorded first (its pending operation becomes CANCEL, so whatever the call made is cancelled
 * rather than kept), then settled by look-up — what the provider has is cancelled, nothing there
 * is CANCELLED — as soon as no call on it can still be in flight. Until then, or while the
 * provider cannot tell, it stays PENDING and the reconciler finishes it. Null: the reservation
 * changed in between (the call settled it); the caller decides again.
 */
export async function cancelPending(
  context: ReservationContext,
  row: ReservationRecord,
): Promise<Outcome | null> {
  const { ledger } = context;
  const recorded =
    row.pending_operation === 'CANCEL'
      ? row
      : await ledger.transition(row.id, {
          from: ['PENDING'],
          version: row.version,
          to: 'PENDING',
          pendingOperation: 'CANCEL',
          resumeStatus: row.resume_status,
          operation: 'CANCEL',
          detail: { whilePending: row.pending_operation },
        });
  if (!recorded) return null;
  // The call that left it PENDING started at its last change: settled by look-up only once that
  // call's deadline has certainly passed, or the look-up could miss what it is making.
  const quiet = context.now() - row.updated_at.getTime() >= context.settleAfterMs;
  if (!quiet) return answer(recorded);
  const { row: settled } = await settleByLookUp(context, recorded);
  return answer(settled);
}
