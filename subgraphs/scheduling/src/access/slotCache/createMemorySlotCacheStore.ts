import type { CachedCell, SlotCacheStore } from './slotCacheStore.js';

export interface MemorySlotCacheStoreOptions {
  /** How long a cell is kept after it was written. */
  retentionMs: number;
  /** Most days kept; the least recently written go first. Default: 20 000. */
  maxDays?: number;
  /** The clock. Default: `Date.now`. */
  now?: () => number;
}

interface Day {
  generation: number;
  cells: Map<string, CachedCell>;
}

/** The slot cache in this process: the default, and the fallback while Redis is unreachable. */
export function createMemorySlotCacheStore(options: MemorySlotCacheStoreOptions): SlotCacheStore {
  const maxDays = options.maxDays ?? 20_000;
  const now = options.now ?? Date.now;
  const days = new Map<string, Day>();
  // Generations only ever grow, across days, so a day evicted and recreated cannot reuse one.
  let clock = 0;

  function touch(address: string, day: Day) {
    days.delete(address);
    days.set(address, day);
    if (days.size > maxDays) days.delete(days.keys().next().value!);
  }

  return {
    kind: () => 'memory',
    async read(cells) {
      const oldest = now() - options.retentionMs;
      return cells.map((cell) => {
        const value = days.get(cell.day)?.cells.get(cell.variant);
        return value && value.fetchedAt > oldest ? value : null;
      });
    },
    async generations(addresses) {
      return addresses.map((address) => days.get(address)?.generation ?? 0);
    },
    async write(writes) {
      for (const { cell, value, generation } of writes) {
        const day = days.get(cell.day) ?? { generation: 0, cells: new Map() };
        if (day.generation !== generation) continue;
        day.cells.set(cell.variant, value);
        touch(cell.day, day);
      }
    },
    async invalidate(addresses) {
      for (const address of addresses) {
        clock += 1;
        touch(address, { generation: clock, cells: new Map() });
      }
    },
    async close() {
      days.clear();
    },
  };
}
