import type { ReservationDetailsFragment } from '@varden/booking-sdk';
import { useEffect, useRef } from 'react';
import { useAuth } from '../auth/AuthProvider.js';
import { clockTime } from '../format/swedishTime.js';
import { AppointmentSummary } from './AppointmentSummary.js';
import { BookingNoticeView } from './BookingNoticeView.js';
import { PatientForm } from './PatientForm.js';
import type { BookingFlow } from './useBookingFlow.js';
import { useLiveReservation } from './useLiveReservation.js';

/** The booked reservation, kept current: cancelled in "My bookings", it says so here too. */
function Booked(props: { reservation: ReservationDetailsFragment; now: Date }) {
  const reservation = useLiveReservation(props.reservation);
  const reference =
    reservation.providerReference && ` (reference ${reservation.providerReference})`;
  return (
    <>
      <p className="status success" aria-live="polite">
        {reservation.status === 'CONFIRMED' && <>Your appointment is booked{reference}.</>}
        {reservation.status === 'PENDING' && <>Booked; the clinic is confirming it{reference}.</>}
        {reservation.status === 'CANCELLED' && <>This booking has been cancelled.</>}
      </p>
      <AppointmentSummary slot={reservation.slot} now={props.now} />
    </>
  );
}

/**
 * The booking of the chosen time, step by step: held (with the patient form), booked, or what
 * went wrong. Its heading takes the focus when a step begins, so that keyboard and screen reader
 * users land where the next thing happens.
 */
export function BookingPanel(props: { flow: BookingFlow; now: Date }) {
  const { flow, now } = props;
  const { step, notice } = flow;
  const { patient } = useAuth();
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (step.kind === 'held' || step.kind === 'confirmed') {
      heading.current?.focus();
      heading.current?.scrollIntoView({ block: 'nearest' });
    }
  }, [step.kind]);

  if (step.kind === 'idle' && !notice) return null;
  return (
    <section className="panel booking" aria-labelledby="booking-heading">
      <h2 id="booking-heading" ref={heading} tabIndex={-1}>
        Your booking
      </h2>
      {notice && <BookingNoticeView notice={notice} retry={flow.retry} />}
      {step.kind === 'holding' && (
        <>
          <p className="status" aria-live="polite">
            Holding the time for you…
          </p>
          <AppointmentSummary slot={step.slot} now={now} />
        </>
      )}
      {(step.kind === 'held' || step.kind === 'confirming') && (
        <>
          <p className="status" aria-live="polite">
            {step.reservation.expiresAt &&
              `Held for you until ${clockTime(step.reservation.expiresAt, step.reservation.slot.clinic.timeZone)}. `}
            Confirm with the patient’s details to book it.
          </p>
          <AppointmentSummary slot={step.reservation.slot} now={now} />
          <PatientForm
            key={step.reservation.id}
            reservation={step.reservation}
            flow={flow}
            initial={patient}
            busy={step.kind === 'confirming'}
          />
        </>
      )}
      {step.kind === 'confirmed' && (
        <>
          <Booked reservation={step.reservation} now={now} />
          <button type="button" onClick={flow.startOver}>
            Book another time
          </button>
        </>
      )}
    </section>
  );
}
