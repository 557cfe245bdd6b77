import { z } from 'zod';

/** Thrown when the environment is invalid; lists every problem, not just the first. */
export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

// An empty variable (`FOO=`) means "use the default", as in docker-compose files.
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);
const integer = (fallback: number, min: number, max: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().int().min(min).max(max).default(fallback));
/** An integer whose absence means something of its own, so it has no default. */
const optionalInteger = (min: number, max: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().int().min(min).max(max).optional());

const schema = z.object({
  PORT: integer(4104, 0, 65_535),
  HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  SMART_LATENCY_MS: integer(0, 0, 60_000),
  SMART_FAULT_RATE: z.preprocess(unsetIfEmpty, z.coerce.number().min(0).max(1).default(0)),
  SMART_MAX_AGE_SECONDS: integer(60, 0, 86_400),
  // Unset: every Swedish clinic keeps its own booking horizon.
  SMART_DAYS_AHEAD: optionalInteger(0, 365),
  SMART_STANDARDS_DIR: z.preprocess(unsetIfEmpty, z.string().min(1).optional()),
  SMART_PUBLIC_URL: z.preprocess(unsetIfEmpty, z.url({ protocol: /^https?$/ }).optional()),
});

export type Environment = Readonly<z.output<typeof schema>>;

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
  return Object.freeze(result.data);
}
