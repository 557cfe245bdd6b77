import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpService, type HttpService, type Logger } from '@booking/server-kit';
import { Agent } from 'undici';
import type { z } from 'zod';
import {
  createBackgroundTask,
  type RunningBackgroundTask,
} from '../background/createBackgroundTask.js';
import {
  type ConnectionTraffic,
  createConnectionTraffic,
} from '../background/createConnectionTraffic.js';
import {
  type CatalogueCache,
  createCatalogueCache,
  defaultCatalogueRefreshMs,
} from '../cache/createCatalogueCache.js';
import { type ChangeLog, createChangeLog } from '../changes/createChangeLog.js';
import { createPostgresChangeLogs } from '../changes/createPostgresChangeLogs.js';
import { pushPath, pushRoute } from '../changes/receivePush.js';
import {
  type ConnectionConfig,
  createProviderSubgraph,
  type ProviderAdapter,
} from '../createProviderSubgraph.js';
import { openReservationIndex } from '../reservationIndex/index.js';
import type { ReservationIndex } from '../reservationIndex/types.js';
import type { RequestBudget } from '../rest/requestBudget.js';
import type { EntryOf, ProviderDefinition } from './defineProvider.js';
import type { ReservationStore } from './loadProviderEnvironment.js';

/**
 * Sockets per origin of one connection unless its entry says otherwise: enough for one search's
 * calls at once (a 7-day search of a Cliniq tenant with four clinics is 28 day-by-clinic calls;
 * fewer sockets make it several round trips deep). A vendor's rate limit is honoured separately
 * (`Retry-After`, the request budget), whatever the sockets.
 */
export const defaultMaxConnections = 32;

/** What the service needs; `loadProviderEnvironment`'s answer satisfies it. */
export interface ProviderServiceConfig<TEntry, TSettings> {
  readonly connections: readonly TEntry[];
  /** Deadline of a connection without its own `deadlineMs`. */
  readonly providerDeadlineMs: number;
  /**
   * Milliseconds between catalogue reads of a connection without its own `catalogueRefreshMs`.
   * Default: 60000.
   */
  readonly catalogueRefreshMs?: number;
  /** Default: the definition's defaults (its `settings` schema over an empty environment). */
  readonly settings?: TSettings;
  /** Required in `x-internal-secret` on every GraphQL call. Default: none (tests). */
  readonly internalSecret?: string;
  /**
   * PostgreSQL for the change logs, shared by every replica (`PROVIDER_CHANGES_DATABASE_URL`).
   * Default: each log in this process's memory, for one replica.
   */
  readonly changesDatabaseUrl?: string | undefined;
  /**
   * This service as the vendor reaches it (`<SYSTEM>_PUSH_BASE_URL`): each connection's push URL
   * is this followed by `/push/<connection id>`. Default: none, no pushes can come.
   */
  readonly pushBaseUrl?: string | undefined;
  /** Where reservation indexes live, for a definition with `reservationIndex`. Default: files. */
  readonly reservations?: ReservationStore | undefined;
}

/** A running provider service: the HTTP service and the connections it serves, for tests. */
export interface ProviderService<TConnection> extends HttpService {
  readonly connections: readonly TConnection[];
}

