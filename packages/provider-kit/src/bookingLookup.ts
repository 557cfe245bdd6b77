import type { ContractBooking, ContractBookingLookup } from './__generated__/contract.js';

/**
 * What a look-up by reservation id found out: the booking (`FOUND`), certainly none
 * (`NOT_BOOKED`: the provider looked where it would be), or that it cannot tell (`UNKNOWN`). An
 * adapter's `getBooking` answers one of these; `T` is the booking as the adapter holds it (a
 * vendor's, or the contract's `ContractBooking`).
 */
export type BookingLookup<T = ContractBooking> =
  | { readonly status: 'FOUND'; readonly booking: T }
  | { readonly status: 'NOT_BOOKED' }
  | { readonly status: 'UNKNOWN'; readonly reason: string };

/** The booking or hold made for the reservation. */
export const bookingFound = <T>(booking: T): BookingLookup<T> => ({ status: 'FOUND', booking });

/**
 * Certainly no booking or hold for the reservation: say it only after looking where one would be
 * (the vendor searched by the reservation id, the slot's window, the patient's schedule). The
 * platform then fails the reservation or books again.
 */
export const notBooked = <T = ContractBooking>(): BookingLookup<T> => ({ status: 'NOT_BOOKED' });

/**
 * The adapter cannot tell: a record it should have is missing, or the vendor's answer says
 * nothing either way. `reason` is logged by the platform: codes and prose, never patient data.
 */
export const cannotTell = <T = ContractBooking>(reason: string): BookingLookup<T> => ({
  status: 'UNKNOWN',
  reason,
});

/**
 * An adapter's look-up as the contract answers it. Whatever is not a clear answer about this
 * reservation is `UNKNOWN`, never `NOT_BOOKED`: no answer at all, or a booking made for another
 * reservation id.
 */
export function toContractLookup(
  lookup: BookingLookup | null | undefined,
  reservationId: string,
): ContractBookingLookup {
  const unknown = (reason: string) => ({ status: 'UNKNOWN' as const, booking: null, reason });
  switch (lookup?.status) {
    case 'FOUND':
      return lookup.booking.reservationId === reservationId
        ? { status: 'FOUND', booking: lookup.booking, reason: null }
        : unknown('the provider answered a booking of another reservation');
    case 'NOT_BOOKED':
      return { status: 'NOT_BOOKED', booking: null, reason: null };
    case 'UNKNOWN':
      return unknown(lookup.reason);
    default:
      return unknown('the adapter gave no answer');
  }
}
