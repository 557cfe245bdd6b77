import { DateTime } from 'luxon';

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** Parses an RFC 3339 instant that carries an offset; returns epoch ms, or null when invalid. */
export function parseInstant(value: string): number | null {
  if (!rfc3339.test(value)) return null;
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid ? parsed.toMillis() : null;
}

/** Formats epoch ms as RFC 3339 in `zone`'s offset at that instant, e.g. `2026-03-29T09:30:00+02:00`. */
export function formatInstant(epochMs: number, zone: string): string {
  return DateTime.fromMillis(epochMs, { zone }).toISO({ suppressMilliseconds: true })!;
}
