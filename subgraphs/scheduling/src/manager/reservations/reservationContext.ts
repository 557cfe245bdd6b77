import type { Logger } from '@booking/server-kit';
import type { ProviderDirectory } from '../../access/createProviderDirectory.js';
import type { Ledger, ReservationRecord } from '../../access/ledger/createLedger.js';
import type { ProviderAccess } from '../../access/providers/createProviderAccess.js';
import type { CachedSlot as ContractSlot } from '../../access/slotCache/slotCacheStore.js';
import type { PatientCipher } from '../../engines/createPatientCipher.js';
import type { CursorSealer } from '../../engines/cursors.js';
import { encodeGlobalId } from '../../engines/globalId.js';
import type { PublicOutcome } from '../../engines/reservationRules.js';
import type { WithIdempotency } from '../createIdempotency.js';
import type { LedgerOutcome } from '../models.js';

/** A use case's result, with the reservation as the ledger holds it. */
export type Outcome = LedgerOutcome;

/** What every reservation use case works with; `createReservationManager` builds it once. */
export interface ReservationContext {
  ledger: Ledger;
  directory: ProviderDirectory;
  /** Every provider call goes through it (deadline, circuit, bounded concurrency, retries). */
  providers: ProviderAccess;
  cipher: PatientCipher;
  logger: Logger;
  now: () => number;
  /** How long a platform-side hold lasts (providers without holds). */
  platformHoldMs: number;
  /**
   * How long after a reservation's last change no provider call on it can still be in flight
   * (longer than every deadline): from then on a look-up may settle it (`RECONCILE_AFTER_MS`).
   */
  settleAfterMs: number;
  withIdempotency: WithIdempotency;
  /** The cursors of a list query, by its name and arguments (`myReservations`). */
  cursors: CursorSealer;
  /** Cancels the reservation a confirmed reschedule replaced (see `reschedule.ts`). */
  finishReschedule: (replacement: ReservationRecord) => Promise<Outcome | null>;
  /**
   * Told when a provider's listing of a slot changed after its last ledger transition (a lapsed
   * hold released at the provider after the row became EXPIRED), so caches drop the slot's day.
   * Every other change is followed by a transition, which the ledger reports itself.
   */
  slotReleased?: (row: ReservationRecord) => Promise<void>;
  /**
   * A slot the provider listed free moments ago (while the slot cache serves that listing), or null: booking it
   * takes one provider call, the booking itself, instead of a look-up first.
   */
  freshSlot?: (connectionId: string, slotId: string) => ContractSlot | null;
}

export const isOutcome = (value: unknown): value is Outcome =>
  typeof value === 'object' && value !== null && '__typename' in value;

export const invalid = (field: string, message: string): Outcome => ({
  __typename: 'InvalidInput',
  field,
  message,
});

export const answer = (reservation: ReservationRecord): Outcome => ({
  __typename: 'ReservationResult',
  reservation,
});

/** The reservation as it is now: someone else changed it first. */
export const reread = async (context: ReservationContext, id: string): Promise<Outcome> =>
  answer((await context.ledger.find(id))!);

/** The typed result of an operation the reservation's status does not allow. */
export function refused(
  step: { outcome: PublicOutcome; message: string },
  reservationId: string,
): Outcome {
  const { message } = step;
  switch (step.outcome) {
    case 'HoldExpired':
      return { __typename: 'HoldExpired', message, reservationId };
    case 'NotCancellable':
      return { __typename: 'NotCancellable', message, reservationId };
    default:
      return invalid('reservationId', message);
  }
}

export const slotTaken = (slotId: string): Outcome => ({
  __typename: 'SlotUnavailable',
  message: 'the slot has just been taken',
  slotId,
});

/**
 * A new reservation's insert that did not go through: lost to another booking of the slot, or to
 * a repeat of the same call that wrote the same reservation id first (then that is the answer).
 */
export async function insertLost(
  context: ReservationContext,
  reservationId: string,
  slotId: string,
): Promise<Outcome> {
  const written = await context.ledger.find(reservationId);
  return written ? answer(written) : slotTaken(slotId);
}

export const providerUnavailable = (connectionId: string, message: string): Outcome => ({
  __typename: 'ProviderUnavailable',
  message,
  connectionId,
});

/** The public id of a reservation: opaque, and it encodes the provider connection. */
export const reservationPublicId = (row: Pick<ReservationRecord, 'connection_id' | 'id'>) =>
  encodeGlobalId('Reservation', row.connection_id, row.id);

/** The public id of a reservation's slot. */
export const slotPublicId = (row: Pick<ReservationRecord, 'connection_id' | 'slot_id'>) =>
  encodeGlobalId('Slot', row.connection_id, row.slot_id);
