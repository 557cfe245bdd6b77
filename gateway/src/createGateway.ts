import { ApolloGateway, type GraphQLDataSource, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Fetcher } from '@apollo/utils.fetcher';
import type { Logger } from '@booking/server-kit';
import type { GatewayEnvironment } from './environment.js';
import { type TrustedDocumentsManifest, trustedDocumentsOptions } from './trustedDocuments.js';

export interface GatewayOptions {
  /** The composed supergraph SDL (`schema/supergraph.graphql`). */
  supergraphSdl: string;
  /** Subgraph URLs by subgraph name, overriding those in the supergraph. */
  subgraphUrls: Record<string, string>;
  fetcher: Fetcher;
  logger: Logger;
  config: Pick<GatewayEnvironment, 'NODE_ENV' | 'INTROSPECTION' | 'TRUSTED_DOCUMENTS'>;
  /** The SDK's persisted documents (hash → document). Default: none. */
  trustedDocuments?: TrustedDocumentsManifest;
  /**
   * Builds the data source of a subgraph. Default: HTTP through `fetcher`. In-process tests pass
   * `LocalGraphQLDataSource`s.
   */
  buildService?: (name: string, url: string) => GraphQLDataSource;
}

/**
 * Apollo Gateway over a static supergraph, inside Apollo Server. The supergraph is composed at
 * build time (`npm run compose`), so the gateway never polls a registry or calls out.
 */
export function createGateway(options: GatewayOptions): ApolloServer<BaseContext> {
  // The gateway otherwise exports usage data to Apollo; nothing may leave the deployment.
  process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: options.logger,
    buildService: ({ name, url }) => {
      const target = options.subgraphUrls[name] ?? url ?? '';
      return options.buildService
        ? options.buildService(name, target)
        : new RemoteGraphQLDataSource({ url: target, fetcher: options.fetcher });
    },
  });
  const trusted = trustedDocumentsOptions(
    options.config.TRUSTED_DOCUMENTS,
    options.trustedDocuments ?? new Map(),
  );
  return new ApolloServer({
    gateway,
    persistedQueries: trusted.persistedQueries,
    introspection: options.config.INTROSPECTION,
    // Shutdown is the service's own (server-kit's runService drains HTTP first, then stops GraphQL).
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: options.config.NODE_ENV !== 'production',
    // Apollo's default landing page loads from a CDN; the explorer is served locally instead.
    plugins: [ApolloServerPluginLandingPageDisabled(), ...trusted.plugins],
    logger: options.logger,
  });
}
