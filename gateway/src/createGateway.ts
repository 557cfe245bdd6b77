import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Fetcher } from '@apollo/utils.fetcher';
import type { Logger } from '@booking/server-kit';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { type GatewayContext, scopesPlugin } from './auth/scopesPlugin.js';
import { createErrorFormatter } from './createErrorFormatter.js';
import type { GatewayEnvironment } from './environment.js';
import { knownOperationTypesRule } from './knownOperationTypesRule.js';
import { operationNamePlugin } from './operationNamePlugin.js';
import { PlatformDataSource } from './PlatformDataSource.js';
import { type TrustedDocumentsManifest, trustedDocumentsOptions } from './trustedDocuments.js';

export interface GatewayOptions {
  /** The composed supergraph SDL (`schema/supergraph.graphql`). */
  supergraphSdl: string;
  /** Subgraph URLs by subgraph name, overriding those in the supergraph. */
  subgraphUrls: Record<string, string>;
  fetcher: Fetcher;
  logger: Logger;
  /** The part of the gateway's configuration (`readEnvironment`) that Apollo Server follows. */
  config: Pick<GatewayEnvironment, 'nodeEnv' | 'internalSecret'> & {
    graphql: Pick<GatewayEnvironment['graphql'], 'introspection'>;
    trustedDocuments: Pick<GatewayEnvironment['trustedDocuments'], 'mode'>;
  };
  /** The SDK's persisted documents (hash → document). Default: none. */
  trustedDocuments?: TrustedDocumentsManifest;
  /**
   * Builds the data source of a subgraph. Default: HTTP through `fetcher`. In-process tests pass
   * `LocalGraphQLDataSource`s.
   */
  buildService?: (name: string, url: string) => GraphQLDataSource;
  /**
   * Share one subgraph fetch among identical queries in flight at once (same query, variables
   * and headers, the caller's identity among them; never a mutation; nothing kept afterwards).
   * Default: `true` (`SUBGRAPH_DEDUPLICATION`).
   */
  deduplicateSubgraphRequests?: boolean;
}

/**
 * Limits on what one document may ask for, checked before planning. The SDK's largest operation
 * stays far below each (see the gateway's tests); anything near them is abuse.
 */
export const queryLimits = {
  maxDepth: 12,
  maxAliases: 15,
  maxDirectives: 10,
  maxTokens: 2000,
  maxCost: 50_000,
} as const;

/**
 * Apollo Gateway over a static supergraph, inside Apollo Server. The supergraph is composed at
 * build time (`npm run compose`), so the gateway never polls a registry or calls out.
 */
export function createGateway(options: GatewayOptions): ApolloServer<GatewayContext> {
  // The gateway otherwise exports usage data to Apollo; nothing may leave the deployment.
  process.env.APOLLO_TELEMETRY_DISABLED ??= '1';
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: options.logger,
    buildService: ({ name, url }) => {
      const target = options.subgraphUrls[name] ?? url ?? '';
      return options.buildService
        ? options.buildService(name, target)
        : new PlatformDataSource({
            subgraph: name,
            url: target,
            fetcher: options.fetcher,
            internalSecret: options.config.internalSecret,
            logger: options.logger,
            deduplicate: options.deduplicateSubgraphRequests ?? true,
          });
    },
  });
  const trusted = trustedDocumentsOptions(
    options.config.trustedDocuments.mode,
    options.trustedDocuments ?? new Map(),
  );
  const production = options.config.nodeEnv === 'production';
  const armor = new ApolloArmor({
    maxDepth: { n: queryLimits.maxDepth },
    // Every alias counts: armor lets `__typename` aliases through by default, unbounded.
    maxAliases: { n: queryLimits.maxAliases, allowList: [] },
    maxDirectives: { n: queryLimits.maxDirectives },
    // graphql-js counts tokens while parsing (`parseOptions` below): a clean 400, where armor's
    // Apollo plugin answers an over-long or unparsable document with a 500.
    maxTokens: { enabled: false },
    costLimit: { maxCost: queryLimits.maxCost },
    // "Did you mean …?" hints map the schema for an attacker; production answers without them.
    blockFieldSuggestion: { enabled: production },
  }).protect();
  return new ApolloServer<GatewayContext>({
    gateway,
    persistedQueries: trusted.persistedQueries,
    introspection: options.config.graphql.introspection,
    // Shutdown is the service's own (server-kit's runService drains HTTP first, then stops GraphQL).
    stopOnTerminationSignals: false,
    // Stack traces in development only, under `extensions.debug` (createErrorFormatter).
    includeStacktraceInErrorResponses: options.config.nodeEnv === 'development',
    // One operation per request: batching multiplies every limit by the batch size.
    allowBatchedHttpRequests: false,
    validationRules: [...armor.validationRules, knownOperationTypesRule],
    parseOptions: { maxTokens: queryLimits.maxTokens },
    formatError: createErrorFormatter(options.config.nodeEnv),
    plugins: [
      // Apollo's default landing page loads from a CDN; the explorer is served locally instead.
      ApolloServerPluginLandingPageDisabled(),
      ...trusted.plugins,
      ...(armor.plugins as never[]),
      operationNamePlugin(),
      scopesPlugin(),
    ],
    logger: options.logger,
  });
}
