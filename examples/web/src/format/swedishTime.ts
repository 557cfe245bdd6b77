/**
 * Times as a Swedish patient reads them, always in the clinic's own time zone (a slot's `start`
 * carries the clinic's offset, but the browser may be anywhere).
 */

const dayFormats = new Map<string, Intl.DateTimeFormat>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();
const weekday = new Intl.DateTimeFormat('sv-SE', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  timeZone: 'UTC',
});
const relative = new Intl.RelativeTimeFormat('sv', { numeric: 'auto' });

function cached(
  formats: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('sv-SE', { ...options, timeZone });
    formats.set(timeZone, format);
  }
  return format;
}

/** The calendar day of `instant` in `timeZone`, as `YYYY-MM-DD` (Swedish dates read that way). */
export function calendarDay(instant: string | Date, timeZone: string): string {
  const format = cached(dayFormats, timeZone, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return format.format(new Date(instant));
}

/** `08:30`: the wall-clock time of `instant` at the clinic. */
export function clockTime(instant: string, timeZone: string): string {
  const format = cached(timeFormats, timeZone, { hour: '2-digit', minute: '2-digit' });
  return format.format(new Date(instant));
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * A day heading relative to `today` (both `YYYY-MM-DD`): `I dag, tisdag 9 december`,
 * `I morgon, …`, `I övermorgon, …`, then the weekday and date alone.
 */
export function dayHeading(day: string, today: string): string {
  const daysAhead = Math.round((Date.parse(day) - Date.parse(today)) / 86_400_000);
  const date = weekday.format(new Date(`${day}T12:00:00Z`));
  return daysAhead >= 0 && daysAhead <= 2
    ? `${capitalised(relative.format(daysAhead, 'day'))}, ${date}`
    : capitalised(date);
}

/** `I morgon, onsdag 10 december kl. 08:30`: when an appointment is, relative to `now`. */
export function appointmentTime(instant: string, timeZone: string, now: Date): string {
  const heading = dayHeading(calendarDay(instant, timeZone), calendarDay(now, timeZone));
  return `${heading} kl. ${clockTime(instant, timeZone)}`;
}
