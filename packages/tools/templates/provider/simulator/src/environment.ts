import { host, integer, parseSimulatorEnvironment, port } from '@booking/simulator-kit';
import { z } from 'zod';

const schema = z.object({
  PORT: port(49002),
  HOST: host,
  /** Delay before every API request, in milliseconds. */
  __NAME___LATENCY_MS: integer(0, 0, 60_000),
});

/** Parses the simulator's variables once; the only reader of `process.env`. */
export function parseEnvironment(env?: Record<string, string | undefined>) {
  return parseSimulatorEnvironment('simulator-__name__', schema, env);
}
