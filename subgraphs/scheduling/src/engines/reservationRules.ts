/**
 * The booking state machine's decisions, pure: which reservation status allows which operation,
 * and what a provider's answer does to a PENDING reservation — its next ledger state and the
 * public outcome. The reservation use cases (`manager/reservations/`) carry them out.
 */

/** Reservation states; PENDING, HELD and CONFIRMED are live and block the slot. */
export type ReservationStatus =
  | 'PENDING'
  | 'HELD'
  | 'CONFIRMED'
  | 'CANCELLED'
  | 'EXPIRED'
  | 'FAILED'
  /** The clinic recorded that the patient did not come (a change at the clinic). */
  | 'NO_SHOW';
export const liveStatuses: readonly ReservationStatus[] = ['PENDING', 'HELD', 'CONFIRMED'];

/** The provider call a PENDING reservation is waiting for; tells the reconciler what to check. */
export type PendingOperation = 'HOLD' | 'BOOK' | 'CONFIRM' | 'CANCEL';

/** Who cancelled a reservation: the client through the API, or the clinic in its own system. */
export type CancelledBy = 'CLIENT' | 'PROVIDER';

/** Who made a change a reservation event records. */
export type ReservationActor = CancelledBy | 'PLATFORM';

/** Operations the platform makes of its own accord, not at a client's request. */
const platformOperations = new Set(['EXPIRE', 'RECONCILE']);

/** Who made the change an event records: the clinic's are marked so in the event itself. */
export function eventActor(operation: string, detail: Record<string, unknown>): ReservationActor {
  if (detail.source === 'PROVIDER') return 'PROVIDER';
  return platformOperations.has(operation) ? 'PLATFORM' : 'CLIENT';
}

/** Who holds a HELD slot: the provider itself, or the platform for providers without holds. */
export type HoldKind = 'PROVIDER' | 'PLATFORM';

/** Whether a reservation in `status` blocks its slot for everyone else. */
export const isLive = (status: ReservationStatus) => liveStatuses.includes(status);

/** Whether a connection takes bookings through the platform (else on its own site only). */
export const takesApiBookings = (capabilities: readonly string[]) =>
  !capabilities.includes('DEEP_LINK_ONLY') && capabilities.includes('API_BOOKING');

/** Who holds a slot of a connection: the provider when it has holds, else the platform. */
export const holdKindOf = (capabilities: readonly string[]): HoldKind =>
  capabilities.includes('HOLDS') ? 'PROVIDER' : 'PLATFORM';

/** The typed results of a booking mutation. */
export type PublicOutcome =
  | 'ReservationResult'
  | 'SlotUnavailable'
  | 'HoldExpired'
  | 'InvalidInput'
  | 'ProviderUnavailable'
  | 'NotCancellable'
  | 'BookingByLink';

/**
 * What an operation does with a reservation in its current status: one of its steps (`answer`:
 * with the reservation as it stands, a repeat or nothing left to do), or refuse with a typed result.
 */
export type Step<Go extends string> =
  | { step: Go }
  | { step: 'refuse'; outcome: PublicOutcome; message: string };

const refuse = (outcome: PublicOutcome, message: string) =>
  ({ step: 'refuse', outcome, message }) as const;
/** A hold that lapsed before it was confirmed. */
export const holdLapsed = refuse('HoldExpired', 'the hold lapsed');
const lower = (status: ReservationStatus) => status.toLowerCase();

/** Confirming: only a live hold is confirmed; a lapsed one is expired first. */
export function confirmStep(
  reservation: { status: ReservationStatus; expiresAtMs: number | null },
  nowMs: number,
): Step<'answer' | 'confirm' | 'expire'> {
  const { status, expiresAtMs } = reservation;
  if (status === 'CONFIRMED' || status === 'PENDING') return { step: 'answer' };
  if (status === 'EXPIRED') return holdLapsed;
  if (status !== 'HELD') return refuse('InvalidInput', `the reservation is ${lower(status)}`);
  if (expiresAtMs !== null && expiresAtMs <= nowMs) return { step: 'expire' };
  return { step: 'confirm' };
}

/**
 * Cancelling: a platform hold is released in the ledger; a provider's hold or booking there. A
 * PENDING reservation is settled first (`settle`): the cancel is recorded as its pending
 * operation, and what the provider turns out to have is cancelled.
 */
