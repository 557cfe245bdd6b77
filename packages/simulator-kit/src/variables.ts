import { z } from 'zod';

// A simulator's variables, for its `src/environment.ts`, which reads them with server-kit's
// `environmentReader`.

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
