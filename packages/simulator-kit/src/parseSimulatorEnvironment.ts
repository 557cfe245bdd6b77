import { ConfigurationError } from '@booking/server-kit/environment';
import { z } from 'zod';

export { ConfigurationError };

/**
 * Parses a simulator's variables once with its `schema`, into a frozen object. Every problem is
 * reported at once, as `path: rule` and never the value, which may be an access token.
 */
export function parseSimulatorEnvironment<S extends z.ZodType>(
  service: string,
  schema: S,
  env: Record<string, string | undefined> = process.env,
): Readonly<z.output<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigurationError(
      service,
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  return Object.freeze(result.data);
}

/** An empty variable (`FOO=`) means "use the default", as in docker-compose files. */
export const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

/** A whole number in `min..max`, `fallback` when unset or empty. */
export const integer = (fallback: number, min: number, max: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().int().min(min).max(max).default(fallback));

/**
 * A whole number in `min..max` whose absence means something of its own (a booking horizon
 * override: unset keeps each clinic's own), so it has no default.
 */
export const optionalInteger = (min: number, max: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().int().min(min).max(max).optional());

/** A share in `0..1` (of faulty requests, of slots others booked), `fallback` when unset or empty. */
export const share = (fallback: number) =>
  z.preprocess(unsetIfEmpty, z.coerce.number().min(0).max(1).default(fallback));

/** The TCP port to listen on, `fallback` (`npm start`'s) when unset; `0` takes any free port. */
export const port = (fallback: number) => integer(fallback, 0, 65_535);

/** The interface to bind: loopback when unset, so that a laptop does not expose the simulator. */
export const host = z.preprocess(unsetIfEmpty, z.string().default('127.0.0.1'));
