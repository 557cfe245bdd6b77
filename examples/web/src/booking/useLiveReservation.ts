import { useFragment } from '@apollo/client/react';
import type { ReservationDetailsFragment } from '@varden/booking-sdk';
import { ReservationDetailsFragmentDoc } from '@varden/booking-sdk/documents';

/**
 * A reservation as the cache has it now, not as one answer had it: the cache keeps one copy per
 * reservation id, which every answer about it (a cancellation in "My bookings", a refetch)
 * updates, so each view of it stays current. Read from the cache only; nothing is sent.
 */
export function useLiveReservation(
  reservation: ReservationDetailsFragment,
): ReservationDetailsFragment {
  const live = useFragment({
    fragment: ReservationDetailsFragmentDoc,
    fragmentName: 'ReservationDetails',
    from: reservation,
  });
  return live.complete ? live.data : reservation;
}
