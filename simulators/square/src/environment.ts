import { environmentReader } from '@booking/server-kit/environment';
import { host, integer, port, share, unsetIfEmpty } from '@booking/simulator-kit';
import { z } from 'zod';

const variables = z.object({
  PORT: port(4105),
  HOST: host,
  SQUARE_SEED: integer(1, 0, 2 ** 31 - 1),
  SQUARE_BOOKED_SHARE: share(0.25),
  SQUARE_RATE_LIMIT_PER_SECOND: integer(50, 1, 100_000),
  SQUARE_LATENCY_MS: integer(0, 0, 60_000),
  SQUARE_RESPONSE_DELAY_MS: integer(0, 0, 60_000),
  SQUARE_FAULT_RATE: share(0),
  SQUARE_WEBHOOK_ATTEMPTS: integer(5, 1, 20),
  SQUARE_WEBHOOK_RETRY_MS: integer(1000, 1, 3_600_000),
  SQUARE_WEBHOOK_TIMEOUT_MS: integer(10_000, 100, 60_000),
  /** When set, business time starts at this instant and runs on from there (DST tests, demos). */
  SQUARE_NOW: z.preprocess(unsetIfEmpty, z.iso.datetime({ offset: true }).optional()),
});

/** Reads the simulator's configuration once; the only reader of `process.env`. */
export const readEnvironment = environmentReader('simulator-square', variables, (env) => ({
  port: env.PORT,
  host: env.HOST,
  /** The control protocol's knobs at start-up (`/_admin/config` changes them). */
  control: {
    latencyMs: env.SQUARE_LATENCY_MS,
    responseDelayMs: env.SQUARE_RESPONSE_DELAY_MS,
    faultRate: env.SQUARE_FAULT_RATE,
    rateLimitPerSecond: env.SQUARE_RATE_LIMIT_PER_SECOND,
  },
  /** The seeded sellers' calendars: the seed and the share of slots others have booked. */
  sellers: { seed: env.SQUARE_SEED, bookedShare: env.SQUARE_BOOKED_SHARE },
  /** Delivery of event notifications to webhook subscriptions. */
  webhooks: {
    attempts: env.SQUARE_WEBHOOK_ATTEMPTS,
    retryDelayMs: env.SQUARE_WEBHOOK_RETRY_MS,
    timeoutMs: env.SQUARE_WEBHOOK_TIMEOUT_MS,
  },
  /** Business time's start (`createClock`); unset, the real clock. */
  now: env.SQUARE_NOW,
}));

/**
 * A clock that starts at `now` and moves with real time, or the real clock when `now` is unset:
 * searches and bookings then behave as on that day, and expiry still advances.
 */
export function createClock(now: string | undefined, realNow: () => number = Date.now): () => Date {
  if (now === undefined) return () => new Date(realNow());
  const offset = Date.parse(now) - realNow();
  return () => new Date(realNow() + offset);
}
