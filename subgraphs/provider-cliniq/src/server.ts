import { createProviderSubgraph } from '@booking/provider-kit';
import { createHttpService, type HttpService, type Logger } from '@booking/server-kit';
import { createCliniqAdapter } from './createCliniqAdapter.js';
import { createCliniqConnections } from './createCliniqConnections.js';
import type { CliniqTenantConfig } from './environment.js';

export { createCliniqAdapter } from './createCliniqAdapter.js';
export { createCliniqConnections } from './createCliniqConnections.js';
export type { CliniqTenantConfig } from './environment.js';

/** What the subgraph needs; `CliniqEnvironment` (from `loadEnvironment`) satisfies it. */
export interface CliniqSubgraphConfig {
  /** The Cliniq tenants served, one connection (`cliniq-<tenant>`) each. */
  readonly tenants: readonly CliniqTenantConfig[];
  /** Deadline of a call to a tenant without its own `deadlineMs`. */
  readonly providerDeadlineMs: number;
  /** Required in `x-internal-secret` on every GraphQL call. Default: none (tests). */
  readonly internalSecret?: string;
  /** Epoch ms, for deadline arithmetic. Default: `Date.now`. */
  readonly now?: () => number;
}

/**
 * The Cliniq provider subgraph: the provider contract served over HTTP for every configured
 * tenant. Not listening yet; `listen` starts it, `close` drains it and closes the tenants' pools.
 */
export function createCliniqSubgraph(config: CliniqSubgraphConfig, logger: Logger): HttpService {
  const { connections, close: closeConnections } = createCliniqConnections(config.tenants, {
    defaultDeadlineMs: config.providerDeadlineMs,
    ...(config.now && { now: config.now }),
  });
  const adapter = createCliniqAdapter({ connections });
  const { server, context } = createProviderSubgraph(adapter, logger);
  const service = createHttpService({
    internalSecret: config.internalSecret,
    name: 'provider-cliniq',
    logger,
    graphql: { server, context },
    // Always ready: each tenant is its own provider with its own status in scheduling, so one
    // tenant being down must not take the others out of rotation.
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
