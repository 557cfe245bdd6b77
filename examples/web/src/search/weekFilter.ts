import type { AvailabilityFilter } from '@varden/booking-sdk';
import type { Area } from './areas.js';

export interface Search {
  treatmentId: string;
  area: Area;
  radiusKm: number;
}

const weekMs = 7 * 24 * 60 * 60 * 1000;

/**
 * The availability filter for a week from `now`: the window starts at the current minute (a
 * search repeated within it asks the same question, which the cache can answer) and ends seven
 * days later; an area with a centre adds `near` and `radiusKm`.
 */
export function weekFilter(search: Search, now: Date): AvailabilityFilter {
  const from = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  return {
    from: from.toISOString(),
    to: new Date(from.getTime() + weekMs).toISOString(),
    treatmentId: search.treatmentId,
    ...(search.area.near && { near: search.area.near, radiusKm: search.radiusKm }),
  };
}
