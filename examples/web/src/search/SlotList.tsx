import type { SlotSummaryFragment } from '@varden/booking-sdk';
import { calendarDay, clockTime, dayHeading } from '../format/swedishTime.js';
import { webLink } from '../format/webLink.js';

interface Day {
  day: string;
  slots: SlotSummaryFragment[];
}

/** Slots in the API's order (by start), in runs of one calendar day at their clinic. */
function byDay(slots: readonly SlotSummaryFragment[]): Day[] {
  const days: Day[] = [];
  for (const slot of slots) {
    const day = calendarDay(slot.start, slot.clinic.timeZone);
    const last = days.at(-1);
    if (last?.day === day) last.slots.push(slot);
    else days.push({ day, slots: [slot] });
  }
  return days;
}

function SlotDetails(props: { slot: SlotSummaryFragment }) {
  const { slot } = props;
  const { timeZone } = slot.clinic;
  return (
    <>
      <span className="slot-time">
        {clockTime(slot.start, timeZone)}–{clockTime(slot.end, timeZone)}
      </span>
      <span className="slot-clinic">
        {slot.clinic.name}
        {slot.clinic.address && `, ${slot.clinic.address.city}`}
      </span>
      <span className="slot-who">
        {slot.practitioner?.name ?? slot.treatment?.name}
        <span className="slot-provider"> · {slot.provider.name}</span>
      </span>
    </>
  );
}

/**
 * The week's free times by day, in the clinic's local time. A time booked through the API is a
 * button that holds it (when the patient is signed in); one booked on the provider's own site is
 * a link there.
 */
export function SlotList(props: {
  slots: readonly SlotSummaryFragment[];
  now: Date;
  onPick: ((slot: SlotSummaryFragment) => void) | null;
}) {
  const { onPick } = props;
  return (
    <div className="slot-list">
      {byDay(props.slots).map(({ day, slots }) => (
        <section key={day} aria-labelledby={`day-${day}`}>
          <h3 id={`day-${day}`}>
            {dayHeading(day, calendarDay(props.now, slots[0]!.clinic.timeZone))}
          </h3>
          <ul>
            {slots.map((slot) => (
              <li key={slot.id}>
                {slot.bookingMethod === 'DEEP_LINK' && webLink(slot.bookingUrl) ? (
                  <a
                    className="slot"
                    href={webLink(slot.bookingUrl)}
                    target="_blank"
                    rel="noopener noreferrer"
                  >
                    <SlotDetails slot={slot} />
                    <span className="slot-action">Book on the clinic’s site ↗</span>
                  </a>
                ) : onPick ? (
                  <button type="button" className="slot" onClick={() => onPick(slot)}>
                    <SlotDetails slot={slot} />
                    <span className="slot-action">Book</span>
                  </button>
                ) : (
                  <div className="slot">
                    <SlotDetails slot={slot} />
                  </div>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
