import { createProviderSubgraph } from '@booking/provider-kit';
import { createHttpService, type HttpService, type Logger } from '@booking/server-kit';
import { createReservationIndex } from './createReservationIndex.js';
import { createRivtaAdapter } from './createRivtaAdapter.js';
import { createRivtaConnections } from './createRivtaConnections.js';
import { defaultSearchSubjectOfCare, type RivtaUnitConfig } from './environment.js';

export { createRivtaClient } from './client/createRivtaClient.js';
export { createReservationIndex } from './createReservationIndex.js';
export { createRivtaAdapter } from './createRivtaAdapter.js';
export { createRivtaConnections } from './createRivtaConnections.js';
export type { RivtaUnitConfig } from './environment.js';

/** What the subgraph needs; `RivtaEnvironment` (from `loadEnvironment`) satisfies it. */
export interface RivtaSubgraphConfig {
  /** The care units served, one connection (`rivta-<unit>`) each. */
  readonly units: readonly RivtaUnitConfig[];
  /** The service platform's base URL, e.g. `http://127.0.0.1:4103/vp`. */
  readonly baseUrl: string;
  /** Deadline of a call to a unit without its own `deadlineMs`. */
  readonly providerDeadlineMs: number;
  /** Required in `x-internal-secret` on every GraphQL call. Default: none (tests). */
  readonly internalSecret?: string;
  /** Identity number sent by reads that demand one. Default: `191212121212`. */
  readonly searchSubjectOfCare?: string;
  /** How long a unit's facilities and time types are reused, in ms. Default: 60 000. */
  readonly catalogueTtlMs?: number;
  /** Most concurrent connections to one platform origin. Default: 10. */
  readonly maxConnections?: number;
}

/**
 * The RIV-TA provider subgraph: the provider contract served over HTTP for every configured care
 * unit. Not listening yet; `listen` starts it, `close` drains it and closes the platform pools.
 */
export function createRivtaSubgraph(config: RivtaSubgraphConfig, logger: Logger): HttpService {
  const { connections, close: closeConnections } = createRivtaConnections(config.units, {
    baseUrl: config.baseUrl,
    defaultDeadlineMs: config.providerDeadlineMs,
    searchSubjectOfCare: config.searchSubjectOfCare ?? defaultSearchSubjectOfCare,
    catalogueTtlMs: config.catalogueTtlMs ?? 60_000,
    maxConnections: config.maxConnections ?? 10,
  });
  const adapter = createRivtaAdapter({ connections, index: createReservationIndex() });
  const { server, context } = createProviderSubgraph(adapter, logger);
  const service = createHttpService({
    internalSecret: config.internalSecret,
    name: 'provider-rivta',
    logger,
    graphql: { server, context },
    // Always ready: each care unit is its own provider with its own status in scheduling, so one
    // unit being unreachable must not take the others out of rotation.
    readiness: async () => ({
      ok: true,
      checks: Object.fromEntries(
        connections.map((c) => [c.id, { ok: true, message: 'not probed' }]),
      ),
    }),
  });
  return {
    get url() {
      return service.url;
    },
    get httpServer() {
      return service.httpServer;
    },
    listen: (port, host) => service.listen(port, host),
    async close() {
      await service.close();
      await closeConnections();
    },
  };
}
