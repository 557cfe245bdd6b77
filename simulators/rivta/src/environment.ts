import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Thrown when the environment is invalid; lists every problem, not just the first. */
export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

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

// An empty variable (`FOO=`) means "use the default", as in docker-compose files.
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);
const integer = (fallback: number, min: number, max: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().int().min(min).max(max).default(fallback));
const share = (fallback: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().min(0).max(1).default(fallback));

const schema = z.object({
  PORT: integer(4103, 0, 65_535),
  HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  RIVTA_LATENCY_MS: integer(0, 0, 60_000),
  RIVTA_RESPONSE_DELAY_MS: integer(0, 0, 60_000),
  RIVTA_FAULT_RATE: share(0),
  /** Replaces every facility's own booking horizon when set. */
  RIVTA_DAYS_AHEAD: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(365).optional()),
  RIVTA_CANCEL_CUTOFF_MINUTES: integer(60, 0, 10_080),
  RIVTA_BOOKING_LEAD_MINUTES: integer(120, 0, 10_080),
  RIVTA_OTHER_PATIENTS_SHARE: share(0.12),
});

export type Environment = Readonly<z.output<typeof schema> & { standardsDir: string }>;

/** Parses the simulator's variables once; the only reader of `process.env`. */
export function parseEnvironment(
  env: Record<string, string | undefined> = process.env,
): Environment {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigurationError(
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  return Object.freeze({ ...result.data, standardsDir: standardsDirFromEnvironment(env) });
}
