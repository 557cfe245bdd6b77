import type { SortKey } from './cursors.js';

/** A slot's identity across the platform: its connection and the provider's own id. */
export const slotIdentity = (connectionId: string, localId: string) =>
  `${connectionId}\u0000${localId}`;

/** What the merge needs of a slot: its start and a stable, unique key (the tie-break). */
export interface Mergeable {
  startMs: number;
  key: string;
}

/** The keyset sort key of a slot in availability: start time, then key. */
export const slotKey = (slot: Mergeable): SortKey => [slot.startMs, slot.key];

/**
 * Merges the providers' answers into one list ordered by start, ties broken by key, without
 * duplicates. Providers' own ordering is not trusted: each list is sorted here.
 */
export function mergeSlots<T extends Mergeable>(lists: readonly (readonly T[])[]): T[] {
  const seen = new Set<string>();
  const merged: T[] = [];
  for (const list of lists) {
    for (const slot of list) {
      if (seen.has(slot.key)) continue;
      seen.add(slot.key);
      merged.push(slot);
    }
  }
  return merged.sort(
    (a, b) => a.startMs - b.startMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}
