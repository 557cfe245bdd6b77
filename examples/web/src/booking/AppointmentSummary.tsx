import type { SlotSummaryFragment } from '@varden/booking-sdk';
import { appointmentTime, clockTime } from '../format/swedishTime.js';

/** When, where, with whom and what: one slot as a patient reads it, in the clinic's time. */
export function AppointmentSummary(props: { slot: SlotSummaryFragment; now: Date }) {
  const { slot, now } = props;
  const { clinic } = slot;
  return (
    <dl className="appointment">
      <dt>When</dt>
      <dd>
        {appointmentTime(slot.start, clinic.timeZone, now)}–{clockTime(slot.end, clinic.timeZone)}
      </dd>
      <dt>Where</dt>
      <dd>
        {clinic.name}
        {clinic.address && (
          <>
            , {clinic.address.line}, {clinic.address.city}
          </>
        )}
      </dd>
      {slot.practitioner && (
        <>
          <dt>With</dt>
          <dd>{slot.practitioner.name}</dd>
        </>
      )}
      {slot.treatment && (
        <>
          <dt>For</dt>
          <dd>{slot.treatment.name}</dd>
        </>
      )}
    </dl>
  );
}
