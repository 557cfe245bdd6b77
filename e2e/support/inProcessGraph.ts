import type { IncomingMessage } from 'node:http';
import { LocalGraphQLDataSource } from '@apollo/gateway';
import type { ApolloServer, GraphQLRequest } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  createGateway,
  type GatewayContext,
  type Principal,
  type TrustedDocumentsManifest,
  type TrustedDocumentsMode,
} from '@booking/gateway';
import { cliniqProvider, simulatorConnections } from '@booking/provider-cliniq';
import {
  connectProvider,
  contractTypeDefs,
  createProviderSubgraph,
  deadlineHeader,
} from '@booking/provider-kit';
import {
  createSchedulingService,
  type ProviderSubgraphClient,
  readEnvironment,
  type SchedulingService,
  unwrapResult,
} from '@booking/scheduling';
import { createLogger, Scope } from '@booking/server-kit';
import { type CliniqSimulator, createCliniqSimulator } from '@booking/simulator-cliniq';
import { composeSupergraph } from '@booking/tools';
import { type DocumentNode, print } from 'graphql';

/** What the in-process client may do: everything but another client's reservations. */
export const clientScopes = [
  Scope.AvailabilityRead,
  Scope.ReservationsRead,
  Scope.ReservationsWrite,
];

/** The client every in-process request acts for, as if authenticated by the gateway. */
export const inProcessPrincipal: Principal = {
  clientId: 'in-process-client',
  subject: null,
  scopes: new Set(clientScopes),
  method: 'jwt',
};

/** A provider subgraph's Apollo server, called in process instead of over HTTP. */
function localProviderClient(
  name: string,
  server: ApolloServer<never>,
  context: (req: IncomingMessage) => Promise<unknown>,
): ProviderSubgraphClient {
  return {
    name,
    async execute(document, variables, { signal, deadlineAt }) {
      const contextValue = await context({
        headers: { [deadlineHeader]: String(deadlineAt) },
      } as never);
      const run = server.executeOperation(
        { query: print(document as DocumentNode), variables: variables as Record<string, unknown> },
        { contextValue: contextValue as never },
      );
      const aborted = new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
      );
      const response = await Promise.race([run, aborted]);
      if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
      return unwrapResult(response.body.singleResult as never);
    },
    close: async () => {},
  };
}

