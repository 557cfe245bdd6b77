import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createHttpService, type HttpService, type Logger } from '@booking/server-kit';
import { type GraphQLSchema, parse } from 'graphql';
import {
  createProviderDirectory,
  type ProviderDirectory,
} from './access/createProviderDirectory.js';
import {
  createHttpProviderSubgraphClient,
  type ProviderSubgraphClient,
} from './access/createProviderSubgraphClient.js';
import { createProviderHealth } from './engines/providerHealth.js';
import type { SchedulingEnvironment } from './environment.js';
import {
  createSchedulingManager,
  type SchedulingManager,
} from './manager/createSchedulingManager.js';
import type { SchedulingContext } from './schema/context.js';
import { resolvers } from './schema/resolvers.js';

/** The scheduling subgraph's SDL (`schema.graphql` at the package root). */
export const schedulingTypeDefs = parse(
  readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'),
);

export {
  ProviderCallError,
  type ProviderSubgraphClient,
  unwrapResult,
} from './access/createProviderSubgraphClient.js';

export interface SchedulingServiceOptions {
  config: Pick<
    SchedulingEnvironment,
    | 'NODE_ENV'
    | 'PROVIDER_SUBGRAPHS'
    | 'PROVIDER_DEADLINE_MS'
    | 'PROVIDER_DEADLINES'
    | 'CATALOGUE_REFRESH_MS'
    | 'CATALOGUE_RETRY_MS'
  >;
  logger: Logger;
  /**
   * Transports to the provider subgraphs. Default: HTTP clients for `config.PROVIDER_SUBGRAPHS`.
   * In-process tests pass transports that execute the subgraphs' schemas directly.
   */
  clients?: ProviderSubgraphClient[];
  /** The clock. Default: `Date.now`. */
  now?: () => number;
}

export interface SchedulingService {
  http: HttpService;
  apollo: ApolloServer<SchedulingContext>;
  /** The executable subgraph schema (for in-process gateways). */
  schema: GraphQLSchema;
  manager: SchedulingManager;
  directory: ProviderDirectory;
  /** Loads the provider catalogues; call before serving. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds the scheduling subgraph: manager, provider directory, GraphQL and HTTP. */
export function createSchedulingService(options: SchedulingServiceOptions): SchedulingService {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const clients =
    options.clients ??
    Object.entries(config.PROVIDER_SUBGRAPHS).map(([name, url]) =>
      createHttpProviderSubgraphClient({ name, url }),
    );
  const health = createProviderHealth();
  const directory = createProviderDirectory({
    clients,
    health,
    logger,
    describeDeadlineMs: Math.max(config.PROVIDER_DEADLINE_MS, 5_000),
    refreshMs: config.CATALOGUE_REFRESH_MS,
    retryMs: config.CATALOGUE_RETRY_MS,
  });
  const manager = createSchedulingManager({
    directory,
    health,
    logger,
    now,
    deadlineMs: (connectionId) =>
      config.PROVIDER_DEADLINES[connectionId] ?? config.PROVIDER_DEADLINE_MS,
  });
  const schema = buildSubgraphSchema({
    typeDefs: schedulingTypeDefs,
    resolvers: resolvers as never,
  });
  const apollo = new ApolloServer<SchedulingContext>({
    schema,
    includeStacktraceInErrorResponses: config.NODE_ENV !== 'production',
    // Only the gateway calls this subgraph, with JSON POSTs; CSRF protection is the gateway's job.
    csrfPrevention: false,
    // No landing page (it loads from a CDN) and no Apollo inline traces (nothing leaves the deployment).
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
  });
  const http = createHttpService<SchedulingContext>({
    name: 'scheduling',
    logger,
    graphql: { server: apollo, context: async () => ({ manager }) },
    readiness: async () => ({
      ok: directory.loaded,
      checks: { providerCatalogues: { ok: directory.loaded } },
    }),
  });
  return {
    http,
    apollo,
    schema,
    manager,
    directory,
    start: () => directory.start(),
    async stop() {
      directory.stop();
      await http.close();
      await Promise.all(clients.map((client) => client.close()));
    },
  };
}
