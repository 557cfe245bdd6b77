import { fileURLToPath } from 'node:url';
import {
  allScopes,
  environmentReader,
  internalSecret,
  jsonListVariable,
  keyValueList,
  logLevel,
  milliseconds,
  nodeEnv,
  port,
  type Scope,
} from '@booking/server-kit';
import { z } from 'zod';
import {
  defaultAudience,
  developmentIssuer,
  developmentSigningKey,
} from './auth/developmentKeys.js';
import { trustedDocumentsModes } from './trustedDocuments.js';

const defaultSupergraph = fileURLToPath(
  new URL('../../schema/supergraph.graphql', import.meta.url),
);

const defaultTrustedDocuments = fileURLToPath(
  new URL('../../sdk/src/__generated__/persisted-documents.json', import.meta.url),
);

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const scopeList = z.array(z.enum(allScopes as [Scope, ...Scope[]]));

/** `AUTH_JWT_PUBLIC_KEYS`: a JSON Web Key Set of public keys. */
const jwksVariable = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
      return z.NEVER;
    }
  })
  .pipe(
    z.object({
      keys: z
        .array(
          z
            .looseObject({ kty: z.string() })
            .refine((key) => !('d' in key), 'public keys only: this key has a private part'),
        )
        .min(1),
    }),
  );

/** `API_KEYS`: server-to-server clients, each `{ id, sha256, scopes }` (the key's SHA-256, hex). */
const apiKeysVariable = jsonListVariable(
  z.object({
    id: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/i, 'must be the hex SHA-256 of the key'),
    scopes: scopeList.min(1),
  }),
  'id',
);

/**
 * `AUTH_TRUSTED_ISSUERS`: identity providers trusted besides `AUTH_ISSUER`, each
 * `{ issuer, jwksUrl, scopes? }` (`scopes`: the most its tokens may grant).
 */
const trustedIssuersVariable = jsonListVariable(
  z.object({
    issuer: z.string().min(1),
    jwksUrl: z.url({ protocol: /^https?$/ }),
    scopes: scopeList.optional(),
  }),
  'issuer',
);

/** The origin of `npm start`'s demo booking page (`examples/web`), as a browser may name it. */
export const demoPageOrigins = ['http://localhost:5173', 'http://127.0.0.1:5173'];

/**
 * `CORS_ORIGINS`: comma-separated origins (`https://boka.varden.se`) whose web pages may call the
 * API. An origin only: scheme, host and port, nothing after; never `*`, because tokens ride along.
 */
const originList = z.string().transform((text, ctx) => {
  const origins: string[] = [];
  for (const [index, item] of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .entries()) {
    let origin: string | undefined;
    try {
      const url = new URL(item);
      if (/^https?:$/.test(url.protocol) && url.origin === item.replace(/\/$/, ''))
        origin = url.origin;
    } catch {
      // reported below
    }
    if (origin) origins.push(origin);
    else {
      ctx.addIssue({
        code: 'custom',
        message: `entry ${index + 1} is not an origin like https://boka.varden.se (scheme, host and port only)`,
      });
    }
  }
  return origins;
});

