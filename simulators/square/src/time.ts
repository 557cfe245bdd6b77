import { invalid } from './errors.js';

const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Reads an RFC 3339 timestamp (with `Z` or an offset, as Square requires) into epoch
 * milliseconds; a missing or malformed one is Square's `INVALID_TIME` on `field`.
 */
export function parseTime(value: unknown, field: string): number {
  if (typeof value !== 'string' || !rfc3339.test(value)) {
    throw invalid('INVALID_TIME', `Invalid RFC 3339 timestamp: ${JSON.stringify(value)}.`, field);
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalid('INVALID_TIME', `Invalid timestamp ${value}.`, field);
  return ms;
}

/** Square writes instants in UTC to the second: `2026-03-30T07:00:00Z`. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const minuteMs = 60_000;
export const hourMs = 60 * minuteMs;
export const dayMs = 24 * hourMs;
