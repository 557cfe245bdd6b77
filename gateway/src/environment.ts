import { fileURLToPath } from 'node:url';
import {
  keyValueList,
  logLevel,
  milliseconds,
  nodeEnv,
  parseEnvironment,
  port,
} from '@booking/server-kit';
import { z } from 'zod';
import { trustedDocumentsModes } from './trustedDocuments.js';

const defaultSupergraph = fileURLToPath(
  new URL('../../schema/supergraph.graphql', import.meta.url),
);

const defaultTrustedDocuments = fileURLToPath(
  new URL('../../sdk/src/__generated__/persisted-documents.json', import.meta.url),
);

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** The gateway's configuration; the only reader of `process.env`. */
export const environmentSchema = z
  .object({
    NODE_ENV: nodeEnv,
    PORT: port(4000),
    HOST: z.string().default('127.0.0.1'),
    LOG_LEVEL: logLevel,
    SUPERGRAPH_PATH: z.string().default(defaultSupergraph),
    SUBGRAPH_URLS: keyValueList(z.url()).default({}),
    SUBGRAPH_TIMEOUT_MS: milliseconds(10_000),
    SUBGRAPH_CONNECTIONS: z.coerce.number().int().positive().default(64),
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(256 * 1024),
    INTROSPECTION: flag.optional(),
    TRUSTED_DOCUMENTS: z.enum(trustedDocumentsModes).optional(),
    TRUSTED_DOCUMENTS_MANIFEST: z.string().default(defaultTrustedDocuments),
    EXPLORER: flag.optional(),
  })
  .transform((env) => ({
    ...env,
    // Introspection helps developers and attackers alike: on by default only outside production.
    INTROSPECTION: env.INTROSPECTION ?? env.NODE_ENV !== 'production',
    // Production runs only the SDK's documents unless told otherwise.
    TRUSTED_DOCUMENTS:
      env.TRUSTED_DOCUMENTS ??
      (env.NODE_ENV === 'production' ? 'enforced' : 'allow-listed-or-hash'),
    // The explorer (GraphiQL at `/`): on by default outside production, unless what it needs is off.
    EXPLORER:
      env.EXPLORER ??
      (env.NODE_ENV !== 'production' &&
        env.INTROSPECTION !== false &&
        env.TRUSTED_DOCUMENTS !== 'enforced'),
  }))
  // The explorer reads the schema by introspection and runs documents typed by hand: asking for it
  // where either is refused is a mistake to report, not to paper over.
  .superRefine((env, ctx) => {
    if (!env.EXPLORER) return;
    if (!env.INTROSPECTION) {
      ctx.addIssue({
        code: 'custom',
        path: ['EXPLORER'],
        message: 'the explorer needs introspection: set INTROSPECTION=true as well',
      });
    }
    if (env.TRUSTED_DOCUMENTS === 'enforced') {
      ctx.addIssue({
        code: 'custom',
        path: ['EXPLORER'],
        message: 'the explorer sends its own documents: set TRUSTED_DOCUMENTS=allow-listed-or-hash',
      });
    }
  });

export type GatewayEnvironment = z.output<typeof environmentSchema>;

export function readEnvironment(env: Record<string, string | undefined> = process.env) {
  return parseEnvironment('gateway', environmentSchema, env);
}
