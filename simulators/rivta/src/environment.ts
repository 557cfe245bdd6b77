import { fileURLToPath } from 'node:url';
import {
  host,
  integer,
  optionalInteger,
  parseSimulatorEnvironment,
  port,
  share,
} from '@booking/simulator-kit';
import { z } from 'zod';

/**
 * Where the official schemas are: `RIVTA_STANDARDS_DIR` when set, else the repository's own copy
 * (`<repo>/standards/riv-crm-scheduling-1.1/`), found relative to this file so that it holds
 * wherever the repository is cloned and in the images (the same depth from `src/` and `dist/`).
 */
export function standardsDirFromEnvironment(
  env: Record<string, string | undefined> = process.env,
): string {
  const configured = env.RIVTA_STANDARDS_DIR?.trim();
  if (configured) return configured;
  return fileURLToPath(new URL('../../../standards/riv-crm-scheduling-1.1/', import.meta.url));
}

const schema = z.object({
  PORT: port(4103),
  HOST: host,
  RIVTA_LATENCY_MS: integer(0, 0, 60_000),
  RIVTA_RESPONSE_DELAY_MS: integer(0, 0, 60_000),
  RIVTA_FAULT_RATE: share(0),
  /** Replaces every facility's own booking horizon when set. */
  RIVTA_DAYS_AHEAD: optionalInteger(0, 365),
  RIVTA_CANCEL_CUTOFF_MINUTES: integer(60, 0, 10_080),
  RIVTA_BOOKING_LEAD_MINUTES: integer(120, 0, 10_080),
  RIVTA_OTHER_PATIENTS_SHARE: share(0.12),
});

/** Parses the simulator's variables once; the only reader of `process.env`. */
export function parseEnvironment(env: Record<string, string | undefined> = process.env) {
  const variables = parseSimulatorEnvironment('simulator-rivta', schema, env);
  return Object.freeze({ ...variables, standardsDir: standardsDirFromEnvironment(env) });
}
