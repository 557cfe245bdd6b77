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
  PORT: port(4102),
  HOST: host,
  FHIR_LATENCY_MS: integer(0, 0, 60_000),
  FHIR_RESPONSE_DELAY_MS: integer(0, 0, 60_000),
  FHIR_FAULT_RATE: share(0),
  // Unset: each location's own booking horizon; set: every location's, in days.
  FHIR_DAYS_AHEAD: optionalInteger(0, 365),
  FHIR_SEED: integer(1, 0, 2 ** 31 - 1),
  FHIR_MAX_PAGE_SIZE: integer(200, 1, 1000),
  FHIR_ACCESS_TOKEN: z.preprocess(unsetIfEmpty, z.string().min(8).optional()),
});

/**
 * Parses the simulator's variables once; the only reader of `process.env`. Problems name paths
 * and rules only, never a value, which may be the access token.
 */
export function parseEnvironment(env?: Record<string, string | undefined>) {
  return parseSimulatorEnvironment('simulator-fhir', schema, env);
}
