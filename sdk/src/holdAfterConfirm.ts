import type { ConfirmReservationMutation } from './__generated__/graphql.js';

/** How a confirm ended: a member of its result union, or no answer at all (a thrown error). */
export type ConfirmOutcome =
  | ConfirmReservationMutation['confirmReservation']['__typename']
  | 'NO_ANSWER';

/**
 * What is left to do with the hold after a confirm:
 * - `booked`: nothing, the slot is the patient's;
 * - `keep`: the hold stands and the confirm may be repeated, with the same idempotency key (the
 *   platform books at most once): after fixing a field (`InvalidInput`), after
 *   `retryAfterSeconds` (`ProviderUnavailable`), or once the connection is back (`NO_ANSWER`,
 *   which may even have booked: repeating it with its key tells);
 * - `release`: it can never be confirmed (`SlotUnavailable`, `IdempotencyConflict`): cancel it,
 *   so the slot is free for someone else at once rather than when the hold runs out;
 * - `gone`: the hold ran out (`HoldExpired`), nothing to release.
 */
export function holdAfterConfirm(outcome: ConfirmOutcome): 'booked' | 'keep' | 'release' | 'gone' {
  switch (outcome) {
    case 'ReservationResult':
      return 'booked';
    case 'InvalidInput':
    case 'ProviderUnavailable':
    case 'NO_ANSWER':
      return 'keep';
    case 'SlotUnavailable':
    case 'IdempotencyConflict':
      return 'release';
    case 'HoldExpired':
      return 'gone';
  }
}
