import { DateTime } from 'luxon';

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** Parses an RFC 3339 instant that carries an offset; returns epoch ms, or null when invalid. */
export function parseInstant(value: string): number | null {
  if (!rfc3339.test(value)) return null;
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid ? parsed.toMillis() : null;
}

/** Offsets change on quarter hours at most (in practice on the hour): one look-up per quarter. */
const quarterMs = 15 * 60_000;
const offsets = new Map<string, number>();

/** `zone`'s UTC offset in minutes at `epochMs`, cached per zone and quarter hour (luxon is slow). */
export function offsetMinutes(epochMs: number, zone: string): number {
  const key = `${zone}|${Math.floor(epochMs / quarterMs)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = DateTime.fromMillis(epochMs, { zone }).offset;
    if (offsets.size > 100_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Formats epoch ms as RFC 3339 in `zone`'s offset at that instant, e.g. `2026-03-29T09:30:00+02:00`. */
export function formatInstant(epochMs: number, zone: string): string {
  const offset = offsetMinutes(epochMs, zone);
  const local = new Date(epochMs + offset * 60_000).toISOString();
  const wall = local.endsWith('.000Z') ? local.slice(0, 19) : local.slice(0, 23);
  if (zone === 'UTC') return `${wall}Z`;
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${wall}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
