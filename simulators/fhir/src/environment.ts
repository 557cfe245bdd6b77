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

const schema = z.object({
  PORT: integer(4102, 0, 65_535),
  HOST: z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1')),
  FHIR_LATENCY_MS: integer(0, 0, 60_000),
  FHIR_RESPONSE_DELAY_MS: integer(0, 0, 60_000),
  FHIR_FAULT_RATE: z.preprocess(unsetIfEmpty, z.coerce.number().min(0).max(1).default(0)),
  // Unset: each location's own booking horizon; set: every location's, in days.
  FHIR_DAYS_AHEAD: z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).max(365).optional()),
  FHIR_SEED: integer(1, 0, 2 ** 31 - 1),
  FHIR_MAX_PAGE_SIZE: integer(200, 1, 1000),
  FHIR_ACCESS_TOKEN: z.preprocess(unsetIfEmpty, z.string().min(8).optional()),
});

export type Environment = Readonly<z.output<typeof schema>>;

/** Parses the simulator's variables once; the only reader of `process.env`. */
export function parseEnvironment(
  env: Record<string, string | undefined> = process.env,
): Environment {
  const result = schema.safeParse(env);
  if (!result.success) {
    // Paths and rules only: never a value, which may be the access token.
    throw new ConfigurationError(
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  return Object.freeze(result.data);
}
