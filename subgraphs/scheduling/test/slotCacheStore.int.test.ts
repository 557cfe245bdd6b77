import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@booking/server-kit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemorySlotCacheStore } from '../src/access/slotCache/createMemorySlotCacheStore.js';
import { createRedisSlotCacheStore } from '../src/access/slotCache/createRedisSlotCacheStore.js';
import { createSlotCacheStore } from '../src/access/slotCache/createSlotCacheStore.js';
import type { SlotCacheStore } from '../src/access/slotCache/slotCacheStore.js';

/** Redis on this machine and in CI; every test uses its own key prefix and deletes it after. */
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefixes: string[] = [];
const clients: Redis[] = [];

function newPrefix(): string {
  const prefix = `test:slot-cache:${randomBytes(6).toString('hex')}:`;
  prefixes.push(prefix);
  return prefix;
}

function newRedis(url = redisUrl): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  clients.push(redis);
  return redis;
}

afterAll(async () => {
  const admin = newRedis();
  for (const prefix of prefixes) {
    const keys = await admin.keys(`${prefix}*`);
    if (keys.length) await admin.del(...keys);
  }
  for (const client of clients) client.disconnect();
});

const cell = (day: string, variant = '*|*') => ({ day, variant });
const value = (fetchedAt: number, ids: string[]) => ({
  fetchedAt,
  slots: ids.map((id) => ({
    id,
    clinicId: 'A',
    start: '2026-11-23T09:00:00+01:00',
    end: '2026-11-23T09:30:00+01:00',
    treatmentIds: [],
    practitioner: null,
    bookingUrl: null,
    capacity: null,
  })),
});

const stores: Record<string, (retentionMs: number) => SlotCacheStore> = {
  memory: (retentionMs) => createMemorySlotCacheStore({ retentionMs }),
  redis: (retentionMs) =>
    createRedisSlotCacheStore({ redis: newRedis(), keyPrefix: newPrefix(), retentionMs }),
};

describe.each(Object.keys(stores))('the %s slot cache store', (kind) => {
  const open = stores[kind]!;

  it('keeps each filter of a day apart and returns null for what it does not have', async () => {
    const store = open(60_000);
    const [generation] = await store.generations(['c|A|2026-11-23']);
    await store.write([
      {
        cell: cell('c|A|2026-11-23', 't1|*'),
        value: value(Date.now(), ['s1']),
        generation: generation!,
      },
      {
        cell: cell('c|A|2026-11-23', '*|*'),
        value: value(Date.now(), ['s1', 's2']),
        generation: generation!,
      },
    ]);
    const [t1, all, other] = await store.read([
      cell('c|A|2026-11-23', 't1|*'),
      cell('c|A|2026-11-23', '*|*'),
      cell('c|A|2026-11-24', '*|*'),
    ]);
    expect(t1?.slots.map((s) => s.id)).toEqual(['s1']);
    expect(all?.slots.map((s) => s.id)).toEqual(['s1', 's2']);
    expect(other).toBeNull();
  });

  it('drops every filter of an invalidated day, and refuses a write that read the old generation', async () => {
    const store = open(60_000);
    const days = ['c|A|2026-11-23', 'c|A|2026-11-24'];
    const before = await store.generations(days);
    await store.write(
      days.map((day, i) => ({
        cell: cell(day),
        value: value(Date.now(), ['s']),
        generation: before[i]!,
      })),
    );
    await store.invalidate([days[0]!]);
    const [gone, kept] = await store.read(days.map((day) => cell(day)));
    expect(gone).toBeNull();
    expect(kept).not.toBeNull();
    // An answer fetched before the invalidation arrives after it: dropped.
    await store.write([
      { cell: cell(days[0]!), value: value(Date.now(), ['old']), generation: before[0]! },
    ]);
    expect((await store.read([cell(days[0]!)]))[0]).toBeNull();
    const [now] = await store.generations([days[0]!]);
    expect(now).not.toBe(before[0]);
    await store.write([
      { cell: cell(days[0]!), value: value(Date.now(), ['new']), generation: now! },
    ]);
    expect((await store.read([cell(days[0]!)]))[0]?.slots[0]?.id).toBe('new');
  });

  it('forgets cells after their retention', async () => {
    const store = open(100);
    const [generation] = await store.generations(['c|A|2026-11-23']);
    await store.write([
      { cell: cell('c|A|2026-11-23'), value: value(Date.now(), ['s']), generation: generation! },
    ]);
    expect((await store.read([cell('c|A|2026-11-23')]))[0]).not.toBeNull();
    await sleep(150);
    expect((await store.read([cell('c|A|2026-11-23')]))[0]).toBeNull();
  });
});

