import { createHttpService, type HttpService, type Logger } from '@booking/server-kit';
import { Agent } from 'undici';
import type { z } from 'zod';
import {
  type ConnectionConfig,
  createProviderSubgraph,
  type ProviderAdapter,
} from '../createProviderSubgraph.js';
import type { EntryOf, ProviderDefinition } from './defineProvider.js';

/** Sockets per origin of one connection unless its entry says otherwise. */
export const defaultMaxConnections = 10;

/** What the service needs; `loadProviderEnvironment`'s answer satisfies it. */
export interface ProviderServiceConfig<TEntry, TSettings> {
  readonly connections: readonly TEntry[];
  /** Deadline of a connection without its own `deadlineMs`. */
  readonly providerDeadlineMs: number;
  /** Default: the definition's defaults (its `settings` schema over an empty environment). */
  readonly settings?: TSettings;
  /** Required in `x-internal-secret` on every GraphQL call. Default: none (tests). */
  readonly internalSecret?: string;
}

/** A running provider service: the HTTP service and the connections it serves, for tests. */
export interface ProviderService<TConnection> extends HttpService {
  readonly connections: readonly TConnection[];
}

/** A provider's connections and adapter, without the HTTP service (in-process tests). */
export interface ConnectedProvider<TConnection extends ConnectionConfig, TScope> {
  readonly connections: readonly TConnection[];
  readonly adapter: ProviderAdapter<TConnection, TScope>;
  /** Starts every connection's background work (polling). */
  start(): void;
  /** Stops the background work and closes every connection's dispatcher. */
  close(): Promise<void>;
}

/** One connection per entry, each with its own keep-alive dispatcher, and the adapter over them. */
export function connectProvider<
  TFields extends z.ZodRawShape,
  TSettings,
  TConnection extends ConnectionConfig,
  TScope,
>(
  definition: ProviderDefinition<TFields, TSettings, TConnection, TScope>,
  config: ProviderServiceConfig<EntryOf<TFields>, TSettings>,
  logger: Logger,
  options: { now?: () => number } = {},
): ConnectedProvider<TConnection, TScope> {
  const now = options.now ?? Date.now;
  // Settings left out (tests) are the definition's defaults, as an empty environment gives them.
  const settings = config.settings ?? ((definition.settings?.parse({}) ?? {}) as TSettings);
  const dispatchers: Agent[] = [];
  const connections = Object.freeze(
    config.connections.map((entry) => {
      const dispatcher = new Agent({
        connections: entry.maxConnections ?? defaultMaxConnections,
      });
      dispatchers.push(dispatcher);
      return definition.connect(entry, {
        id: `${definition.system}-${entry.id}`,
        deadlineMs: entry.deadlineMs ?? config.providerDeadlineMs,
        dispatcher,
        settings,
        logger,
        now,
      });
    }),
  );
  return {
    connections,
    adapter: definition.adapter(connections, { settings, logger, now }),
    start() {
      for (const connection of connections) definition.start?.(connection);
    },
    async close() {
      await Promise.all(connections.map((connection) => definition.stop?.(connection)));
      await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
    },
  };
}

/**
 * A provider subgraph as a service: its connections (`connectProvider`), the contract served
 * over HTTP for all of them, and readiness per connection. Not listening yet; `listen` starts
 * background work and the server, `close` drains the server, then closes the connections.
 */
export function createProviderService<
  TFields extends z.ZodRawShape,
  TSettings,
  TConnection extends ConnectionConfig,
  TScope,
>(
  definition: ProviderDefinition<TFields, TSettings, TConnection, TScope>,
  config: ProviderServiceConfig<EntryOf<TFields>, TSettings>,
  logger: Logger,
  options: { now?: () => number } = {},
): ProviderService<TConnection> {
  const provider = connectProvider(definition, config, logger, options);
  const { connections } = provider;
  const { server, context } = createProviderSubgraph(provider.adapter, logger);
  const readinessOf = definition.readiness ?? (() => ({ ok: true, message: 'not probed' }));
  const service = createHttpService({
    internalSecret: config.internalSecret,
    name: `provider-${definition.system}`,
    logger,
    graphql: { server, context },
    readiness: async () => {
      const checks = Object.fromEntries(connections.map((c) => [c.id, readinessOf(c)]));
      return { ok: Object.values(checks).every((check) => check.ok), checks };
    },
  });
  return {
    connections,
    get url() {
      return service.url;
    },
    get httpServer() {
      return service.httpServer;
    },
    async listen(port, host) {
      provider.start();
      return service.listen(port, host);
    },
    async close() {
      await service.close();
      await provider.close();
    },
  };
}
