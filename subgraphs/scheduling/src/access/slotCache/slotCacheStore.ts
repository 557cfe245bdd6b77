import type { ContractSlotsQuery } from '../../__generated__/providerOperations.js';
import type { CellAddress } from '../../engines/slotCells.js';

export type CachedSlot = ContractSlotsQuery['contractSlots'][number];

/** One cached provider answer for one cell. */
export interface CachedCell {
  /** Epoch ms when the provider gave it. */
  readonly fetchedAt: number;
  readonly slots: readonly CachedSlot[];
}

export interface CellWrite {
  readonly cell: CellAddress;
  readonly value: CachedCell;
  /** The day's generation read before the provider was asked; the write is dropped if it moved on. */
  readonly generation: number;
}

/**
 * Where cached provider answers live: in this process, or in Redis so that every scheduling
 * instance shares them and their invalidations. Each day has a generation that an invalidation
 * moves on; a write carries the generation read before the provider was asked, so an answer that
 * was in flight while the day was invalidated is never stored.
 */
export interface SlotCacheStore {
  /** `redis` or `memory`: what is serving right now. */
  readonly kind: () => 'redis' | 'memory';
  read(cells: readonly CellAddress[]): Promise<(CachedCell | null)[]>;
  generations(days: readonly string[]): Promise<number[]>;
  write(writes: readonly CellWrite[]): Promise<void>;
  /** Drops every cell of these days and moves their generations on. */
  invalidate(days: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
