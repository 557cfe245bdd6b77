import { environmentReader } from '@booking/server-kit/environment';
import { host, integer, optionalInteger, port, share } from '@booking/simulator-kit';
import { z } from 'zod';

const variables = z.object({
  PORT: port(4101),
  HOST: host,
  CLINIQ_LATENCY_MS: integer(0, 0, 60_000),
  CLINIQ_RESPONSE_DELAY_MS: integer(0, 0, 60_000),
  CLINIQ_FAULT_RATE: share(0),
  CLINIQ_RATE_LIMIT_PER_SECOND: integer(50, 1, 100_000),
  CLINIQ_HOLD_TTL_SECONDS: integer(300, 1, 86_400),
  /** Replaces every clinic's own booking horizon when set. */
  CLINIQ_DAYS_AHEAD: optionalInteger(0, 365),
});

/** Reads the simulator's configuration once; the only reader of `process.env`. */
export const readEnvironment = environmentReader('simulator-cliniq', variables, (env) => ({
  port: env.PORT,
  host: env.HOST,
  /** The control protocol's knobs at start-up (`/_admin/config` changes them). */
  control: {
    latencyMs: env.CLINIQ_LATENCY_MS,
    responseDelayMs: env.CLINIQ_RESPONSE_DELAY_MS,
    faultRate: env.CLINIQ_FAULT_RATE,
    rateLimitPerSecond: env.CLINIQ_RATE_LIMIT_PER_SECOND,
  },
  bookings: { holdTtlSeconds: env.CLINIQ_HOLD_TTL_SECONDS, daysAhead: env.CLINIQ_DAYS_AHEAD },
}));
