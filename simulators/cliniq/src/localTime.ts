import { DateTime } from 'luxon';

/** Every Cliniq installation runs on Swedish wall-clock time. */
export const cliniqZone = 'Europe/Stockholm';

/** Cliniq's time format: local wall time with no offset, e.g. `2026-03-29T09:30:00`. */
export const localFormat = "yyyy-MM-dd'T'HH:mm:ss";

const localPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/** Renders an instant as Cliniq does: Stockholm wall time, offset dropped. */
export function formatLocal(instant: DateTime | Date): string {
  const value = instant instanceof Date ? DateTime.fromJSDate(instant) : instant;
  return value.setZone(cliniqZone).toFormat(localFormat);
}

/**
 * Reads a Cliniq local time. Strings with an offset or `Z` are refused: the real system would
 * silently misread them, and a client sending them has a bug worth surfacing.
 */
export function parseLocal(text: string): DateTime | undefined {
  if (!localPattern.test(text)) return undefined;
  const value = DateTime.fromFormat(text, localFormat, { zone: cliniqZone });
  return value.isValid ? value : undefined;
}

/** The clock's instant in Stockholm time. */
export function nowLocal(clock: () => Date): DateTime {
  return DateTime.fromJSDate(clock()).setZone(cliniqZone);
}