/** A GraphQL answer as tests read it. */
export interface GraphResult {
  // biome-ignore lint/suspicious/noExplicitAny: tests walk untyped GraphQL results by path
  data?: any;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface InProcessGraph {
  simulator: CliniqSimulator;
  scheduling: SchedulingService;
  /** The gateway's Apollo server, for tests that look at HTTP status. */
  gateway: ApolloServer<GatewayContext>;
  /** Changes the simulator's knobs through its admin endpoint. */
  configureSimulator(config: Record<string, unknown>): Promise<void>;
  execute(
    query: string | undefined,
    variables?: Record<string, unknown>,
    extensions?: Record<string, unknown>,
  ): Promise<GraphResult>;
  /** Sends a request as `principal` (e.g. a patient's token) instead of `inProcessPrincipal`. */
  executeAs(
    principal: Principal,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphResult>;
  stop(): Promise<void>;
}

/**
 * The whole graph in one process: the gateway's transport is `LocalGraphQLDataSource`, scheduling
 * calls the provider subgraph's schema directly, and only the provider's own system (the
 * simulator) is reached over loopback HTTP, as it is a separate system.
 */
export async function createInProcessGraph(
  options: {
    deadlineMs?: number;
    simulator?: Parameters<typeof createCliniqSimulator>[0];
    /** Extra scheduling environment, e.g. `{ DATABASE_URL }`. */
    scheduling?: Record<string, string>;
    /** The gateway's trusted-documents mode and manifest. Default: `allow-listed-or-hash`, none. */
    trustedDocuments?: { mode: TrustedDocumentsMode; manifest: TrustedDocumentsManifest };
  } = {},
): Promise<InProcessGraph> {
  const logger = createLogger({ service: 'in-process', level: 'silent' });
  const simulator = createCliniqSimulator(options.simulator);
  const base = await simulator.listen(0);
  const deadlineMs = options.deadlineMs ?? 2000;
  const cliniq = connectProvider(
    cliniqProvider,
    {
      connections: simulatorConnections(base),
      providerDeadlineMs: deadlineMs,
      // No background change poll: tests here count the vendor's requests, and this graph does
      // not follow changes at the clinic (e2e/clinicChanges does, across real processes).
      settings: cliniqProvider.settings?.parse({ CLINIQ_CHANGE_POLL_MS: '0' }),
    },
    logger,
  );
  // As the service does when it listens: the catalogues load now and refresh in the background.
  cliniq.start();
  const provider = createProviderSubgraph(cliniq.adapter, logger);
  await provider.server.start();
  const scheduling = await createSchedulingService({
    config: readEnvironment({
      NODE_ENV: 'test',
      PROVIDER_SUBGRAPHS: 'provider-cliniq=http://in-process/graphql',
      PROVIDER_DEADLINE_MS: String(deadlineMs),
      // Longer than the deadline, as scheduling requires (a test may set its own).
      RECONCILE_AFTER_MS: String(Math.max(10_000, deadlineMs + 2_000)),
      LEDGER_DATA_DIR: 'memory://',
      ...options.scheduling,
    }),
    logger,
    clients: [localProviderClient('provider-cliniq', provider.server as never, provider.context)],
  });
  await scheduling.start();

  // The gateway's authentication is not in this path: each request names its principal, and
  // scheduling gets what the gateway's identity headers would tell it.
  class SchedulingDataSource extends LocalGraphQLDataSource {
    override process(options: Parameters<LocalGraphQLDataSource['process']>[0]) {
      const { principal } = options.context as GatewayContext;
      const context = scheduling.contextFor(
        principal.clientId,
        principal.scopes,
        principal.subject,
      );
      return super.process({ ...options, context } as never);
    }
  }
  const gateway = createGateway({
    supergraphSdl: composeSupergraph(),
    subgraphUrls: {},
    fetcher: fetch as never,
    logger,
    config: {
      nodeEnv: 'test',
      internalSecret: 'in-process-internal-secret',
      graphql: { introspection: true },
      trustedDocuments: { mode: options.trustedDocuments?.mode ?? 'allow-listed-or-hash' },
    },
    trustedDocuments: options.trustedDocuments?.manifest ?? new Map(),
    buildService: (name) =>
      name === 'scheduling'
        ? new SchedulingDataSource(scheduling.schema)
        : new LocalGraphQLDataSource(buildSubgraphSchema({ typeDefs: contractTypeDefs })),
  });
  await gateway.start();

  async function execute(principal: Principal, request: GraphQLRequest): Promise<GraphResult> {
    const response = await gateway.executeOperation(request, { contextValue: { principal } });
    if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
    return response.body.singleResult as never;
  }

  return {
    simulator,
    scheduling,
    gateway,
    async configureSimulator(config) {
      const response = await fetch(`${base}/_admin/config`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(config),
      });
      if (!response.ok) throw new Error(`simulator admin answered ${response.status}`);
    },
    execute(query, variables, extensions) {
      return execute(inProcessPrincipal, { query, variables, ...(extensions && { extensions }) });
    },
    executeAs(principal, query, variables) {
      return execute(principal, { query, variables });
    },
    async stop() {
      await gateway.stop();
      await scheduling.stop();
      await provider.server.stop();
      await cliniq.close();
      await simulator.close();
    },
  };
}

/**
 * Ids of free slots of one provider connection (by name; Cliniq's tenant Nordklinik by default),
 * in start order, from `fromDays` days ahead for `days` days. A search the connection did not
 * answer in time (its first loads the catalogue, and a loaded machine is slow) is asked again,
 * three times in all.
 */
export async function freeSlotIds(
  graph: InProcessGraph,
  { provider = 'Nordklinik', fromDays = 2, days = 5, first = 50 } = {},
): Promise<string[]> {
  const from = new Date(Date.now() + fromDays * 24 * 3600_000);
  let outcomes = '';
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const { data, errors } = await graph.execute(
      'query ($filter: AvailabilityFilter!, $first: Int) { availability(filter: $filter, first: $first) { edges { node { id provider { name } } } providerOutcomes { provider { name } status } } }',
      {
        filter: {
          from: from.toISOString(),
          to: new Date(from.getTime() + days * 24 * 3600_000).toISOString(),
        },
        first,
      },
    );
    if (errors?.length) throw new Error(`availability: ${errors[0]!.message}`);
    const ids: string[] = data.availability.edges
      .filter((e: { node: { provider: { name: string } } }) => e.node.provider.name === provider)
      .map((e: { node: { id: string } }) => e.node.id);
    if (ids.length > 0) return ids;
    outcomes = JSON.stringify(data.availability.providerOutcomes);
  }
  throw new Error(`availability: no free slot of ${provider} in three searches (${outcomes})`);
}
