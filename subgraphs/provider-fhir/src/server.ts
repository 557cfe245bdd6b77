import { createProviderSubgraph } from '@booking/provider-kit';
import { createHttpService, type HttpService, type Logger } from '@booking/server-kit';
import { createFhirAdapter } from './createFhirAdapter.js';
import { createFhirConnections } from './createFhirConnections.js';
import type { FhirTenantConfig } from './environment.js';

export { createFhirAdapter } from './createFhirAdapter.js';
export { createFhirConnections } from './createFhirConnections.js';
export type { FhirTenantConfig } from './environment.js';

/** What the subgraph needs; `FhirEnvironment` (from `loadEnvironment`) satisfies it. */
export interface FhirSubgraphConfig {
  /** The organisations served, one connection (`fhir-<tenant>`) each. */
  readonly tenants: readonly FhirTenantConfig[];
  /** Deadline of a call to a tenant without its own `deadlineMs`. */
  readonly providerDeadlineMs: number;
  /** Required in `x-internal-secret` on every GraphQL call. Default: none (tests). */
  readonly internalSecret?: string;
  /** Epoch ms: hold expiry, lapsed holds, slots that have started. Default: `Date.now`. */
  readonly now?: () => number;
}

/**
 * The FHIR provider subgraph: the provider contract served over HTTP for every configured
 * organisation. Not listening yet; `listen` starts it, `close` drains it and closes the pools.
 */
export function createFhirSubgraph(config: FhirSubgraphConfig, logger: Logger): HttpService {
  const { connections, close: closeConnections } = createFhirConnections(config.tenants, {
    defaultDeadlineMs: config.providerDeadlineMs,
  });
  const adapter = createFhirAdapter({ connections, ...(config.now && { now: config.now }) });
  const { server, context } = createProviderSubgraph(adapter, logger);
  const service = createHttpService({
    internalSecret: config.internalSecret,
    name: 'provider-fhir',
    logger,
    graphql: { server, context },
    // Always ready: each organisation is its own provider with its own status in scheduling, so
    // one server being down must not take the others out of rotation.
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
