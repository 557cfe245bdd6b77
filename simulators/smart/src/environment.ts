import { environmentReader } from '@booking/server-kit/environment';
import { host, integer, optionalInteger, port, share, unsetIfEmpty } from '@booking/simulator-kit';
import { z } from 'zod';

const variables = z.object({
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

/** Reads the simulator's configuration once; the only reader of `process.env`. */
export const readEnvironment = environmentReader('simulator-smart', variables, (env) => ({
  port: env.PORT,
  host: env.HOST,
  /** The control protocol's knobs at start-up (`/_admin/config` changes them). */
  control: { latencyMs: env.SMART_LATENCY_MS, faultRate: env.SMART_FAULT_RATE },
  publication: {
    maxAgeSeconds: env.SMART_MAX_AGE_SECONDS,
    daysAhead: env.SMART_DAYS_AHEAD,
    standardsDir: env.SMART_STANDARDS_DIR,
    publicUrl: env.SMART_PUBLIC_URL,
  },
}));
