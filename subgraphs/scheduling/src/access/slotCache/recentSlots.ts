import { slotIdentity } from '../../engines/mergeSlots.js';
import type { CachedSlot } from './slotCacheStore.js';

/** Slots kept unless told otherwise: a few days of every connection's listings. */
const defaultCapacity = 100_000;

/**
 * The free slots this instance's provider calls listed recently, by connection and slot id, so
 * that a booking of a slot a search has just shown needs no look-up at the provider. Only an
 * answer younger than `maxAgeMs` counts (as long as the slot cache serves an answer to a search
 * without asking the provider again); the oldest entries go first once `capacity` is reached. What it answers is what a search would show, not a promise:
 * the provider's booking call and the ledger's one-live-reservation-per-slot index still decide.
 */
export function createRecentSlots(options: {
  maxAgeMs: number;
  now: () => number;
  capacity?: number;
}) {
  const capacity = options.capacity ?? defaultCapacity;
  /** In order of the answer that listed them, oldest first. */
  const slots = new Map<string, { slot: CachedSlot; listedAt: number }>();

  return {
    /** Keeps the free slots a provider answer listed at `listedAt`. */
    remember(connectionId: string, listed: readonly CachedSlot[], listedAt: number): void {
      for (const slot of listed) {
        const key = slotIdentity(connectionId, slot.id);
        slots.delete(key);
        slots.set(key, { slot, listedAt });
      }
      for (const key of slots.keys()) {
        if (slots.size <= capacity) break;
        slots.delete(key);
      }
    },

    /** The slot as a provider listed it free within `maxAgeMs`, or null. */
    find(connectionId: string, slotId: string): CachedSlot | null {
      const found = slots.get(slotIdentity(connectionId, slotId));
      if (!found || options.now() - found.listedAt >= options.maxAgeMs) return null;
      return found.slot;
    },
  };
}

export type RecentSlots = ReturnType<typeof createRecentSlots>;
