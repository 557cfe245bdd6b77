import type { Redis } from 'ioredis';
import type { CachedCell, SlotCacheStore } from './slotCacheStore.js';

export interface RedisSlotCacheStoreOptions {
  redis: Redis;
  /** Prefix of every key, so that several deployments (or tests) can share one Redis. */
  keyPrefix: string;
  /** How long a cell is kept after it was written. */
  retentionMs: number;
}

/**
 * Stores the cell if the day's generation is still the one the writer read before asking the
 * provider; otherwise the day was invalidated meanwhile and the answer may show a slot that was
 * just booked, or miss one just released.
 */
const writeIfCurrent = `
local current = redis.call('GET', KEYS[2]) or '0'
if current ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

/**
 * The slot cache in Redis: one hash per day (its fields are the filters), one counter per day
 * for its generation. Both keys of a day share a hash tag, so the script touching both stays valid
 * should the store ever move to a Redis cluster.
 */
export function createRedisSlotCacheStore(options: RedisSlotCacheStoreOptions): SlotCacheStore {
  const { redis, keyPrefix, retentionMs } = options;
  const cellsKey = (day: string) => `${keyPrefix}{${day}}:cells`;
  const generationKey = (day: string) => `${keyPrefix}{${day}}:generation`;
  // Generations must outlive every write that read them (a provider call), and the cells.
  const generationTtlMs = String(retentionMs * 2);
  redis.defineCommand('bookingWriteCellIfCurrent', { numberOfKeys: 2, lua: writeIfCurrent });
  const scripted = redis as Redis & {
    bookingWriteCellIfCurrent(
      cells: string,
      generation: string,
      expected: string,
      field: string,
      value: string,
      ttlMs: string,
    ): Promise<number>;
  };

  return {
    kind: () => 'redis',
    async read(cells) {
      if (cells.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const cell of cells) pipeline.hget(cellsKey(cell.day), cell.variant);
      const results = (await pipeline.exec()) ?? [];
      const oldest = Date.now() - retentionMs;
      return results.map(([error, text]) => {
        if (error) throw error;
        if (typeof text !== 'string') return null;
        const value = JSON.parse(text) as CachedCell;
        return value.fetchedAt > oldest ? value : null;
      });
    },
    async generations(days) {
      if (days.length === 0) return [];
      const pipeline = redis.pipeline();
      for (const day of days) pipeline.get(generationKey(day));
      const results = (await pipeline.exec()) ?? [];
      return results.map(([error, text]) => {
        if (error) throw error;
        return Number(text ?? 0);
      });
    },
    async write(writes) {
      if (writes.length === 0) return;
      const pipeline = redis.pipeline() as ReturnType<Redis['pipeline']> & {
        bookingWriteCellIfCurrent: typeof scripted.bookingWriteCellIfCurrent;
      };
      for (const { cell, value, generation } of writes) {
        pipeline.bookingWriteCellIfCurrent(
          cellsKey(cell.day),
          generationKey(cell.day),
          String(generation),
          cell.variant,
          JSON.stringify(value),
          String(retentionMs),
        );
      }
      for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
    },
    async invalidate(days) {
      if (days.length === 0) return;
      const transaction = redis.multi();
      for (const day of days) {
        transaction.incr(generationKey(day));
        transaction.pexpire(generationKey(day), generationTtlMs);
        transaction.del(cellsKey(day));
      }
      for (const [error] of (await transaction.exec()) ?? []) if (error) throw error;
    },
    async close() {},
  };
}
