import type { ReservationRecord } from '../../access/ledger/createLedger.js';
import { cancelStep } from '../../engines/reservationRules.js';
import type { Caller } from '../models.js';
import { cancelAtProvider } from './cancelAtProvider.js';
import { cancelPending } from './cancelPending.js';
import { checkKey, checkReason } from './checkInput.js';
import { onceOnOwn } from './once.js';
import {
  answer,
  type Outcome,
  type ReservationContext,
  refused,
  reread,
} from './reservationContext.js';

/**
 * `cancelReservation`: a platform hold is released at once; anything else is cancelled at the
 * provider; a PENDING reservation is settled first (`cancelPending.ts`).
 */
export async function cancel(
  context: ReservationContext,
  caller: Caller,
  input: { reservationId: string; reason?: string | null; idempotencyKey: string },
): Promise<Outcome> {
  const { ledger } = context;
  const bad = checkKey(input.idempotencyKey) ?? checkReason(input.reason);
  if (bad) return bad;
  const reason = input.reason ?? null;
  const call = {
    key: input.idempotencyKey,
    operation: 'CANCEL',
    reservationId: input.reservationId,
    input: [reason],
  };
  /**
   * One decision on the reservation as it stands; decided again (at most `again` times) when a
   * PENDING one changed before its cancel was recorded (its call settled it meanwhile).
   */
  async function decide(row: ReservationRecord, again: number): Promise<Outcome> {
    const step = cancelStep({ status: row.status, holdKind: row.hold_kind });
    if (step.step === 'answer') return answer(row);
    if (step.step === 'refuse') return refused(step, input.reservationId);
    if (step.step === 'cancel') return cancelAtProvider(context, row, reason);
    if (step.step === 'settle') {
      const settled = await cancelPending(context, row);
      if (settled) return settled;
      const now = (await ledger.find(row.id))!;
      return again > 0 ? decide(now, again - 1) : answer(now);
    }
    const released = await ledger.transition(row.id, {
      from: ['HELD'],
      version: row.version,
      to: 'CANCELLED',
      operation: 'RELEASE',
    });
    return released ? answer(released) : reread(context, row.id);
  }
  return onceOnOwn(context, caller, call, (row) => decide(row, 2));
}
