import type { Logger } from '@booking/server-kit';
import { Redis } from 'ioredis';
import { createMemorySlotCacheStore } from './createMemorySlotCacheStore.js';
import { createRedisSlotCacheStore } from './createRedisSlotCacheStore.js';
import type { SlotCacheStore } from './slotCacheStore.js';

export interface SlotCacheStoreOptions {
  /** Redis to share the cache in; without it the cache lives in this process. */
  redisUrl?: string | undefined;
  /** Prefix of every Redis key. */
  keyPrefix: string;
  /** How long a cell is kept after it was written. */
  retentionMs: number;
  logger: Logger;
  /** How long start-up waits for Redis before serving from memory. Default: 2 s. */
  connectTimeoutMs?: number;
}

/**
 * The slot cache's store: Redis when `redisUrl` is given, falling back to this process's memory
 * (with a warning) whenever Redis is unreachable, and back to Redis once it answers again. A cache
 * must never fail a search. Invalidations made while Redis was away are replayed when it returns,
 * so no instance keeps serving a day that was booked or released meanwhile.
 */
export async function createSlotCacheStore(
  options: SlotCacheStoreOptions,
): Promise<SlotCacheStore> {
  const memory = createMemorySlotCacheStore({ retentionMs: options.retentionMs });
  if (!options.redisUrl) return memory;
  const { logger } = options;
  const redis = new Redis(options.redisUrl, {
    lazyConnect: true,
    // Fail fast instead of queueing: a search waits for no cache.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    retryStrategy: (attempt) => Math.min(attempt * 250, 5000),
  });
  const shared = createRedisSlotCacheStore({
    redis,
    keyPrefix: options.keyPrefix,
    retentionMs: options.retentionMs,
  });
  const missedInvalidations = new Set<string>();
  let degraded = false;
  let closing = false;

  function degrade(reason: string) {
    if (degraded || closing) return;
    degraded = true;
    logger.warn({ reason }, 'Redis unavailable: caching slots in memory until it answers again');
  }
  redis.on('error', (error: Error) => degrade(error.message));
  redis.on('close', () => degrade('connection closed'));
  redis.on('ready', () => {
    const days = [...missedInvalidations];
    shared.invalidate(days).then(
      () => {
        for (const day of days) missedInvalidations.delete(day);
        if (degraded) logger.info('Redis is back: slot cache shared again');
        degraded = false;
      },
      (error: Error) => degrade(error.message),
    );
  });
  await redis.connect().catch((error: Error) => degrade(error.message));

  const usable = () => redis.status === 'ready' && missedInvalidations.size === 0;

  async function either<T>(useShared: () => Promise<T>, useMemory: () => Promise<T>): Promise<T> {
    if (!usable()) return useMemory();
    try {
      return await useShared();
    } catch (error) {
      degrade((error as Error).message);
      return useMemory();
    }
  }

  return {
    kind: () => (usable() ? 'redis' : 'memory'),
    read: (cells) =>
      either(
        () => shared.read(cells),
        () => memory.read(cells),
      ),
    generations: (days) =>
      either(
        () => shared.generations(days),
        // Memory generations cannot match Redis ones: a write read from the other store is dropped.
        async () => (await memory.generations(days)).map((generation) => -1 - generation),
      ),
    write: (writes) =>
      either(
        () => shared.write(writes),
        () => memory.write(writes.map((w) => ({ ...w, generation: -1 - w.generation }))),
      ),
    async invalidate(days) {
      await memory.invalidate(days);
      await either(
        () => shared.invalidate(days),
        async () => {
          for (const day of days) missedInvalidations.add(day);
        },
      );
    },
    async close() {
      closing = true;
      redis.disconnect();
      await memory.close();
    },
  };
}
