import { readFileSync } from 'node:fs';
import type { BaseContext } from '@apollo/server';
import {
  createHttpService,
  type HttpService,
  type Logger,
  type Readiness,
} from '@booking/server-kit';
import { createGateway, type GatewayOptions } from './createGateway.js';
import { createSubgraphFetcher } from './createSubgraphFetcher.js';
import type { GatewayEnvironment } from './environment.js';
import { createExplorerRoutes } from './explorer/createExplorerRoutes.js';
import { supergraphSubgraphs } from './supergraphSubgraphs.js';
import { loadTrustedDocuments } from './trustedDocuments.js';

export { createGateway } from './createGateway.js';
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
            headers: { 'content-type': 'application/json' },
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

  const http = createHttpService<BaseContext>({
    name: 'gateway',
    logger,
    graphql: { server: apollo, context: async () => ({}) },
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
    },
  };
}
