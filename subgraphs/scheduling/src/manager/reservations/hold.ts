import { randomUUID } from 'node:crypto';
import { holdKindOf } from '../../engines/reservationRules.js';
import type { Caller } from '../models.js';
import { nameReservation, originOfNewReservation } from '../reservationSpans.js';
import { bookableSlot } from './bookableSlot.js';
import { checkId, checkKey } from './checkInput.js';
import { onceForSlot } from './once.js';
import {
  answer,
  insertLost,
  isOutcome,
  type Outcome,
  type ReservationContext,
} from './reservationContext.js';
import { settle } from './settle.js';

/**
 * `holdSlot`: holds a free slot for the client. Providers with holds hold it themselves; for the
 * others the platform holds it, and the ledger row is the hold.
 */
export async function hold(
  context: ReservationContext,
  caller: Caller,
  input: { slotId: string; idempotencyKey: string },
): Promise<Outcome> {
  const bad = checkKey(input.idempotencyKey) ?? checkId('Slot', input.slotId, 'slotId');
  if (bad) return bad;
  const call = {
    key: input.idempotencyKey,
    operation: 'HOLD',
    input: [input.slotId],
    reservationId: randomUUID(),
    slotId: input.slotId,
  };
  return onceForSlot(context, caller, call, async (reservationId) => {
    const slot = await bookableSlot(context, input.slotId, 'slotId', null);
    if (isOutcome(slot)) return slot;
    const providerHolds = holdKindOf(slot.entry.connection.capabilities) === 'PROVIDER';
    const row = await context.ledger.insert({
      id: reservationId,
      clientId: caller.clientId,
      subject: caller.subject,
      connectionId: slot.entry.connection.id,
      slotId: slot.localId,
      status: providerHolds ? 'PENDING' : 'HELD',
      pendingOperation: providerHolds ? 'HOLD' : null,
      holdKind: providerHolds ? 'PROVIDER' : 'PLATFORM',
      expiresAt: providerHolds ? null : new Date(context.now() + context.platformHoldMs),
      snapshot: slot.snapshot,
      patientSealed: null,
      rescheduledFrom: null,
      originTraceparent: originOfNewReservation(),
    });
    if (!row) return insertLost(context, reservationId, input.slotId);
    nameReservation(row);
    if (!providerHolds) return answer(row);
    const reply = await context.providers.hold(slot.entry, {
      slotId: row.slot_id,
      reservationId: row.id,
    });
    return settle(context, row, reply, { status: 'FAILED', slotId: input.slotId });
  });
}
