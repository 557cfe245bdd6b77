import { useQuery } from '@apollo/client/react';
import { MyReservationsDocument } from '@varden/booking-sdk/documents';
import { useState } from 'react';
import { ErrorMessage } from '../errors/ErrorMessage.js';
import { BookingItem } from './BookingItem.js';
import { useCancelBooking } from './useCancelBooking.js';

/** The patient's reservations, newest first, each cancellable while it is held or booked. */
export function MyBookings(props: { now: Date }) {
  const bookings = useQuery(MyReservationsDocument, {
    variables: { first: 20 },
    notifyOnNetworkStatusChange: true,
  });
  const cancelling = useCancelBooking();
  const [olderError, setOlderError] = useState<unknown>(null);
  const connection = bookings.data?.myReservations;
  const showOlder = (after: string | null) => {
    setOlderError(null);
    bookings.fetchMore({ variables: { after } }).catch(setOlderError);
  };
  return (
    <section className="panel my-bookings" aria-labelledby="my-bookings-heading">
      <h2 id="my-bookings-heading">My bookings</h2>
      {bookings.error && (
        <ErrorMessage
          error={bookings.error}
          retry={() => void bookings.refetch().catch(() => undefined)}
        />
      )}
      {!connection && bookings.loading && <p className="status">Loading your bookings…</p>}
      {connection && connection.edges.length === 0 && <p>You have no bookings yet.</p>}
      {connection && connection.edges.length > 0 && (
        <ul className="booking-list">
          {connection.edges.map(({ node }) => (
            <BookingItem key={node.id} reservation={node} now={props.now} cancelling={cancelling} />
          ))}
        </ul>
      )}
      {olderError !== null && (
        <ErrorMessage
          error={olderError}
          retry={() => showOlder(connection?.pageInfo.endCursor ?? null)}
        />
      )}
      {connection?.pageInfo.hasNextPage && (
        <button
          type="button"
          disabled={bookings.loading}
          onClick={() => showOlder(connection.pageInfo.endCursor)}
        >
          Show older bookings
        </button>
      )}
    </section>
  );
}
