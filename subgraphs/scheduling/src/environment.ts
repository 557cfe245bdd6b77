import {
  keyValueList,
  logLevel,
  milliseconds,
  nodeEnv,
  parseEnvironment,
  port,
} from '@booking/server-kit';
import { z } from 'zod';

/** The scheduling subgraph's configuration; the only reader of `process.env`. */
export const environmentSchema = z.object({
  NODE_ENV: nodeEnv,
  PORT: port(4001),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: logLevel,
  PROVIDER_SUBGRAPHS: keyValueList(z.url()).refine((map) => Object.keys(map).length > 0, {
    message:
      'name at least one provider subgraph, e.g. provider-cliniq=http://127.0.0.1:4010/graphql',
  }),
  PROVIDER_DEADLINE_MS: milliseconds(2000),
  PROVIDER_DEADLINES: keyValueList(z.coerce.number().int().positive()).default({}),
  CATALOGUE_REFRESH_MS: milliseconds(5 * 60_000),
  CATALOGUE_RETRY_MS: milliseconds(5_000),
});

export type SchedulingEnvironment = z.output<typeof environmentSchema>;

export function readEnvironment(env: Record<string, string | undefined> = process.env) {
  return parseEnvironment('scheduling', environmentSchema, env);
}
