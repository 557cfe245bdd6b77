import { DateTime } from 'luxon';

/**
 * The local day on which `zone` next changes its UTC offset, within `withinDays` days after
 * `now`; `undefined` when it does not (a zone without DST, or the change is further away).
 */
export function nextDstChange(now: Date, zone: string, withinDays: number): DateTime | undefined {
  let day = DateTime.fromJSDate(now, { zone }).startOf('day');
  for (let i = 0; i < withinDays; i += 1) {
    const next = day.plus({ days: 1 });
    // Noon of each day: away from the change itself, which happens in the small hours.
    if (next.set({ hour: 12 }).offset !== day.set({ hour: 12 }).offset) return next;
    day = next;
  }
  return undefined;
}
