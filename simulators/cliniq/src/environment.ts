import {
  host,
  integer,
  optionalInteger,
  parseSimulatorEnvironment,
  port,
  share,
} from '@booking/simulator-kit';
import { z } from 'zod';

const schema = z.object({
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

/** Parses the simulator's variables once; the only reader of `process.env`. */
export function parseEnvironment(env?: Record<string, string | undefined>) {
  return parseSimulatorEnvironment('simulator-cliniq', schema, env);
}