/** The gateway's variables, by the names the deployment sets. */
const variables = z
  .object({
    NODE_ENV: nodeEnv,
    PORT: port(4000),
    HOST: z.string().default('127.0.0.1'),
    LOG_LEVEL: logLevel,
    SUPERGRAPH_PATH: z.string().default(defaultSupergraph),
    SUBGRAPH_URLS: keyValueList(z.url()).default({}),
    SUBGRAPH_TIMEOUT_MS: milliseconds(10_000),
    SUBGRAPH_CONNECTIONS: z.coerce.number().int().positive().default(64),
    SUBGRAPH_DEDUPLICATION: flag.default(true),
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(256 * 1024),
    INTROSPECTION: flag.optional(),
    TRUSTED_DOCUMENTS: z.enum(trustedDocumentsModes).optional(),
    TRUSTED_DOCUMENTS_MANIFEST: z.string().default(defaultTrustedDocuments),
    EXPLORER: flag.optional(),
    AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
    AUTH_JWT_PUBLIC_KEYS: jwksVariable.optional(),
    AUTH_ISSUER: z.string().min(1).default(developmentIssuer),
    AUTH_TRUSTED_ISSUERS: trustedIssuersVariable,
    AUTH_AUDIENCE: z.string().min(1).default(defaultAudience),
    API_KEYS: apiKeysVariable,
    ANONYMOUS_READS: flag.optional(),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().optional(),
    AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().positive().default(30),
    TRUSTED_PROXIES: z.coerce.number().int().min(0).max(5).default(0),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    RATE_LIMIT_KEY_PREFIX: z.string().min(1).default('booking:rate-limit:'),
    INTERNAL_SECRET: internalSecret,
    CORS_ORIGINS: originList.optional(),
  })
  // Checked even when another variable is invalid (`when`), so every problem is reported at once.
  .refine(
    (env) =>
      env.NODE_ENV !== 'production' ||
      Boolean(env.AUTH_JWKS_URL) ||
      (Array.isArray(env.AUTH_JWT_PUBLIC_KEYS?.keys) &&
        !env.AUTH_JWT_PUBLIC_KEYS.keys.some((key) => key.x === developmentSigningKey.publicJwk.x)),
    {
      path: ['AUTH_JWT_PUBLIC_KEYS'],
      message:
        'production needs AUTH_JWKS_URL or AUTH_JWT_PUBLIC_KEYS of its own; the development signing key is public',
      when: () => true,
    },
  )
  .refine((env) => !env.AUTH_TRUSTED_ISSUERS?.some(({ issuer }) => issuer === env.AUTH_ISSUER), {
    path: ['AUTH_TRUSTED_ISSUERS'],
    message: 'names AUTH_ISSUER again: each issuer is trusted once, with one key set',
    when: () => true,
  })
  .refine(
    (env) =>
      env.NODE_ENV !== 'production' ||
      [env.AUTH_JWKS_URL, ...(env.AUTH_TRUSTED_ISSUERS ?? []).map((i) => i.jwksUrl)].every(
        (url) => url === undefined || url.startsWith('https:'),
      ),
    {
      path: ['AUTH_TRUSTED_ISSUERS'],
      message:
        'production fetches signing keys over https only: keys fetched over http can be forged',
      when: () => true,
    },
  )
  .refine((env) => env.NODE_ENV !== 'production' || env.AUTH_ISSUER !== developmentIssuer, {
    path: ['AUTH_ISSUER'],
    message: 'production needs the issuer of its identity provider',
    when: () => true,
  })
  .transform((env) => ({
    ...env,
    // Without keys of its own, the gateway trusts the development signing key (`npm run token`).
    AUTH_JWT_PUBLIC_KEYS:
      env.AUTH_JWT_PUBLIC_KEYS ??
      (env.AUTH_JWKS_URL
        ? undefined
        : { keys: [{ ...developmentSigningKey.publicJwk, kid: developmentSigningKey.kid }] }),
    API_KEYS: env.API_KEYS ?? [],
    AUTH_TRUSTED_ISSUERS: env.AUTH_TRUSTED_ISSUERS ?? [],
    // No other origin's pages in production unless listed; the demo page's outside it.
    CORS_ORIGINS: env.CORS_ORIGINS ?? (env.NODE_ENV === 'production' ? [] : demoPageOrigins),
    // Catalogue and availability without credentials: allowed outside production by default.
    ANONYMOUS_READS: env.ANONYMOUS_READS ?? env.NODE_ENV !== 'production',
    // Generous outside production, so load and race tests from one client are served.
    RATE_LIMIT_PER_MINUTE:
      env.RATE_LIMIT_PER_MINUTE ?? (env.NODE_ENV === 'production' ? 600 : 100_000),
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

/**
 * Reads the gateway's configuration once, grouped by concern; the only reader of `process.env`.
 * Every problem is reported at once in one `ConfigurationError`.
 */
export const readEnvironment = environmentReader('gateway', variables, (env) => ({
  nodeEnv: env.NODE_ENV,
  port: env.PORT,
  host: env.HOST,
  logLevel: env.LOG_LEVEL,
  /** Proves the gateway's calls to the subgraphs (`x-internal-secret`). */
  internalSecret: env.INTERNAL_SECRET,
  maxBodyBytes: env.MAX_BODY_BYTES,
  /** Origins whose web pages may call the API (CORS); empty: none. */
  corsOrigins: env.CORS_ORIGINS,
  supergraphPath: env.SUPERGRAPH_PATH,
  subgraphs: {
    /** Overrides of the supergraph's URLs, by subgraph name. */
    urls: env.SUBGRAPH_URLS,
    timeoutMs: env.SUBGRAPH_TIMEOUT_MS,
    /** Keep-alive sockets per subgraph. */
    connections: env.SUBGRAPH_CONNECTIONS,
    /** Identical queries in flight at once share one subgraph fetch (never a mutation). */
    deduplicate: env.SUBGRAPH_DEDUPLICATION,
  },
  graphql: { introspection: env.INTROSPECTION, explorer: env.EXPLORER },
  trustedDocuments: { mode: env.TRUSTED_DOCUMENTS, manifestPath: env.TRUSTED_DOCUMENTS_MANIFEST },
  auth: {
    /** Where the verification keys are fetched from; when set, `publicKeys` is not used. */
    jwksUrl: env.AUTH_JWKS_URL,
    /** The verification keys, when not fetched: by default the development key's public half. */
    publicKeys: env.AUTH_JWT_PUBLIC_KEYS,
    issuer: env.AUTH_ISSUER,
    /** Identity providers trusted besides `issuer`, each verified against its own JWKS. */
    otherIssuers: env.AUTH_TRUSTED_ISSUERS,
    audience: env.AUTH_AUDIENCE,
    apiKeys: env.API_KEYS,
    /** Catalogue and availability reads without credentials. */
    anonymousReads: env.ANONYMOUS_READS,
  },
  rateLimit: {
    perMinute: env.RATE_LIMIT_PER_MINUTE,
    /** Failed authentications per client address per minute; past them 429 instead of 401. */
    authFailuresPerMinute: env.AUTH_FAILURES_PER_MINUTE,
    /** Proxies in front of the gateway (a load balancer: 1): who counts as a request's address. */
    trustedProxies: env.TRUSTED_PROXIES,
    keyPrefix: env.RATE_LIMIT_KEY_PREFIX,
    /** Counters shared by every gateway instance; without it, each counts in memory. */
    redisUrl: env.REDIS_URL,
  },
}));

export type GatewayEnvironment = ReturnType<typeof readEnvironment>;
