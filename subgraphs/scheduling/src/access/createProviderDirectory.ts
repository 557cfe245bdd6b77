import type { Logger } from '@booking/server-kit';
import {
  ContractConnectionsDocument,
  type ContractConnectionsQuery,
} from '../__generated__/providerOperations.js';
import type { ProviderHealth } from '../engines/providerHealth.js';
import type { ProviderSubgraphClient } from './providers/createProviderSubgraphClient.js';

/** A provider connection as its subgraph described it. */
export type ConnectionDescription = ContractConnectionsQuery['contractConnections'][number];
/** A clinic as its provider described it. */
export type ContractClinic = ConnectionDescription['clinics'][number];

/** A provider connection and the subgraph that serves it. */
export interface DirectoryEntry {
  readonly client: ProviderSubgraphClient;
  readonly connection: ConnectionDescription;
  readonly clinics: ReadonlyMap<string, ContractClinic>;
}

export interface ProviderDirectoryOptions {
  clients: readonly ProviderSubgraphClient[];
  health: ProviderHealth;
  logger: Logger;
  /** How long a catalogue call may take. */
  describeDeadlineMs: number;
  /** How often catalogues are refreshed after they loaded. */
  refreshMs: number;
  /** How soon a subgraph whose catalogue failed is asked again. */
  retryMs: number;
}

/**
 * Every provider connection and its catalogue (clinics, treatments), as described by the provider
 * subgraphs. Loaded at start-up and refreshed periodically; a subgraph that cannot be reached keeps
 * its last known catalogue and is asked again soon.
 */
export function createProviderDirectory(options: ProviderDirectoryOptions) {
  const { clients, health, logger } = options;
  const bySubgraph = new Map<string, DirectoryEntry[]>();
  let entries = new Map<string, DirectoryEntry>();
  let timer: NodeJS.Timeout | undefined;
  let loadedOnce = false;

  function rebuild() {
    entries = new Map(
      [...bySubgraph.values()].flat().map((entry) => [entry.connection.id, entry] as const),
    );
  }

  async function refreshSubgraph(client: ProviderSubgraphClient): Promise<boolean> {
    const signal = AbortSignal.timeout(options.describeDeadlineMs);
    try {
      const data = await client.execute(
        ContractConnectionsDocument,
        {},
        {
          signal,
          deadlineAt: Date.now() + options.describeDeadlineMs,
        },
      );
      const previous = new Map(
        (bySubgraph.get(client.name) ?? []).map((e) => [e.connection.id, e]),
      );
      bySubgraph.set(
        client.name,
        data.contractConnections.map((connection) => {
          const stale = previous.get(connection.id);
          const available = connection.unavailableReason === null;
          health.setCatalogueAvailable(connection.id, available);
          // A connection that could not describe itself keeps its last known catalogue.
          const kept =
            !available && stale
              ? { ...stale.connection, unavailableReason: connection.unavailableReason }
              : connection;
          return {
            client,
            connection: kept,
            clinics: new Map(kept.clinics.map((c) => [c.id, c])),
          };
        }),
      );
      return data.contractConnections.every((c) => c.unavailableReason === null);
    } catch (error) {
      for (const entry of bySubgraph.get(client.name) ?? []) {
        health.setCatalogueAvailable(entry.connection.id, false);
      }
      if ((error as { code?: unknown }).code === 'UNAUTHENTICATED') {
        // Not the provider's trouble: the platform is configured with two different secrets.
        logger.error(
          { subgraph: client.name },
          'provider subgraph refused the internal secret: INTERNAL_SECRET differs between scheduling and the subgraph',
        );
      } else {
        logger.warn(
          { subgraph: client.name, err: (error as Error).message },
          'catalogue refresh failed',
        );
      }
      return false;
    }
  }

  async function refresh(): Promise<boolean> {
    const results = await Promise.all(clients.map(refreshSubgraph));
    rebuild();
    loadedOnce = true;
    return results.every(Boolean);
  }

  function schedule(complete: boolean) {
    timer = setTimeout(
      () => {
        refresh().then(schedule, () => schedule(false));
      },
      complete ? options.refreshMs : options.retryMs,
    );
    timer.unref();
  }

  return {
    /** Loads every catalogue once, then keeps them fresh in the background. */
    async start(): Promise<void> {
      schedule(await refresh());
    },
    stop(): void {
      clearTimeout(timer);
    },
    refresh,
    /** Whether the first load has finished (successfully or not). */
    get loaded(): boolean {
      return loadedOnce;
    },
    /** Every known connection, ordered by name then id. */
    list(): DirectoryEntry[] {
      return [...entries.values()].sort(
        (a, b) =>
          a.connection.name.localeCompare(b.connection.name, 'sv') ||
          a.connection.id.localeCompare(b.connection.id),
      );
    },
    get(connectionId: string): DirectoryEntry | undefined {
      return entries.get(connectionId);
    },
  };
}

export type ProviderDirectory = ReturnType<typeof createProviderDirectory>;
