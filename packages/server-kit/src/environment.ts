import { z } from 'zod';

/** Thrown when configuration is invalid; lists every problem, not just the first. */
export class ConfigurationError extends Error {
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`${service}: invalid configuration\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** The `NODE_ENV` of the environment being parsed, for `developmentSecret`'s check. */
let parsingNodeEnv: string | undefined;

/**
 * A secret with a public development default, so that `npm start` needs no set-up; when `NODE_ENV`
 * is `production`, the development value (defaulted or given) is a configuration problem.
 */
export function developmentSecret(developmentValue: string) {
  return z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(developmentValue)
    .superRefine((value, ctx) => {
      if (parsingNodeEnv === 'production' && value === developmentValue) {
        ctx.addIssue({
          code: 'custom',
          message: 'production needs its own; the development value is public',
        });
      }
    });
}

/**
 * Parses `env` with `schema` once, reporting every problem at once, and returns a frozen,
 * typed configuration object. Each service's `environment.ts` is the only caller.
 */
export function parseEnvironment<S extends z.ZodType>(
  service: string,
  schema: S,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.output<S>> {
  parsingNodeEnv = env.NODE_ENV;
  try {
    const result = schema.safeParse(env);
    if (!result.success) {
      const problems = result.error.issues.map(
        (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
      );
      throw new ConfigurationError(service, problems);
    }
    return Object.freeze(result.data);
  } finally {
    parsingNodeEnv = undefined;
  }
}

/** A configuration object as a reader gives it: frozen all the way down. */
export type Frozen<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer E)[]
    ? readonly Frozen<E>[]
    : T extends object
      ? { readonly [K in keyof T]: Frozen<T[K]> }
      : T;

/** Freezes `value` and every plain object and array in it. */
function deepFreeze<T>(value: T): Frozen<T> {
  if (Array.isArray(value) || Object.getPrototypeOf(value ?? 0) === Object.prototype) {
    for (const child of Object.values(value as object)) deepFreeze(child);
    Object.freeze(value);
  }
  return value as Frozen<T>;
}

/**
 * A service's configuration reader, the one way a service reads its environment: the reader
 * parses the variables (`process.env` unless given) with `variables`, a zod schema keyed by the
 * variables' own names, and hands the result to `group`, which arranges it by concern under
 * camelCase names (`{ auth: { jwksUrl }, rateLimit: { perMinute } }`). The object it returns is
 * frozen all the way down. Every problem is reported at once in one `ConfigurationError`, each as
 * `VARIABLE: rule`, never with the value. A service's `src/environment.ts` makes one and exports
 * it as `readEnvironment`:
 *
 * ```ts
 * export const readEnvironment = environmentReader(
 *   'simulator-acme',
 *   z.object({ PORT: port(4105), ACME_LATENCY_MS: milliseconds(0) }),
 *   (v) => ({ port: v.PORT, control: { latencyMs: v.ACME_LATENCY_MS } }),
 * );
 * export type AcmeEnvironment = ReturnType<typeof readEnvironment>;
 * ```
 */
export function environmentReader<S extends z.ZodType, C extends object>(
  service: string,
  variables: S,
  group: (variables: Readonly<z.output<S>>) => C,
): (env?: Record<string, string | undefined>) => Frozen<C> {
  return (env = process.env) => deepFreeze(group(parseEnvironment(service, variables, env)));
}

/**
 * The secret with which the gateway and scheduling prove their calls to subgraphs
 * (`x-internal-secret`); every subgraph refuses GraphQL requests without it.
 */
export const developmentInternalSecret = 'development-internal-secret-not-for-production';
export const internalSecret = developmentSecret(developmentInternalSecret);

/** A TCP port number given as a string, e.g. `PORT=4000`. */
export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

/** A positive integer of milliseconds given as a string, e.g. `PROVIDER_DEADLINE_MS=2000`. */
export const milliseconds = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback);

/** Log level accepted by every service. */
export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

/** Deployment mode; production tightens defaults (error masking, introspection). */
export const nodeEnv = z.enum(['development', 'test', 'production']).default('development');

/**
 * A comma-separated `key=value` list, e.g. `provider-cliniq=http://127.0.0.1:4010/graphql`, parsed
 * to an object; `value` is checked by `valueSchema`. A problem names the entry by its position and
 * key, never its value (a URL may carry credentials).
 */
export const keyValueList = <V extends z.ZodType>(valueSchema: V) =>
  z.string().transform((text, ctx) => {
    const entries: [string, z.output<V>][] = [];
    for (const [index, item] of text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .entries()) {
      const at = item.indexOf('=');
      const key = item.slice(0, at).trim();
      const parsed = valueSchema.safeParse(item.slice(at + 1).trim());
      if (at <= 0 || !parsed.success) {
        const entry = at > 0 ? `entry ${index + 1} ("${key}")` : `entry ${index + 1}`;
        ctx.addIssue({ code: 'custom', message: `${entry} is not key=value with a valid value` });
        continue;
      }
      entries.push([key, parsed.data]);
    }
    return Object.fromEntries(entries) as Record<string, z.output<V>>;
  });

/**
 * One variable holding a JSON array of entries (tenants, units, publishers), each with a unique
 * `key` field, e.g. `CLINIQ_CONNECTIONS='[{"id":"nordklinik",…}]'`. Unset or blank parses to
 * `undefined` ("not configured"). Problems name the path and the rule, never the value: entries
 * carry credentials (the key's value is named in a duplicate, as an id is no secret).
 */
export function jsonListVariable<T extends z.ZodType<Record<string, unknown>>>(
  entry: T,
  key: keyof z.output<T> & string,
) {
  const list = z.array(entry).min(1);
  /** Duplicates among the raw entries, so they are reported also when an entry is invalid. */
  const duplicates = (json: unknown, ctx: z.RefinementCtx): boolean => {
    if (!Array.isArray(json)) return false;
    let found = false;
    const seen = new Set<unknown>();
    for (const [index, item] of json.entries()) {
      const value = typeof item === 'object' && item !== null ? item[key] : undefined;
      if (typeof value !== 'string' && typeof value !== 'number') continue;
      if (seen.has(value)) {
        ctx.addIssue({ code: 'custom', message: `duplicate ${key} "${value}"`, path: [index] });
        found = true;
      }
      seen.add(value);
    }
    return found;
  };
  return z
    .string()
    .optional()
    .transform((text, ctx): z.output<T>[] | undefined => {
      if (text === undefined || text.trim() === '') return undefined;
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
        return z.NEVER;
      }
      const duplicated = duplicates(json, ctx);
      const parsed = list.safeParse(json);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
        }
      }
      return parsed.success && !duplicated ? parsed.data : z.NEVER;
    });
}
