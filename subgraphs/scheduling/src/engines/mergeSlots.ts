import type { SortKey } from './paginate.js';

/** What the merge needs of a slot: its start and its public id (the stable tie-break). */
export interface Mergeable {
  startMs: number;
  id: string;
}

/** The keyset sort key of a slot in availability: start time, then id. */
export const slotKey = (slot: Mergeable): SortKey => [slot.startMs, slot.id];

/**
 * Merges the providers' answers into one list ordered by start, ties broken by id, without
 * duplicates. Providers' own ordering is not trusted: each list is sorted here.
 */
export function mergeSlots<T extends Mergeable>(lists: readonly (readonly T[])[]): T[] {
  const seen = new Set<string>();
  const merged: T[] = [];
  for (const list of lists) {
    for (const slot of list) {
      if (seen.has(slot.id)) continue;
      seen.add(slot.id);
      merged.push(slot);
    }
  }
  return merged.sort((a, b) => a.startMs - b.startMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
