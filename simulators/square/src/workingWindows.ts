import { DateTime } from 'luxon';
import type { Weekday, WeeklyPeriod } from './seed.js';

/** A span of time, epoch milliseconds, start inclusive and end exclusive. */
export interface Span {
  start: number;
  end: number;
}

const weekdays: readonly Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

function at(day: DateTime, hhmm: string): DateTime {
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

/** The local calendar days (as local midnights) that touch the span, in `zone`. */
export function localDays(span: Span, zone: string): DateTime[] {
  const days: DateTime[] = [];
  const last = DateTime.fromMillis(span.end, { zone }).startOf('day');
  for (
    let day = DateTime.fromMillis(span.start, { zone }).startOf('day');
    day <= last;
    day = day.plus({ days: 1 })
  ) {
    days.push(day);
  }
  return days;
}

/**
 * The instants a weekly schedule covers on one local day. Periods are wall time, resolved per
 * day in the zone, so 09:00 is 09:00 on both sides of a DST switch (and a period on the switch
 * day is an hour shorter or longer only if it spans 02:00–03:00).
 */
export function windowsOnDay(hours: readonly WeeklyPeriod[], day: DateTime): Span[] {
  const name = weekdays[day.weekday - 1];
  return hours
    .filter((period) => period.day === name)
    .map((period) => ({
      start: at(day, period.from).toMillis(),
      end: at(day, period.to).toMillis(),
    }))
    .filter((span) => span.end > span.start);
}

/** Every working window of a weekly schedule that overlaps `span`, in time order. */
export function workingWindows(hours: readonly WeeklyPeriod[], zone: string, span: Span): Span[] {
  return localDays(span, zone)
    .flatMap((day) => windowsOnDay(hours, day))
    .filter((window) => window.end > span.start && window.start < span.end)
    .sort((a, b) => a.start - b.start);
}

/** The local date `yyyy-MM-dd` of an instant in `zone`. */
export function localDate(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd');
}