describe('two scheduling instances sharing Redis', () => {
  it('see each other’s answers and invalidations', async () => {
    const keyPrefix = newPrefix();
    const a = createRedisSlotCacheStore({ redis: newRedis(), keyPrefix, retentionMs: 60_000 });
    const b = createRedisSlotCacheStore({ redis: newRedis(), keyPrefix, retentionMs: 60_000 });
    const day = 'c|A|2026-11-23';
    const [generation] = await b.generations([day]);
    await a.write([{ cell: cell(day), value: value(Date.now(), ['s']), generation: generation! }]);
    expect((await b.read([cell(day)]))[0]?.slots).toHaveLength(1);
    await a.invalidate([day]);
    expect((await b.read([cell(day)]))[0]).toBeNull();
    // B's answer was fetched before A's booking: it must not land.
    await b.write([
      { cell: cell(day), value: value(Date.now(), ['stale']), generation: generation! },
    ]);
    expect((await a.read([cell(day)]))[0]).toBeNull();
  });
});

/** A TCP proxy to Redis that can be cut and restored, to take Redis away without losing its data. */
async function cuttableProxy(target: URL) {
  let up = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    cut() {
      up = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      up = true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('createSlotCacheStore with REDIS_URL', () => {
  function capturingLogger() {
    const lines: { level: string; msg: string }[] = [];
    const logger = createLogger({
      service: 'test',
      level: 'info',
      destination: { write: (line: string) => lines.push(JSON.parse(line)) },
    });
    return { logger, lines };
  }

  it('starts with the cache in memory, with a warning, when Redis cannot be reached', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { logger, lines } = capturingLogger();
    const store = await createSlotCacheStore({
      redisUrl: `redis://127.0.0.1:${port}`,
      keyPrefix: newPrefix(),
      retentionMs: 60_000,
      logger,
      connectTimeoutMs: 300,
    });
    try {
      expect(store.kind()).toBe('memory');
      expect(lines.some((l) => l.level === 'warn' && /Redis unavailable/.test(l.msg))).toBe(true);
      const [generation] = await store.generations(['c|A|2026-11-23']);
      await store.write([
        { cell: cell('c|A|2026-11-23'), value: value(Date.now(), ['s']), generation: generation! },
      ]);
      expect((await store.read([cell('c|A|2026-11-23')]))[0]?.slots).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('falls back to memory while Redis is away and replays the invalidations it missed when it returns', async () => {
    const proxy = await cuttableProxy(new URL(redisUrl));
    const { logger, lines } = capturingLogger();
    const keyPrefix = newPrefix();
    const store = await createSlotCacheStore({
      redisUrl: proxy.url,
      keyPrefix,
      retentionMs: 60_000,
      logger,
    });
    // Another instance, with its own connection to Redis, that never loses it.
    const other = createRedisSlotCacheStore({ redis: newRedis(), keyPrefix, retentionMs: 60_000 });
    const day = 'c|A|2026-11-23';
    try {
      expect(store.kind()).toBe('redis');
      const [generation] = await store.generations([day]);
      await store.write([
        { cell: cell(day), value: value(Date.now(), ['s']), generation: generation! },
      ]);
      expect((await other.read([cell(day)]))[0]).not.toBeNull();

      proxy.cut();
      await sleep(100);
      expect(store.kind()).toBe('memory');
      expect(lines.some((l) => l.level === 'warn' && /Redis unavailable/.test(l.msg))).toBe(true);
      // The platform books a slot on that day while Redis is away: searches still work...
      await store.invalidate([day]);
      expect(await store.read([cell(day)])).toEqual([null]);
      // ...and the shared copy is stale until Redis is back.
      expect((await other.read([cell(day)]))[0]).not.toBeNull();

      proxy.restore();
      const deadline = Date.now() + 10_000;
      while (store.kind() !== 'redis' && Date.now() < deadline) await sleep(50);
      expect(store.kind()).toBe('redis');
      expect((await other.read([cell(day)]))[0]).toBeNull();
      expect(lines.some((l) => /Redis is back/.test(l.msg))).toBe(true);
    } finally {
      await store.close();
      await proxy.close();
    }
  });
});
