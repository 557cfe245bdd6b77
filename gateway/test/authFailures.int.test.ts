import { randomBytes } from 'node:crypto';
import { Scope } from '@booking/server-kit';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { signDevelopmentToken } from '../src/auth/signToken.js';
import { readEnvironment } from '../src/environment.js';
import { startGateway } from './startGateway.js';

/** Redis on this machine and in CI; this file's keys have their own prefix, deleted after. */
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `test:auth-failures:${randomBytes(6).toString('hex')}:`;
const gateways: Awaited<ReturnType<typeof startGateway>>[] = [];
const start = async (env: Record<string, string>) => {
  const gateway = await startGateway({ AUTH_FAILURES_PER_MINUTE: '3', ...env });
  gateways.push(gateway);
  return gateway;
};

afterAll(async () => {
  for (const gateway of gateways) await gateway.close();
  const admin = new Redis(redisUrl);
  const keys = await admin.keys(`${keyPrefix}*`);
  if (keys.length) await admin.del(...keys);
  admin.disconnect();
});

const query = { query: '{ __typename }' };

/** Garbage, expired and forged credentials: what the probe sent 600 of. */
async function badCredentials(): Promise<Record<string, string>[]> {
  const expired = await signDevelopmentToken({ scopes: [Scope.Admin], expiresInSeconds: -120 });
  return [
    { authorization: 'Bearer garbage' },
    { authorization: `Bearer ${expired}` },
    { 'x-api-key': randomBytes(16).toString('hex') },
    { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' },
  ];
}

describe('failed authentication is rate-limited per client address', () => {
  it('answers 401 up to AUTH_FAILURES_PER_MINUTE, then 429 with Retry-After; valid and anonymous requests from the address still pass', async () => {
    const gateway = await start({});
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof gateway.post>> | undefined;
    for (const headers of await badCredentials()) {
      const answer = await gateway.post(query, headers);
      statuses.push(answer.status);
      if (answer.status === 429) limited = answer;
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited?.body.errors[0]).toMatchObject({
      message: expect.stringMatching(
        /^too many failed authentications from this address; retry after \d+ s$/,
      ),
      extensions: { code: 'RATE_LIMITED' },
    });
    // A client that authenticates is not refused for another's failures at the same address.
    const token = await signDevelopmentToken({
      clientId: 'honest',
      scopes: [Scope.AvailabilityRead],
    });
    const honest = await gateway.post(query, { authorization: `Bearer ${token}` });
    expect(honest.status).toBe(200);
    expect(honest.body.data).toEqual({ __typename: 'Query' });
    expect((await gateway.post(query)).status).toBe(200);
  });

  it('behind a load balancer (TRUSTED_PROXIES=1), counts each client address it forwarded, not its own', async () => {
    const gateway = await start({ TRUSTED_PROXIES: '1' });
    const from = (address: string) => ({ 'x-forwarded-for': `198.51.100.1, ${address}` });
    const statuses: number[] = [];
    for (const headers of await badCredentials()) {
      statuses.push((await gateway.post(query, { ...headers, ...from('203.0.113.5') })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Another client behind the same balancer (the same socket address) is not limited.
    const other = await gateway.post(query, {
      authorization: 'Bearer garbage',
      ...from('203.0.113.6'),
    });
    expect(other.status).toBe(401);
  });

  it('counts the failures of every gateway together through Redis', async () => {
    const env = { REDIS_URL: redisUrl, RATE_LIMIT_KEY_PREFIX: keyPrefix };
    const [a, b] = [await start(env), await start(env)];
    // Until a gateway's Redis connection is up it counts in memory: wait until each counts in Redis.
    const admin = new Redis(redisUrl);
    for (const [name, gateway] of [
      ['a', a],
      ['b', b],
    ] as const) {
      const token = await signDevelopmentToken({ clientId: `probe-${name}`, scopes: [] });
      for (let tries = 0; (await admin.keys(`${keyPrefix}*probe-${name}`)).length === 0; tries++) {
        expect(tries).toBeLessThan(50);
        await gateway.post(query, { authorization: `Bearer ${token}` });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    admin.disconnect();
    const [garbage] = await badCredentials();
    const statuses = [
      (await a.post(query, garbage)).status,
      (await b.post(query, garbage)).status,
      (await a.post(query, garbage)).status,
      (await b.post(query, garbage)).status,
    ];
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('allows 30 failures per address and minute unless AUTH_FAILURES_PER_MINUTE says otherwise', () => {
    expect(readEnvironment({}).rateLimit.authFailuresPerMinute).toBe(30);
    expect(readEnvironment({ AUTH_FAILURES_PER_MINUTE: '5' }).rateLimit.authFailuresPerMinute).toBe(
      5,
    );
    expect(() => readEnvironment({ AUTH_FAILURES_PER_MINUTE: '0' })).toThrow(
      /AUTH_FAILURES_PER_MINUTE/,
    );
  });
});
