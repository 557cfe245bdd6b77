import type { ReservationDetailsFragment, ReservationStatus } from '@varden/booking-sdk';
import { useState } from 'react';
import { AppointmentSummary } from '../booking/AppointmentSummary.js';
import { ErrorMessage } from '../errors/ErrorMessage.js';
import type { CancelOutcome, useCancelBooking } from './useCancelBooking.js';

const statusText: Record<ReservationStatus, string> = {
  PENDING: 'Waiting for the clinic',
  HELD: 'Held',
  CONFIRMED: 'Booked',
  CANCELLED: 'Cancelled',
  EXPIRED: 'Hold expired',
  FAILED: 'Not booked',
  NO_SHOW: 'Missed',
};

const cancellable = new Set<ReservationStatus>(['HELD', 'CONFIRMED']);

function OutcomeText(props: { outcome: CancelOutcome; retry: () => void }) {
  const { outcome } = props;
  switch (outcome.kind) {
    case 'cancelled':
      return <p className="status success">The booking is cancelled.</p>;
    case 'refused':
      return (
        <p className="notice notice-error" role="alert">
          {outcome.message}
        </p>
      );
    case 'provider-unavailable':
      return (
        <div className="notice notice-error" role="alert">
          <p>
            {outcome.providerName}’s booking system is not answering, so the booking is not
            cancelled yet.
          </p>
          <button type="button" onClick={props.retry}>
            Try again
          </button>
        </div>
      );
    case 'api-error':
      return <ErrorMessage error={outcome.error} retry={props.retry} />;
  }
}

/** One of the patient's reservations: its status, when and where, and cancelling it (asked twice). */
export function BookingItem(props: {
  reservation: ReservationDetailsFragment;
  now: Date;
  cancelling: ReturnType<typeof useCancelBooking>;
}) {
  const { reservation, cancelling } = props;
  const [asking, setAsking] = useState(false);
  const busy = cancelling.busyId === reservation.id;
  const outcome = cancelling.outcome?.id === reservation.id ? cancelling.outcome.outcome : null;
  const cancel = () => {
    setAsking(false);
    void cancelling.cancel(reservation.id);
  };
  return (
    <li className={`booking-item status-${reservation.status.toLowerCase()}`}>
      <p className="booking-status">
        <span className="badge">{statusText[reservation.status]}</span>
        {reservation.cancelledBy === 'PROVIDER' && ' by the clinic'}
        {reservation.providerReference && (
          <span className="reference"> · reference {reservation.providerReference}</span>
        )}
      </p>
      <AppointmentSummary slot={reservation.slot} now={props.now} />
      <div aria-live="polite">{outcome && <OutcomeText outcome={outcome} retry={cancel} />}</div>
      {cancellable.has(reservation.status) &&
        (asking ? (
          <div className="confirm-cancel">
            <p>Cancel this booking?</p>
            <button type="button" className="danger" onClick={cancel}>
              Yes, cancel it
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              Keep it
            </button>
          </div>
        ) : (
          <button type="button" onClick={() => setAsking(true)} disabled={busy}>
            {busy ? 'Cancelling…' : 'Cancel booking'}
          </button>
        ))}
    </li>
  );
}
