import { environmentReader } from '@booking/server-kit/environment';
import { host, integer, port } from '@booking/simulator-kit';
import { z } from 'zod';

const variables = z.object({
  PORT: port(49002),
  HOST: host,
  /** Delay before every API request, in milliseconds. */
  __NAME___LATENCY_MS: integer(0, 0, 60_000),
});

/** Reads the simulator's configuration once; the only reader of `process.env`. */
export const readEnvironment = environmentReader('simulator-__name__', variables, (env) => ({
  port: env.PORT,
  host: env.HOST,
  /** The control protocol's knobs at start-up (`/_admin/config` changes them). */
  control: { latencyMs: env.__NAME___LATENCY_MS },
}));
