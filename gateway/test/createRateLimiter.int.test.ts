import { randomBytes } from 'node:crypto';
import { createLogger } from '@booking/server-kit';
import type { GraphQLError } from 'graphql';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../src/auth/createRateLimiter.js';

/** Redis on this machine and in CI; the keys of this file have their own prefix, deleted after. */
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `test:rate-limit:${randomBytes(6).toString('hex')}`;
const logger = createLogger({ service: 'test', level: 'silent' });
const clients: Redis[] = [];
const redis = () => {
  const client = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  clients.push(client);
  return client;
};

afterAll(async () => {
  const admin = redis();
  await new Promise((resolve) => admin.once('ready', resolve));
  const keys = await admin.keys(`${keyPrefix}*`);
  if (keys.length) await admin.del(...keys);
  for (const client of clients) client.disconnect();
});

async function outcome(consume: Promise<void>) {
  return consume.then(
    () => 'ok',
    (error: GraphQLError) => {
      const http = error.extensions.http as { status: number; headers: Map<string, string> };
      return `${http.status} retry-after=${http.headers.get('retry-after')}`;
    },
  );
}

describe('createRateLimiter with Redis', () => {
  it('counts one client across two gateways together, and answers 429 with Retry-After past the limit', async () => {
    const [first, second] = [redis(), redis()];
    await Promise.all([first, second].map((c) => new Promise((r) => c.once('ready', r))));
    const a = createRateLimiter({ perMinute: 3, redis: first, keyPrefix, logger });
    const b = createRateLimiter({ perMinute: 3, redis: second, keyPrefix, logger });
    const results = [
      await outcome(a.consume('client:x')),
      await outcome(b.consume('client:x')),
      await outcome(a.consume('client:x')),
      await outcome(b.consume('client:x')),
    ];
    expect(results.slice(0, 3)).toEqual(['ok', 'ok', 'ok']);
    expect(results[3]).toMatch(/^429 retry-after=\d+$/);
    expect(await outcome(a.consume('client:y'))).toBe('ok');
  });

  it('keeps limiting in memory when Redis cannot be reached', async () => {
    const unreachable = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    clients.push(unreachable);
    unreachable.on('error', () => {});
    const limiter = createRateLimiter({ perMinute: 2, redis: unreachable, keyPrefix, logger });
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await outcome(limiter.consume('client:z')));
    expect(results.slice(0, 2)).toEqual(['ok', 'ok']);
    expect(results[2]).toMatch(/^429/);
  });
});
