import type { ReservationStatus } from './reservationRules.js';

/** What a provider says a booking is now, after a change at the clinic. */
export interface ClinicBooking {
  status: 'HELD' | 'BOOKED' | 'CANCELLED' | 'NO_SHOW';
  slotId: string;
  /** RFC 3339; null when the provider does not say. */
  start: string | null;
  end: string | null;
}

/** What the ledger holds of the reservation the booking was made for. */
export interface LedgerBooking {
  status: ReservationStatus;
  slotId: string;
  start: string;
  end: string;
  /** The provider's time of the last clinic change applied to it, epoch ms. */
  clinicChangedAtMs: number | null;
}

/** Why a change at the clinic leaves the ledger as it is. */
export type UnchangedReason =
  /** The ledger already says what the clinic says. */
  | 'CURRENT'
  /** An older change than one already applied (changes may arrive out of order). */
  | 'OUT_OF_ORDER'
  /** A platform call on it is in flight; the sweep looks at it again once it has settled. */
  | 'IN_FLIGHT'
  /** The reservation ended on the platform (cancelled, expired, failed) before this change. */
  | 'ENDED';

export type ClinicChangeStep =
  | { step: 'cancel' }
  | { step: 'noShow' }
  | { step: 'move'; slotId: string; start: string; end: string }
  | { step: 'none'; reason: UnchangedReason };

const sameInstant = (a: string, b: string) => Date.parse(a) === Date.parse(b);

/**
 * What a change at the clinic does to a reservation, pure: a cancellation there cancels it (the
 * provider cancelled it), a no-show is recorded, a booking the clinic moved takes its new time (and
 * slot, when the provider names another). A change older than the last one applied is out of
 * order and changes nothing, so a late or repeated report never undoes a newer one.
 */
export function clinicChangeStep(
  ledger: LedgerBooking,
  clinic: ClinicBooking,
  occurredAtMs: number,
): ClinicChangeStep {
  if (ledger.clinicChangedAtMs !== null && occurredAtMs < ledger.clinicChangedAtMs) {
    return { step: 'none', reason: 'OUT_OF_ORDER' };
  }
  if (ledger.status === 'PENDING') return { step: 'none', reason: 'IN_FLIGHT' };
  const live = ledger.status === 'HELD' || ledger.status === 'CONFIRMED';
  switch (clinic.status) {
    case 'CANCELLED':
      if (live) return { step: 'cancel' };
      return { step: 'none', reason: ledger.status === 'CANCELLED' ? 'CURRENT' : 'ENDED' };
    case 'NO_SHOW':
      if (ledger.status === 'CONFIRMED') return { step: 'noShow' };
      return { step: 'none', reason: ledger.status === 'NO_SHOW' ? 'CURRENT' : 'ENDED' };
    case 'BOOKED': {
      if (ledger.status !== 'CONFIRMED') {
        return { step: 'none', reason: live ? 'CURRENT' : 'ENDED' };
      }
      const start = clinic.start ?? ledger.start;
      // A provider that gives only the new start keeps the appointment's length.
      const lengthMs = Date.parse(ledger.end) - Date.parse(ledger.start);
      const end = clinic.end ?? new Date(Date.parse(start) + lengthMs).toISOString();
      const moved =
        clinic.slotId !== ledger.slotId ||
        !sameInstant(start, ledger.start) ||
        !sameInstant(end, ledger.end);
      return moved
        ? { step: 'move', slotId: clinic.slotId, start, end }
        : { step: 'none', reason: 'CURRENT' };
    }
    default:
      return { step: 'none', reason: 'CURRENT' };
  }
}
