import {
  type Disambiguation,
  instantToLocal,
  localIntervalToInstants,
  localToInstant,
  ProviderError,
  ProviderErrorCode,
} from '@booking/provider-kit';

/** RIV-TA times are Swedish wall time, whatever the care unit. */
export const rivtaTimeZone = 'Europe/Stockholm';

/** `YYYYMMDDhhmmss` → `YYYY-MM-DDThh:mm:ss`. */
function tsToWall(ts: string): string {
  return `${ts.slice(0, 4)}-${ts.slice(4, 6)}-${ts.slice(6, 8)}T${ts.slice(8, 10)}:${ts.slice(10, 12)}:${ts.slice(12, 14)}`;
}

/**
 * A RIV-TA `TS` (Swedish wall time without offset) as an RFC 3339 UTC instant. A time in the hour
 * that repeats when summer time ends (2026-10-25 02:00–02:59) is ambiguous: `disambiguation`
 * picks its occurrence. A time in the hour skipped in spring moves forward by the gap, as a wall
 * clock would. Throws a RangeError on a malformed `TS`.
 */
export function tsToInstant(ts: string, disambiguation: Disambiguation = 'earlier'): string {
  if (!/^\d{14}$/.test(ts)) throw new RangeError(`not a TS: "${ts}"`);
  return localToInstant(tsToWall(ts), rivtaTimeZone, disambiguation);
}

/** An instant as a RIV-TA `TS`. Both instants of the repeated autumn hour give the same `TS`. */
export function instantToTs(instant: string | Date): string {
  return instantToLocal(instant, rivtaTimeZone).replace(/[-T:]/g, '');
}

/** The local date (RIV-TA `DT`, `YYYYMMDD`) of an instant. */
export function instantToDt(instant: string | Date): string {
  return instantToTs(instant).slice(0, 8);
}

/**
 * The local dates to ask for so that every timeslot starting in [from, to) is included: the
 * date of `from` up to the date of the last millisecond before `to`, both inclusive (`DT` ranges
 * are whole days; the exact window is applied again after conversion).
 */
export function windowDates(fromMs: number, toMs: number): { first: string; last: string } {
  return { first: instantToDt(new Date(fromMs)), last: instantToDt(new Date(toMs - 1)) };
}

/**
 * A timeslot's start and end as instants, the repeated autumn hour resolved as the kit's
 * `localIntervalToInstants` does (the simulator and the producers it stands in for keep their
 * books in wall time, each wall time once). Bad times are the producer's fault:
 * PROVIDER_BAD_RESPONSE.
 */
export function timeslotInstants(start: string, end: string): { start: string; end: string } {
  try {
    if (!/^\d{14}$/.test(start) || !/^\d{14}$/.test(end)) throw new RangeError('not a TS');
    return localIntervalToInstants(tsToWall(start), tsToWall(end), rivtaTimeZone);
  } catch (cause) {
    throw new ProviderError(ProviderErrorCode.BadResponse, 'RIV-TA sent an invalid timeslot time', {
      cause,
    });
  }
}
