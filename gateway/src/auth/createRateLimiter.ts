import type { Logger } from '@booking/server-kit';
import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { rateLimited } from '../errors.js';

export interface RateLimiterOptions {
  /** Points (requests, failed authentications) per key per minute. */
  perMinute: number;
  /** Shared counters across gateway instances; without it (or while it is down) in memory. */
  redis?: Redis;
  keyPrefix: string;
  logger: Logger;
  /** What the 429's message says was too many. Default: `too many requests`. */
  reason?: string;
}

/**
 * Requests per client identity per minute, counted in Redis when configured (so every gateway
 * instance counts together) with an in-memory limiter as insurance while Redis is unreachable.
 * Over the limit: `RATE_LIMITED`, HTTP 429 with `Retry-After`.
 */
export function createRateLimiter(options: RateLimiterOptions) {
  const memory = new RateLimiterMemory({
    points: options.perMinute,
    duration: 60,
    keyPrefix: options.keyPrefix,
  });
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({
        storeClient: options.redis,
        points: options.perMinute,
        duration: 60,
        keyPrefix: options.keyPrefix,
        insuranceLimiter: memory,
      })
    : memory;

  return {
    /** Counts one point of `clientKey`; throws `RATE_LIMITED` when it is over the limit. */
    async consume(clientKey: string): Promise<void> {
      try {
        await limiter.consume(clientKey);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) {
          // The limiter itself failed: let the request through rather than fail everyone.
          options.logger.warn({ err: (rejection as Error).message }, 'rate limiter failed');
          return;
        }
        const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
        throw rateLimited(retryAfter, options.reason);
      }
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