export function cancelStep(reservation: {
  status: ReservationStatus;
  holdKind: HoldKind | null;
}): Step<'answer' | 'release' | 'cancel' | 'settle'> {
  const { status, holdKind } = reservation;
  if (status === 'CANCELLED') return { step: 'answer' };
  if (status === 'PENDING') return { step: 'settle' };
  if (status === 'HELD' && holdKind === 'PLATFORM') return { step: 'release' };
  if (status !== 'HELD' && status !== 'CONFIRMED') {
    return refuse('NotCancellable', `the reservation is already ${lower(status)}`);
  }
  return { step: 'cancel' };
}

/** Rescheduling: only a confirmed booking, whose patient the ledger keeps, is moved. */
export function rescheduleStep(reservation: {
  status: ReservationStatus;
  hasPatient: boolean;
}): Step<'move'> {
  const { status, hasPatient } = reservation;
  if (status !== 'CONFIRMED' || !hasPatient) {
    return refuse(
      'NotCancellable',
      `only a confirmed reservation can be moved; this one is ${lower(status)}`,
    );
  }
  return { step: 'move' };
}

/**
 * After a move's new booking is confirmed: the old one is `done` with when it was cancelled (or
 * its cancellation is being settled); otherwise the new booking is given back (`undo`).
 */
export const afterMoveStep = (oldStatus: ReservationStatus): 'done' | 'undo' =>
  oldStatus === 'CANCELLED' || oldStatus === 'PENDING' ? 'done' : 'undo';

/** What a provider said to a PENDING reservation's call. */
export type ProviderVerdict =
  | { kind: 'uncertain' }
  | { kind: 'refused' }
  | { kind: 'booking'; status: 'BOOKED' | 'HELD' | 'CANCELLED' }
  | { kind: 'failed'; code: string; hasBookingUrl: boolean };

/** The ledger transition out of PENDING, and the public result; `to: null` stays PENDING. */
export type SettleStep =
  | { to: null; outcome: 'ReservationResult' }
  | {
      to: ReservationStatus;
      operation: string;
      failureReason?: string;
      outcome: PublicOutcome;
    };

const bookingStatusTo = { BOOKED: 'CONFIRMED', HELD: 'HELD', CANCELLED: 'CANCELLED' } as const;

/** The public result of a provider's typed refusal, by its `ContractErrorCode`. */
function failureOutcome(code: string, hasBookingUrl: boolean): PublicOutcome {
  switch (code) {
    case 'SLOT_UNAVAILABLE':
      return 'SlotUnavailable';
    case 'HOLD_EXPIRED':
      return 'HoldExpired';
    case 'INVALID_INPUT':
      return 'InvalidInput';
    case 'NOT_CANCELLABLE':
      return 'NotCancellable';
    case 'BOOKING_BY_LINK':
      return hasBookingUrl ? 'BookingByLink' : 'ProviderUnavailable';
    default:
      return 'ProviderUnavailable';
  }
}

/**
 * Settling a PENDING reservation by its provider's answer. `pending` is the call it waited for;
 * `onFailure` the state it goes back to when the provider did nothing (FAILED for a new one).
 * An uncertain answer leaves it PENDING for the reconciler to look up.
 */
export function settleStep(
  verdict: ProviderVerdict,
  pending: PendingOperation | null,
  onFailure: ReservationStatus,
): SettleStep {
  switch (verdict.kind) {
    case 'uncertain':
      return { to: null, outcome: 'ReservationResult' };
    case 'refused':
      return {
        to: onFailure,
        operation: `${pending}_REFUSED`,
        failureReason: 'provider unavailable',
        outcome: 'ProviderUnavailable',
      };
    case 'booking':
      return {
        to: bookingStatusTo[verdict.status],
        operation: pending ?? 'SETTLE',
        outcome: 'ReservationResult',
      };
    case 'failed':
      return {
        to:
          verdict.code === 'HOLD_EXPIRED'
            ? 'EXPIRED'
            : verdict.code === 'SLOT_UNAVAILABLE'
              ? 'FAILED'
              : onFailure,
        operation: `${pending}_FAILED`,
        failureReason: verdict.code,
        outcome: failureOutcome(verdict.code, verdict.hasBookingUrl),
      };
  }
}

/**
 * A repeat's verdict when it was sent because the look-up could not tell: only a booking the
 * provider answers settles the reservation; a refusal may be of the very booking the provider
 * cannot find (the slot taken by it), so the reservation stays PENDING.
 */
export const repeatVerdict = (verdict: ProviderVerdict, onlyBookingSettles: boolean) =>
  onlyBookingSettles && verdict.kind !== 'booking' ? ({ kind: 'uncertain' } as const) : verdict;

/**
 * What a provider's booking status says was made, for settling a platform call: a booking the
 * clinic has since marked no-show was a booking (the sweep of confirmed reservations records the
 * no-show itself).
 */
