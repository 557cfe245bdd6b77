import { DateTime } from 'luxon';

/**
 * The slot cache's unit: one provider connection's answer for one clinic, one local day and one
 * (treatment, practitioner) filter. Invalidation works on the day — every filter of a clinic's day
 * at once — because a booking changes that day for every filter.
 */
export interface CellAddress {
  /** `connectionId|clinicId|YYYY-MM-DD`: what a booking invalidates. */
  readonly day: string;
  /** `treatmentId|practitionerId`, `*` for no filter. */
  readonly variant: string;
}

/** Clinics are Swedish: a cache day is a day in Stockholm. */
export const cacheZone = 'Europe/Stockholm';

export const dayAddress = (connectionId: string, clinicId: string, localDay: string) =>
  `${connectionId}|${clinicId}|${localDay}`;

export const variantOf = (treatmentId: string | null, practitionerId: string | null) =>
  `${treatmentId ?? '*'}|${practitionerId ?? '*'}`;

/** The local day (`YYYY-MM-DD`) an instant falls on. */
export function localDayOf(epochMs: number): string {
  return DateTime.fromMillis(epochMs, { zone: cacheZone }).toISODate()!;
}

/** The instant a local day starts (midnight is not skipped by Swedish DST, which changes at 02:00/03:00). */
export function dayStartMs(localDay: string): number {
  return DateTime.fromISO(localDay, { zone: cacheZone }).toMillis();
}

const recentWindows = new Map<string, readonly string[]>();

/** Every local day that overlaps [fromMs, toMs); memoised, since every search asks it per provider. */
export function daysOverlapping(fromMs: number, toMs: number): readonly string[] {
  const key = `${fromMs}|${toMs}`;
  const known = recentWindows.get(key);
  if (known) return known;
  const days: string[] = [];
  let day = DateTime.fromMillis(fromMs, { zone: cacheZone }).startOf('day');
  while (day.toMillis() < toMs) {
    days.push(day.toISODate()!);
    day = day.plus({ days: 1 });
  }
  if (recentWindows.size >= 1000) recentWindows.clear();
  recentWindows.set(key, Object.freeze(days));
  return days;
}

/** The window covering whole local days, from the first's start to the end of the last. */
export function daysWindow(days: readonly string[]): { fromMs: number; toMs: number } {
  const sorted = [...days].sort();
  const last = DateTime.fromISO(sorted[sorted.length - 1]!, { zone: cacheZone });
  return { fromMs: dayStartMs(sorted[0]!), toMs: last.plus({ days: 1 }).toMillis() };
}

/**
 * Sorts a cell's slots in place by start, then id: the order availability merges them in (within
 * one connection, ordering by id is ordering by `slotIdentity`). Slots without a valid start go
 * last; availability drops them.
 */
export function inSlotOrder<T extends { readonly start: string; readonly id: string }>(
  slots: T[],
): T[] {
  const startOf = new Map(slots.map((slot) => [slot, Date.parse(slot.start)]));
  const start = (slot: T) => {
    const ms = startOf.get(slot)!;
    return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
  };
  return slots.sort((a, b) => start(a) - start(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** How long cached answers are used. */
export interface CachePolicy {
  /** Served as they are. */
  freshMs: number;
  /** Served, and fetched again in the background (stale-while-revalidate). */
  staleMs: number;
  /** Served only when the provider fails or times out (`SERVED_FROM_CACHE`). */
  fallbackMs: number;
}

export type Freshness = 'fresh' | 'stale' | 'fallback' | 'expired';

export function freshnessOf(ageMs: number, policy: CachePolicy): Freshness {
  if (ageMs < policy.freshMs) return 'fresh';
  if (ageMs < policy.freshMs + policy.staleMs) return 'stale';
  if (ageMs < policy.fallbackMs) return 'fallback';
  return 'expired';
}

/** How long a store keeps a cell at all: the longest it can still be served. */
export const retentionMs = (policy: CachePolicy) =>
  Math.max(policy.freshMs + policy.staleMs, policy.fallbackMs);
