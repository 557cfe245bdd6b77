import { createProviderSubgraph } from '@booking/provider-kit';
import { createHttpService, type HttpService, type Logger } from '@booking/server-kit';
import { createSmartAdapter } from './createSmartAdapter.js';
import { createSmartConnections } from './createSmartConnections.js';
import type { SmartPublisherConfig } from './environment.js';

export { createPublisherSync, type PublisherSync, type SyncStatus } from './createPublisherSync.js';
export { createSmartAdapter } from './createSmartAdapter.js';
export { createSmartConnections, type SmartConnection } from './createSmartConnections.js';
export { type SmartPublisherConfig, simulatorPublishers } from './environment.js';

/** What the subgraph needs; `SmartEnvironment` (from `loadEnvironment`) satisfies it. */
export interface SmartSubgraphConfig {
  /** The publishers polled, one connection (`smart-<publisher>`) each. */
  readonly publishers: readonly SmartPublisherConfig[];
  /** Deadline of a call to a connection without its own `deadlineMs`. */
  readonly providerDeadlineMs: number;
  /** Required in `x-internal-secret` on every GraphQL call. Default: none (tests). */
  readonly internalSecret?: string;
  /** `source` parameter added to booking deep links. Default: `varden`. */
  readonly bookingSource?: string;
  /** Least time between two polls of a publisher. Default: 60 000 (the spec's minute). */
  readonly minPollIntervalMs?: number;
  /** Most time between two polls, capping a long `max-age`. Default: 3 600 000. */
  readonly maxPollIntervalMs?: number;
  /** How often a full manifest is read although `_since` is in use. Default: 900 000. */
  readonly fullSyncIntervalMs?: number;
  /** How long data is served after polls start failing. Default: 900 000. */
  readonly maxStalenessMs?: number;
  /** How long one poll may take. Default: 60 000. */
  readonly pollTimeoutMs?: number;
  /** How often each sync checks whether a poll is due. Default: 1000. */
  readonly pollTickMs?: number;
  /** Epoch ms, for poll scheduling. Default: `Date.now`. */
  readonly now?: () => number;
}

/**
 * The SMART Scheduling Links provider subgraph: the provider contract served over HTTP for every
 * configured publisher. Not polling nor listening yet; `listen` starts both, `close` stops both.
 * Ready once every publisher has been polled once, successfully or not: one that is down is that
 * connection's `unavailableReason`, not a reason to keep the others out of rotation.
 */
export function createSmartSubgraph(config: SmartSubgraphConfig, logger: Logger): HttpService {
  const {
    connections,
    start,
    close: closeConnections,
  } = createSmartConnections(config.publishers, {
    defaultDeadlineMs: config.providerDeadlineMs,
    bookingSource: config.bookingSource ?? 'varden',
    minPollIntervalMs: config.minPollIntervalMs ?? 60_000,
    maxPollIntervalMs: config.maxPollIntervalMs ?? 3_600_000,
    fullSyncIntervalMs: config.fullSyncIntervalMs ?? 900_000,
    maxStalenessMs: config.maxStalenessMs ?? 900_000,
    pollTimeoutMs: config.pollTimeoutMs ?? 60_000,
    ...(config.now && { now: config.now }),
    logger,
  });
  const adapter = createSmartAdapter({ connections });
  const { server, context } = createProviderSubgraph(adapter, logger);
  const service = createHttpService({
    internalSecret: config.internalSecret,
    name: 'provider-smart',
    logger,
    graphql: { server, context },
    readiness: async () => {
      const checks = Object.fromEntries(
        connections.map((c) => {
          const status = c.sync.status();
          const message = !status.settled
            ? 'first poll in progress'
            : status.lastError
              ? `last poll failed: ${status.lastError}`
              : `ingested ${status.index?.openSlots ?? 0} open slots as of ${status.transactionTime}`;
          return [c.id, { ok: status.settled, message }];
        }),
      );
      return { ok: Object.values(checks).every((check) => check.ok), checks };
    },
  });
  return {
    get url() {
      return service.url;
    },
    get httpServer() {
      return service.httpServer;
    },
    async listen(port, host) {
      start(config.pollTickMs);
      return service.listen(port, host);
    },
    async close() {
      await service.close();
      await closeConnections();
    },
  };
}
