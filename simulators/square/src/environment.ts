import { host, integer, parseSimulatorEnvironment, port } from '@booking/simulator-kit';
import { z } from 'zod';

const schema = z.object({
  PORT: port(4105),
  HOST: host,
  /** Delay before every API request, in milliseconds. */
  SQUARE_LATENCY_MS: integer(0, 0, 60_000),
});

/** Parses the simulator's variables once; the only reader of `process.env`. */
export function parseEnvironment(env?: Record<string, string | undefined>) {
  return parseSimulatorEnvironment('simulator-square', schema, env);
}
