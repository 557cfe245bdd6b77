import { areas } from './areas.js';
import type { Search } from './weekFilter.js';

/**
 * A search kept across the sign-in redirect (in the sign-in request's state, which comes back
 * from the browser's storage), checked before it is used again: null when it is not one.
 */
export function restoreSearch(kept: unknown): Search | null {
  if (typeof kept !== 'object' || kept === null) return null;
  const { treatmentId, area, radiusKm } = kept as Record<string, unknown>;
  const known = areas.find((candidate) => candidate.id === (area as { id?: unknown } | null)?.id);
  if (typeof treatmentId !== 'string' || typeof radiusKm !== 'number' || !known) return null;
  return { treatmentId, area: known, radiusKm };
}
