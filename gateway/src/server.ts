import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
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
import { createRequestContext } from './auth/createRequestContext.js';
import type { GatewayContext } from './auth/scopesPlugin.js';
import { createCors } from './createCors.js';
import { createGateway, type GatewayOptions } from './createGateway.js';
import { createSubgraphFetcher } from './createSubgraphFetcher.js';
import type { GatewayEnvironment } from './environment.js';
import { createExplorerRoutes } from './explorer/createExplorerRoutes.js';
import { supergraphSubgraphs } from './supergraphSubgraphs.js';
import { loadTrustedDocuments } from './trustedDocuments.js';

export type { Principal } from './auth/createAuthenticator.js';
export type { GatewayContext } from './auth/scopesPlugin.js';
export { newSigningKey, signDevelopmentToken, signToken } from './auth/signToken.js';
export { createGateway, queryLimits } from './createGateway.js';
export { demoPageOrigins, readEnvironment } from './environment.js';
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
  const supergraphSdl = readFileSync(config.supergraphPath, 'utf8');
  const subgraphs = supergraphSubgraphs(supergraphSdl).map(({ name, url }) => ({
    name,
    url: config.subgraphs.urls[name] ?? url,
  }));
  const transport = createSubgraphFetcher({
    timeoutMs: config.subgraphs.timeoutMs,
    connections: config.subgraphs.connections,
  });
  const trustedDocuments = loadTrustedDocuments(config.trustedDocuments.manifestPath);
  if (config.trustedDocuments.mode === 'enforced' && trustedDocuments.size === 0) {
    throw new Error(
      `TRUSTED_DOCUMENTS=enforced but ${config.trustedDocuments.manifestPath} has no documents`,
    );
  }
  const authenticator = createAuthenticator({
    keys: config.auth.jwksUrl
      ? { jwksUrl: new URL(config.auth.jwksUrl) }
      : { jwks: config.auth.publicKeys as never },
    issuer: config.auth.issuer,
    otherIssuers: config.auth.otherIssuers.map((trusted) => ({
      ...trusted,
      jwksUrl: new URL(trusted.jwksUrl),
    })),
    audience: config.auth.audience,
    apiKeys: config.auth.apiKeys,
    anonymousScopes: config.auth.anonymousReads ? [Scope.AvailabilityRead] : [],
  });
  // Shared counters when several gateways run; commands fail fast so a request never waits on Redis.
  const redis = config.rateLimit.redisUrl
    ? new Redis(config.rateLimit.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 })
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
    perMinute: config.rateLimit.perMinute,
    keyPrefix: config.rateLimit.keyPrefix,
    logger,
    ...(redis && { redis }),
  });
  const authFailureLimiter = createRateLimiter({
    perMinute: config.rateLimit.authFailuresPerMinute,
    keyPrefix: `${config.rateLimit.keyPrefix}auth-failures`,
    reason: 'too many failed authentications from this address',
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
    deduplicateSubgraphRequests: config.subgraphs.deduplicate,
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
              [internalSecretHeader]: config.internalSecret,
            },
            body: JSON.stringify({ query: '{ __typename }' }),
          });
          // Every subgraph answers the gateway's secret; a 401 means INTERNAL_SECRET differs.
          if (response.status === 401) {
            return [name, { ok: false, message: "refuses the gateway's INTERNAL_SECRET" }] as const;
          }
          return [name, { ok: response.ok }] as const;
        } catch (error) {
          return [name, { ok: false, message: (error as Error).message }] as const;
        }
      }),
    );
    return { ok: checks.every(([, check]) => check.ok), checks: Object.fromEntries(checks) };
  }

  // The explorer (GraphiQL) for browsers at `/` and `/graphql`; API calls pass through.
  const explorer = config.graphql.explorer ? createExplorerRoutes({ logger }) : undefined;
  // Cross-origin pages first: a preflight is answered before anything else sees it.
  const cors = createCors(config.corsOrigins);
  const routes =
    cors || explorer
      ? (req: IncomingMessage, res: ServerResponse) =>
          (cors?.(req, res) ?? false) || (explorer?.(req, res) ?? false)
      : undefined;

  const http = createHttpService<GatewayContext>({
    name: 'gateway',
    logger,
    graphql: {
      server: apollo,
      context: createRequestContext({
        authenticator,
        requests: rateLimiter,
        authFailures: authFailureLimiter,
        trustedProxies: config.rateLimit.trustedProxies,
      }),
    },
    routes,
    readiness: buildService ? undefined : readiness,
    maxBodyBytes: config.maxBodyBytes,
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
