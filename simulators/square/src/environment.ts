import {
  host,
  integer,
  parseSimulatorEnvironment,
  port,
  share,
  unsetIfEmpty,
} from '@booking/simulator-kit';
import { z } from 'zod';

const schema = z.object({
  PORT: port(4105),
  HOST: host,
  SQUARE_SEED: integer(1, 0, 2 ** 31 - 1),
  SQUARE_BOOKED_SHARE: share(0.25),
  SQUARE_RATE_LIMIT_PER_SECOND: integer(50, 1, 100_000),
  SQUARE_LATENCY_MS: integer(0, 0, 60_000),
  SQUARE_RESPONSE_DELAY_MS: integer(0, 0, 60_000),
  SQUARE_FAULT_RATE: share(0),
  /** When set, business time starts at this instant and runs on from there (DST tests, demos). */
  SQUARE_NOW: z.preprocess(unsetIfEmpty, z.iso.datetime({ offset: true }).optional()),
});

/** Parses the simulator's variables once; the only reader of `process.env`. */
export function parseEnvironment(env?: Record<string, string | undefined>) {
  return parseSimulatorEnvironment('simulator-square', schema, env);
}

/**
 * A clock that starts at `now` and moves with real time, or the real clock when `now` is unset:
 * searches and bookings then behave as on that day, and expiry still advances.
 */
export function createClock(now: string | undefined, realNow: () => number = Date.now): () => Date {
  if (now === undefined) return () => new Date(realNow());
  const offset = Date.parse(now) - realNow();
  return () => new Date(realNow() + offset);
}