/** A provider's connections and adapter, without the HTTP service (in-process tests). */
export interface ConnectedProvider<TConnection extends ConnectionConfig, TScope> {
  readonly connections: readonly TConnection[];
  readonly adapter: ProviderAdapter<TConnection, TScope>;
  /** The change logs of the connections that report changes, by connection id. */
  readonly changeLogs: ReadonlyMap<string, ChangeLog>;
  /** Each connection's contract calls, counted for its `quiet` background tasks. */
  readonly traffic: ReadonlyMap<string, ConnectionTraffic>;
  /** Starts every connection's background work (catalogue refreshes, polling). */
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
  // The one place catalogues are kept: every connection's, started and stopped with the service.
  const catalogues: CatalogueCache<unknown>[] = [];
  const changeLogs = new Map<string, ChangeLog>();
  const traffic = new Map<string, ConnectionTraffic>();
  const tasks: RunningBackgroundTask[] = [];
  const indexes: ReservationIndex[] = [];
  const sharedLogs = config.changesDatabaseUrl
    ? createPostgresChangeLogs({ databaseUrl: config.changesDatabaseUrl })
    : undefined;
  const connections = Object.freeze(
    config.connections.map((entry) => {
      const dispatcher = new Agent({
        connections: entry.maxConnections ?? defaultMaxConnections,
      });
      dispatchers.push(dispatcher);
      const id = `${definition.system}-${entry.id}`;
      const deadlineMs = entry.deadlineMs ?? config.providerDeadlineMs;
      const connectionLogger = logger.child({ connection: id });
      const connectionTraffic = createConnectionTraffic(now);
      traffic.set(id, connectionTraffic);
      return definition.connect(entry, {
        id,
        deadlineMs,
        dispatcher,
        settings,
        logger: connectionLogger,
        now,
        catalogue<T>({
          load,
          label,
        }: {
          load: (budget: RequestBudget) => Promise<T>;
          label: string;
        }) {
          const cache = createCatalogueCache<T>({
            load,
            label,
            refreshMs:
              entry.catalogueRefreshMs ?? config.catalogueRefreshMs ?? defaultCatalogueRefreshMs,
            fetchTimeoutMs: deadlineMs,
            logger: connectionLogger,
            now,
          });
          catalogues.push(cache);
          return cache;
        },
        changeLog() {
          let log = changeLogs.get(id);
          if (!log) {
            log = sharedLogs?.forConnection(id) ?? createChangeLog();
            changeLogs.set(id, log);
          }
          return log;
        },
        background(task) {
          const running = createBackgroundTask({
            ...task,
            deadlineMs,
            logger: connectionLogger,
            now,
            traffic: connectionTraffic,
          });
          tasks.push(running);
          return running;
        },
        pushUrl:
          definition.receivePush && config.pushBaseUrl
            ? `${config.pushBaseUrl.replace(/\/+$/, '')}${pushPath(id)}`
            : undefined,
        reservations() {
          if (!definition.reservationIndex) {
            throw new Error(`provider-${definition.system} declares no reservationIndex`);
          }
          const index = openReservationIndex({
            connectionId: id,
            databaseUrl: config.reservations?.databaseUrl,
            directory:
              config.reservations?.directory ?? join(tmpdir(), `provider-${definition.system}`),
          });
          indexes.push(index);
          return index;
        },
      });
    }),
  );
  return {
    connections,
    adapter: definition.adapter(connections, { settings, logger, now }),
    changeLogs,
    traffic,
    start() {
      for (const catalogue of catalogues) catalogue.start();
      for (const task of tasks) task.start();
      for (const connection of connections) definition.start?.(connection);
    },
    async close() {
      for (const catalogue of catalogues) catalogue.stop();
      await Promise.all(tasks.map((task) => task.stop()));
      await Promise.all(connections.map((connection) => definition.stop?.(connection)));
      await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
      await Promise.all(indexes.map((index) => index.close()));
      await sharedLogs?.close();
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
  const { server, context } = createProviderSubgraph(
    provider.adapter,
    logger,
    provider.changeLogs,
    provider.traffic,
  );
  const byId = new Map(connections.map((c) => [c.id, c]));
  const receivePush = definition.receivePush;
  const routes = receivePush
    ? pushRoute(async (connectionId, push) => {
        const connection = byId.get(connectionId);
        return connection ? receivePush(connection, push) : null;
      }, logger)
    : undefined;
  const readinessOf = definition.readiness ?? (() => ({ ok: true, message: 'not probed' }));
  const service = createHttpService({
    internalSecret: config.internalSecret,
    name: `provider-${definition.system}`,
    logger,
    graphql: { server, context },
    routes,
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
