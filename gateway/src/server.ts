import { readFileSync } from 'node:fs';
import {
  createHttpService,
  type HttpService,
  internalSecretHeader,
  type Logger,
  type Readiness,
  Scope,
} from '@booking/server-kit';
import { Redis } from 'ioredis';
import { createAuthenticator } from './auth/createAuthenticator.js';
import { createRateLimiter } from './auth/createRateLimiter.js';
import type { GatewayContext } from './auth/scopesPlugin.js';
import { createGateway, type GatewayOptions } from './createGateway.js';
import { createSubgraphFetcher } from './createSubgraphFetcher.js';
import type { GatewayEnvironment } from './environment.js';
import { createExplorerRoutes } from './explorer/createExplorerRoutes.js';
import { supergraphSubgraphs } from './supergraphSubgraphs.js';
import { loadTrustedDocuments } from './trustedDocuments.js';

export type { Principal } from './auth/createAuthenticator.js';
export type { GatewayContext } from './auth/scopesPlugin.js';
export { signDevelopmentToken } from './auth/signToken.js';
export { createGateway, queryLimits } from './createGateway.js';
export { supergraphSubgraphs } from './supergraphSubgraphs.js';
export {
  loadTrustedDocuments,
  type TrustedDocumentsManifest,
  type TrustedDocumentsMode,
} from './trustedDocuments.js';

export interface GatewayServiceOptions {
  config: GatewayEnvironment;
  logger: Logger;
  buildService?: GatewayOptions['buildService'];
}

/** Builds the gateway service: Apollo Gateway, health endpoints and the HTTP shell. */
export function createGatewayService({
  config,
  logger,
  buildService,
}: GatewayServiceOptions): HttpService {
  const supergraphSdl = readFileSync(config.SUPERGRAPH_PATH, 'utf8');
  const subgraphs = supergraphSubgraphs(supergraphSdl).map(({ name, url }) => ({
    name,
    url: config.SUBGRAPH_URLS[name] ?? url,
  }));
  const transport = createSubgraphFetcher({
    timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
    connections: config.SUBGRAPH_CONNECTIONS,
  });
  const trustedDocuments = loadTrustedDocuments(config.TRUSTED_DOCUMENTS_MANIFEST);
  if (config.TRUSTED_DOCUMENTS === 'enforced' && trustedDocuments.size === 0) {
    throw new Error(
      `TRUSTED_DOCUMENTS=enforced but ${config.TRUSTED_DOCUMENTS_MANIFEST} has no documents`,
    );
  }
  const authenticator = createAuthenticator({
    keys: config.AUTH_JWKS_URL
      ? { jwksUrl: new URL(config.AUTH_JWKS_URL) }
      : { jwks: config.AUTH_JWT_PUBLIC_KEYS as never },
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    apiKeys: config.API_KEYS,
    anonymousScopes: config.ANONYMOUS_READS ? [Scope.AvailabilityRead] : [],
  });
  // Shared counters when several gateways run; commands fail fast so a request never waits on Redis.
  const redis = config.REDIS_URL
    ? new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
    : undefined;
  // Once per outage: ioredis reports every failed reconnection.
  let redisDown = false;
  redis?.on('error', (error: Error) => {
    if (redisDown) return;
    redisDown = true;
    logger.warn({ err: error.message }, 'Redis unavailable: counting rate limits in memory');
  });
  redis?.on('ready', () => {
    if (redisDown) logger.info('Redis is back: rate limits shared again');
    redisDown = false;
  });
  const rateLimiter = createRateLimiter({
    perMinute: config.RATE_LIMIT_PER_MINUTE,
    keyPrefix: config.RATE_LIMIT_KEY_PREFIX,
    logger,
    ...(redis && { redis }),
  });
  const apollo = createGateway({
    supergraphSdl,
    subgraphUrls: Object.fromEntries(subgraphs.map((s) => [s.name, s.url])),
    fetcher: transport.fetcher,
    logger,
    config,
    trustedDocuments,
    ...(buildService && { buildService }),
  });

  /** Ready when every subgraph answers a trivial query within a second. */
  async function readiness(): Promise<Readiness> {
    const checks = await Promise.all(
      subgraphs.map(async ({ name, url }) => {
        try {
          const response = await transport.fetcher(url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              [internalSecretHeader]: config.INTERNAL_SECRET,
            },
            body: JSON.stringify({ query: '{ __typename }' }),
          });
          return [name, { ok: response.ok }] as const;
        } catch (error) {
          return [name, { ok: false, message: (error as Error).message }] as const;
        }
      }),
    );
    return { ok: checks.every(([, check]) => check.ok), checks: Object.fromEntries(checks) };
  }

  // The explorer (GraphiQL) for browsers at `/` and `/graphql`; API calls pass through.
  const explorer = config.EXPLORER ? createExplorerRoutes({ logger }) : undefined;

  const http = createHttpService<GatewayContext>({
    name: 'gateway',
    logger,
    graphql: {
      server: apollo,
      // Who the request acts for, then whether that client may send another request now.
      context: async (req) => {
        const principal = await authenticator.authenticate(req.headers);
        const key =
          principal.method === 'anonymous'
            ? `ip:${req.socket.remoteAddress ?? 'unknown'}`
            : `client:${principal.clientId}`;
        await rateLimiter.consume(key);
        return { principal };
      },
    },
    routes: explorer,
    readiness: buildService ? undefined : readiness,
    maxBodyBytes: config.MAX_BODY_BYTES,
  });
  return {
    get url() {
      return http.url;
    },
    httpServer: http.httpServer,
    listen: (port, host) => http.listen(port, host),
    async close() {
      await http.close();
      await transport.close();
      redis?.disconnect();
    },
  };
}
