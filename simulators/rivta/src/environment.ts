import { fileURLToPath } from 'node:url';
import { environmentReader } from '@booking/server-kit/environment';
import { host, integer, optionalInteger, port, share } from '@booking/simulator-kit';
import { z } from 'zod';

/**
 * Where the official schemas are: `RIVTA_STANDARDS_DIR` when set, else the repository's own copy
 * (`<repo>/standards/riv-crm-scheduling-1.1/`), found relative to this file so that it holds
 * wherever the repository is cloned and in the images (the same depth from `src/` and `dist/`).
 */
export function standardsDirFromEnvironment(
  env: { RIVTA_STANDARDS_DIR?: string | undefined } = process.env,
): string {
  const configured = env.RIVTA_STANDARDS_DIR?.trim();
  if (configured) return configured;
  return fileURLToPath(new URL('../../../standards/riv-crm-scheduling-1.1/', import.meta.url));
}

const variables = z.object({
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
  RIVTA_STANDARDS_DIR: z.string().optional(),
});

/** Reads the simulator's configuration once; the only reader of `process.env`. */
export const readEnvironment = environmentReader('simulator-rivta', variables, (env) => ({
  port: env.PORT,
  host: env.HOST,
  /** The control protocol's knobs at start-up (`/_admin/config` changes them). */
  control: {
    latencyMs: env.RIVTA_LATENCY_MS,
    responseDelayMs: env.RIVTA_RESPONSE_DELAY_MS,
    faultRate: env.RIVTA_FAULT_RATE,
  },
  timeslots: {
    daysAhead: env.RIVTA_DAYS_AHEAD,
    cancelCutoffMinutes: env.RIVTA_CANCEL_CUTOFF_MINUTES,
    bookingLeadMinutes: env.RIVTA_BOOKING_LEAD_MINUTES,
    otherPatientsShare: env.RIVTA_OTHER_PATIENTS_SHARE,
  },
  standardsDir: standardsDirFromEnvironment(env),
}));
