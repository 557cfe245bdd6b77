import type { ReservationRecord } from '../../access/ledger/createLedger.js';
import type { IdempotentCall } from '../createIdempotency.js';
import type { Caller } from '../models.js';
import {
  followReservation,
  nameReservation,
  newReservationIdAttribute,
  reservationIdAttribute,
} from '../reservationSpans.js';
import { decodeId, ownReservation } from './checkInput.js';
import { finishAbandoned } from './finishAbandoned.js';
import { isOutcome, type Outcome, type ReservationContext } from './reservationContext.js';

/**
 * Runs a mutation once per (caller, idempotency key); the key is bound to the operation and to a
 * keyed hash of `input` (what the caller sent that decides the outcome).
 */
export async function once(
  context: ReservationContext,
  caller: Caller,
  call: {
    key: string;
    operation: string;
    input: unknown[];
    reservationId: string;
    connectionId: string;
  },
  run: (reservationId: string) => Promise<Outcome>,
): Promise<Outcome> {
  const idempotent: IdempotentCall = {
    owner: { clientId: caller.clientId, subject: caller.subject },
    key: call.key,
    operation: call.operation,
    fingerprint: context.cipher.fingerprint(JSON.stringify([call.operation, ...call.input])),
    reservationId: call.reservationId,
    connectionId: call.connectionId,
  };
  const outcome = await context.withIdempotency(idempotent, async (reservationId, { takeover }) => {
    // An earlier call with this key died before answering: finish what it left half done.
    const finished = takeover
      ? await finishAbandoned(context, call.operation, reservationId)
      : null;
    return finished ?? run(reservationId);
  });
  // A repeat answered with the key's stored outcome ran nothing that named its reservation.
  if (outcome.__typename === 'ReservationResult') {
    nameReservation(
      outcome.reservation,
      call.operation === 'RESCHEDULE' ? newReservationIdAttribute : reservationIdAttribute,
    );
  }
  return outcome;
}

/** A new reservation's call, once per idempotency key, for the slot `slotId` (already checked). */
export function onceForSlot(
  context: ReservationContext,
  caller: Caller,
  call: { key: string; operation: string; input: unknown[]; reservationId: string; slotId: string },
  run: (reservationId: string) => Promise<Outcome>,
): Promise<Outcome> {
  const slot = decodeId('Slot', call.slotId, 'slotId');
  const connectionId = 'connectionId' in slot ? slot.connectionId : '';
  return once(context, caller, { ...call, connectionId }, run);
}

/**
 * A mutation of one of the caller's reservations (`reservationId`: its public id), once per
 * idempotency key; `run` gets the reservation as the ledger holds it when the mutation runs.
 */
export async function onceOnOwn(
  context: ReservationContext,
  caller: Caller,
  call: { key: string; operation: string; reservationId: string; input: unknown[] },
  run: (row: ReservationRecord) => Promise<Outcome>,
): Promise<Outcome> {
  const found = await ownReservation(context.ledger, call.reservationId, caller);
  if (isOutcome(found)) return found;
  followReservation(found);
  const keyed = {
    ...call,
    input: [call.reservationId, ...call.input],
    reservationId: found.id,
    connectionId: found.connection_id,
  };
  return once(context, caller, keyed, async () => run((await context.ledger.find(found.id))!));
}
