import { DateTime } from 'luxon';

/** Every RIV-TA producer speaks Swedish wall-clock time. */
export const swedishZone = 'Europe/Stockholm';

/** RIV-TA `TS`: local wall time `YYYYMMDDhhmmss`, no offset. */
export const tsFormat = 'yyyyMMddHHmmss';
/** RIV-TA `DT`: local date `YYYYMMDD`. */
export const dtFormat = 'yyyyMMdd';

/** An instant as RIV-TA writes it: Stockholm wall time, offset dropped. */
export function formatTs(instant: DateTime | Date): string {
  const value = instant instanceof Date ? DateTime.fromJSDate(instant) : instant;
  return value.setZone(swedishZone).toFormat(tsFormat);
}

/** A local calendar day as RIV-TA `DT`. */
export function formatDt(day: DateTime): string {
  return day.setZone(swedishZone).toFormat(dtFormat);
}

/** Local midnight of a `DT`, or undefined when it is no calendar date (`20260231`). */
export function parseDt(text: string): DateTime | undefined {
  const value = DateTime.fromFormat(text, dtFormat, { zone: swedishZone });
  return value.isValid ? value : undefined;
}

/**
 * The instant of a local wall time, or undefined when the wall time does not exist (the hour
 * skipped when summer time starts). A wall time in the hour that repeats when summer time ends
 * is read as its earlier occurrence (summer time): the producer keeps its book in wall time and
 * cannot tell the two apart, so neither can anyone reading its `TS` values.
 */
export function wallToInstant(wall: {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}): DateTime | undefined {
  const value = DateTime.fromObject({ ...wall, second: 0 }, { zone: swedishZone });
  if (!value.isValid || value.hour !== wall.hour || value.minute !== wall.minute) return undefined;
  // Luxon takes the later offset for an ambiguous time; the earlier one is an hour before it
  // when that instant shows the same wall time.
  const earlier = value.minus({ hours: 1 });
  return earlier.hour === wall.hour && earlier.minute === wall.minute ? earlier : value;
}

/** Reads a `TS` (already checked against the schema's pattern) as an instant, earlier on a repeat. */
export function parseTs(text: string): DateTime | undefined {
  if (!/^\d{14}$/.test(text)) return undefined;
  const [year, month, day, hour, minute] = [0, 4, 6, 8, 10].map((at, i) =>
    Number(text.slice(at, at + (i === 0 ? 4 : 2))),
  ) as [number, number, number, number, number];
  if (text.slice(12) !== '00') return undefined;
  return wallToInstant({ year, month, day, hour, minute });
}

/** The clock's instant in Stockholm time. */
export function nowLocal(clock: () => Date): DateTime {
  return DateTime.fromJSDate(clock()).setZone(swedishZone);
}
