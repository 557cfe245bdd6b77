import type { ConnectionConfig } from '@booking/provider-kit';
import { Pool } from 'undici';
import { type CliniqClient, createCliniqClient } from './client/createCliniqClient.js';
import type { CliniqTenantConfig } from './environment.js';

/** One Cliniq tenant as a contract connection, with its own client and connection pool. */
export interface CliniqConnection extends ConnectionConfig {
  /** The tenant's key in Cliniq's URLs, e.g. `nordklinik`. */
  readonly tenant: string;
  readonly client: CliniqClient;
  /** How long Cliniq keeps a hold, as announced to scheduling. */
  readonly holdTtlSeconds: number;
}

export interface CliniqConnectionsOptions {
  /** Deadline of a tenant without its own `deadlineMs`. */
  defaultDeadlineMs: number;
  /** Epoch ms, for Retry-After arithmetic. Default: `Date.now`. */
  now?: () => number;
}

/** Cliniq's hold lifetime unless a tenant's configuration says otherwise. */
export const defaultHoldTtlSeconds = 300;
/** Concurrent connections per tenant unless configured: bounds the load on one clinic chain. */
export const defaultMaxConnections = 10;

/**
 * One connection per configured tenant, each with its own keep-alive undici `Pool`, so that a
 * slow or failing tenant can only exhaust its own sockets. `close` closes every pool.
 */
export function createCliniqConnections(
  tenants: readonly CliniqTenantConfig[],
  options: CliniqConnectionsOptions,
): { connections: readonly CliniqConnection[]; close: () => Promise<void> } {
  const pools: Pool[] = [];
  const connections = tenants.map((tenant): CliniqConnection => {
    const pool = new Pool(new URL(tenant.baseUrl).origin, {
      connections: tenant.maxConnections ?? defaultMaxConnections,
    });
    pools.push(pool);
    return Object.freeze({
      id: `cliniq-${tenant.tenant}`,
      name: tenant.name,
      tenant: tenant.tenant,
      deadlineMs: tenant.deadlineMs ?? options.defaultDeadlineMs,
      holdTtlSeconds: tenant.holdTtlSeconds ?? defaultHoldTtlSeconds,
      client: createCliniqClient({
        baseUrl: tenant.baseUrl,
        apiKey: tenant.apiKey,
        dispatcher: pool,
        ...(options.now && { now: options.now }),
      }),
    });
  });
  return {
    connections: Object.freeze(connections),
    async close() {
      await Promise.all(pools.map((pool) => pool.close()));
    },
  };
}
