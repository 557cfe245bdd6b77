import {
  host,
  integer,
  optionalInteger,
  parseSimulatorEnvironment,
  port,
  share,
  unsetIfEmpty,
} from '@booking/simulator-kit';
import { z } from 'zod';

const schema = z.object({
  PORT: port(4104),
  HOST: host,
  SMART_LATENCY_MS: integer(0, 0, 60_000),
  SMART_FAULT_RATE: share(0),
  SMART_MAX_AGE_SECONDS: integer(60, 0, 86_400),
  // Unset: every Swedish clinic keeps its own booking horizon.
  SMART_DAYS_AHEAD: optionalInteger(0, 365),
  SMART_STANDARDS_DIR: z.preprocess(unsetIfEmpty, z.string().min(1).optional()),
  SMART_PUBLIC_URL: z.preprocess(unsetIfEmpty, z.url({ protocol: /^https?$/ }).optional()),
});

/** Parses the simulator's variables once; the only reader of `process.env`. */
export function parseEnvironment(env?: Record<string, string | undefined>) {
  return parseSimulatorEnvironment('simulator-smart', schema, env);
}
