import { DateTime } from 'luxon';

/** What to do with a wall-clock time that occurs twice (the repeated hour when DST ends). */
export type Disambiguation = 'earlier' | 'later';

const wallFormat = "yyyy-MM-dd'T'HH:mm:ss";

/**
 * Converts a wall-clock time without offset (`2026-10-25T02:30:00`) in `zone` to an RFC 3339 UTC
 * instant. In the repeated hour of October the earlier instant (summer time) is taken unless
 * `disambiguation` says `later`; a time that does not exist (the skipped hour in March) moves
 * forward by the gap, as a clock on the wall would. Throws on an unparseable time or unknown zone.
 */
export function localToInstant(
  wall: string,
  zone: string,
  disambiguation: Disambiguation = 'earlier',
): string {
  // Offsets change only on whole hours, so the offset found for one wall-clock hour holds for
  // every time in it: providers list hundreds of slots per hour-day, and luxon is slow.
  const match = localPattern.exec(wall);
  if (match) {
    const key = `${zone}|${disambiguation}|${wall.slice(0, 13)}`;
    let offsetMs = offsetCache.get(key);
    if (offsetMs === undefined) {
      const hourStart = `${wall.slice(0, 13)}:00:00`;
      offsetMs = wallAsUtc(hourStart) - Date.parse(resolve(hourStart, zone, disambiguation));
      if (offsetCache.size >= maxCachedHours) offsetCache.clear();
      offsetCache.set(key, offsetMs);
    }
    // A wall time in a skipped hour has no offset of its own; let luxon move it forward.
    const instant = new Date(wallAsUtc(wall) - offsetMs);
    if (
      !Number.isNaN(instant.getTime()) &&
      instantToLocalFast(instant, offsetMs) === wall.slice(0, 19)
    ) {
      return instant.toISOString();
    }
  }
  return resolve(wall, zone, disambiguation);
}

const localPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const offsetCache = new Map<string, number>();
const maxCachedHours = 50_000;

/** Epoch ms of a wall time read as if it were UTC. */
function wallAsUtc(wall: string): number {
  return Date.parse(`${wall}Z`);
}

/** The wall time of `instant` at a fixed offset, as `yyyy-MM-ddTHH:mm:ss`. */
function instantToLocalFast(instant: Date, offsetMs: number): string {
  return new Date(instant.getTime() + offsetMs).toISOString().slice(0, 19);
}

function resolve(wall: string, zone: string, disambiguation: Disambiguation): string {
  const parsed = DateTime.fromISO(wall, { zone, setZone: false });
  if (!parsed.isValid) {
    throw new RangeError(`invalid local time "${wall}" in ${zone}: ${parsed.invalidExplanation}`);
  }
  if (/(?:Z|[+-]\d\d:?\d\d)$/.test(wall)) {
    throw new RangeError(`expected a local time without offset, got "${wall}"`);
  }
  // Luxon resolves an ambiguous wall time to one of its two instants; find the other, if any.
  const shown = parsed.toFormat(wallFormat);
  const hour = 60 * 60 * 1000;
  const candidates = [parsed.toMillis() - hour, parsed.toMillis(), parsed.toMillis() + hour]
    .map((ms) => DateTime.fromMillis(ms, { zone }))
    .filter((candidate) => candidate.toFormat(wallFormat) === shown);
  const chosen = disambiguation === 'earlier' ? candidates[0] : candidates[candidates.length - 1];
  return (chosen ?? parsed).toUTC().toISO()!;
}

/** Converts an RFC 3339 instant to the wall-clock time without offset in `zone`. */
export function instantToLocal(instant: string | Date, zone: string): string {
  const value =
    typeof instant === 'string'
      ? DateTime.fromISO(instant, { setZone: true })
      : DateTime.fromJSDate(instant);
  if (!value.isValid) throw new RangeError(`invalid instant "${String(instant)}"`);
  return value.setZone(zone).toFormat(wallFormat);
}

/**
 * A vendor's interval of wall-clock times in `zone` as instants. The start takes the earlier
 * occurrence of a repeated wall time (a book kept in wall time cannot say which one it meant); an
 * end that would then fall at or before the start (02:50 summer time → 02:10 winter time) takes the
 * later occurrence. Throws a RangeError on an unreadable time or an interval that still ends at or
 * before its start: the vendor's fault, for the caller to report as a bad response.
 */
export function localIntervalToInstants(
  start: string,
  end: string,
  zone: string,
): { start: string; end: string } {
  const startInstant = localToInstant(start, zone, 'earlier');
  let endInstant = localToInstant(end, zone, 'earlier');
  if (endInstant <= startInstant) endInstant = localToInstant(end, zone, 'later');
  if (endInstant <= startInstant) throw new RangeError('the interval ends before it starts');
  return { start: startInstant, end: endInstant };
}
