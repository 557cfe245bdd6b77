import type { ConnectionConfig } from '@booking/provider-kit';
import type { Logger } from '@booking/server-kit';
import { Agent } from 'undici';
import { createPublisherSync, type PublisherSync } from './createPublisherSync.js';
import type { SmartPublisherConfig } from './environment.js';

/** One publisher as a contract connection, with the sync that keeps its index. */
export interface SmartConnection extends ConnectionConfig {
  /** The publisher's key, e.g. `sverige`; the connection id is `smart-<publisher>`. */
  readonly publisher: string;
  readonly sync: PublisherSync;
}

export interface SmartConnectionsOptions {
  /** Deadline of a call to a connection without its own `deadlineMs`. */
  defaultDeadlineMs: number;
  /** The `source` parameter added to every booking deep link. */
  bookingSource: string;
  /** Least time between two polls of one publisher. */
  minPollIntervalMs: number;
  /** Most time between two polls, capping a long `max-age`. */
  maxPollIntervalMs: number;
  /** How often a full manifest is read although `_since` is in use. */
  fullSyncIntervalMs: number;
  /** How long data is served after polls start failing. */
  maxStalenessMs: number;
  /** How long one poll may take. */
  pollTimeoutMs: number;
  /** Epoch ms. Default: `Date.now`. */
  now?: () => number;
  logger: Logger;
}

/**
 * One connection per configured publisher, each with its own keep-alive undici `Agent` (files
 * may live on another origin than the manifest) and its own sync. `start` begins polling,
 * `close` stops it and closes the agents.
 */
export function createSmartConnections(
  publishers: readonly SmartPublisherConfig[],
  options: SmartConnectionsOptions,
): {
  connections: readonly SmartConnection[];
  start(tickMs?: number): void;
  close(): Promise<void>;
} {
  const agents: Agent[] = [];
  const connections = publishers.map((publisher): SmartConnection => {
    const agent = new Agent({ connections: 4 });
    agents.push(agent);
    const id = `smart-${publisher.publisher}`;
    return Object.freeze({
      id,
      name: publisher.name,
      publisher: publisher.publisher,
      deadlineMs: publisher.deadlineMs ?? options.defaultDeadlineMs,
      sync: createPublisherSync({
        connectionId: id,
        manifestUrl: publisher.manifestUrl,
        timeZone: publisher.timeZone ?? 'Europe/Stockholm',
        bookingSource: options.bookingSource,
        ...(publisher.fileOrigins && { fileOrigins: publisher.fileOrigins }),
        useSince: publisher.useSince ?? true,
        dispatcher: agent,
        logger: options.logger,
        minIntervalMs: options.minPollIntervalMs,
        maxIntervalMs: options.maxPollIntervalMs,
        fullSyncIntervalMs: options.fullSyncIntervalMs,
        maxStalenessMs: options.maxStalenessMs,
        pollTimeoutMs: options.pollTimeoutMs,
        ...(options.now && { now: options.now }),
      }),
    });
  });
  return {
    connections: Object.freeze(connections),
    start(tickMs) {
      for (const connection of connections) connection.sync.start(tickMs);
    },
    async close() {
      await Promise.all(connections.map((c) => c.sync.stop()));
      await Promise.all(agents.map((agent) => agent.close()));
    },
  };
}