export const madeAs = <S extends string>(status: S): Exclude<S, 'NO_SHOW'> | 'BOOKED' =>
  status === 'NO_SHOW' ? 'BOOKED' : (status as Exclude<S, 'NO_SHOW'>);

/**
 * What a look-up by reservation id told: the status of the provider's booking, that it certainly
 * has none (`NOT_BOOKED`), or nothing (`UNKNOWN`: the provider cannot tell, or did not answer).
 */
export type LookUpAnswer = 'BOOKED' | 'HELD' | 'CANCELLED' | 'NOT_BOOKED' | 'UNKNOWN';

/** What the reconciler does with a PENDING reservation, by what its provider knows of it. */
export type ReconcileStep =
  | { step: 'none' }
  /** Nothing may be concluded: it stays PENDING and is looked up again later. */
  | { step: 'wait' }
  /**
   * Send the booking or confirmation again with the same reservation id (providers book and
   * confirm idempotently by it). `onlyBookingSettles`: the look-up could not tell, so a refusal
   * leaves it PENDING (see `repeatVerdict`).
   */
  | { step: 'repeat'; onlyBookingSettles: boolean }
  /** Move it to `to`; `after` names what the transition leaves to do. */
  | {
      step: 'transition';
      to: ReservationStatus;
      /** What of the provider's booking it records: its reference, and for a hold its expiry. */
      records: 'nothing' | 'reference' | 'hold';
      failureReason?: string;
      after?: 'finishReschedule' | 'cancelAgain';
    };

/**
 * Settling a PENDING reservation by look-up (`found`). A hold, booking or confirmation the
 * provider made is recorded; a booking it certainly does not have, and the confirmation of a live
 * hold it has not made, are sent again; anything else it certainly does not have never took
 * effect there (a platform hold whose confirmation failed is still a hold until it lapses). A
 * cancellation the provider did not make is put back and sent again. When the provider cannot
 * tell, nothing is concluded: the reservation stays PENDING, and only a booking or confirmation
 * the patient asked for is sent again, idempotently, in case the provider can answer that.
 */
export function reconcileStep(
  reservation: {
    pending: PendingOperation | null;
    holdKind: HoldKind | null;
    expiresAtMs: number | null;
    hasPatient: boolean;
  },
  found: LookUpAnswer,
  nowMs: number,
): ReconcileStep {
  const { pending } = reservation;
  if (pending === null) return { step: 'none' };
  if (pending === 'CANCEL') {
    if (found === 'UNKNOWN') return { step: 'wait' };
    if (found === 'NOT_BOOKED' || found === 'CANCELLED') {
      return { step: 'transition', to: 'CANCELLED', records: 'nothing' };
    }
    // Still there (or made after all, for a reservation cancelled while PENDING): recorded as
    // the provider has it, then cancelled again.
    return found === 'HELD'
      ? { step: 'transition', to: 'HELD', records: 'hold', after: 'cancelAgain' }
      : { step: 'transition', to: 'CONFIRMED', records: 'reference', after: 'cancelAgain' };
  }
  if (found === 'BOOKED') {
    return { step: 'transition', to: 'CONFIRMED', records: 'reference', after: 'finishReschedule' };
  }
  if (found === 'UNKNOWN') {
    const asked = (pending === 'BOOK' || pending === 'CONFIRM') && reservation.hasPatient;
    return asked ? { step: 'repeat', onlyBookingSettles: true } : { step: 'wait' };
  }
  // A confirmation whose answer was lost, of a hold that still lives: the provider still has the
  // hold it would confirm (`HELD`), or never booked the platform's hold. Sent again with the same
  // reservation id, idempotently: the patient asked for it.
  const confirmable =
    pending === 'CONFIRM' &&
    reservation.hasPatient &&
    (reservation.expiresAtMs ?? 0) > nowMs &&
    (reservation.holdKind === 'PROVIDER' ? found === 'HELD' : found === 'NOT_BOOKED');
  if (confirmable) return { step: 'repeat', onlyBookingSettles: false };
  if (found === 'HELD') return { step: 'transition', to: 'HELD', records: 'hold' };
  if (pending === 'BOOK' && reservation.hasPatient) {
    return { step: 'repeat', onlyBookingSettles: false };
  }
  const platformHoldLives =
    pending === 'CONFIRM' &&
    reservation.holdKind === 'PLATFORM' &&
    (reservation.expiresAtMs ?? 0) > nowMs;
  return {
    step: 'transition',
    to: platformHoldLives ? 'HELD' : pending === 'CONFIRM' ? 'EXPIRED' : 'FAILED',
    records: 'nothing',
    failureReason: 'not found at the provider',
  };
}
