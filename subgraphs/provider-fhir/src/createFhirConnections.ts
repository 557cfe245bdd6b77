import type { ConnectionConfig } from '@booking/provider-kit';
import { Pool } from 'undici';
import { createFhirClient, type FhirClient } from './client/createFhirClient.js';
import type { FhirTenantConfig } from './environment.js';

/** One organisation on a FHIR server as a contract connection, with its own client and pool. */
export interface FhirConnection extends ConnectionConfig {
  /** Logical id of the Organization whose clinics this connection serves. */
  readonly organization: string;
  readonly client: FhirClient;
  /** How long a hold keeps its slot, written on the hold and announced to scheduling. */
  readonly holdTtlSeconds: number;
  /** Zone of clinics whose Location carries no timezone extension. */
  readonly timeZone: string;
  /** How long the directory is cached. */
  readonly catalogueTtlSeconds: number;
}

export interface FhirConnectionsOptions {
  /** Deadline of a tenant without its own `deadlineMs`. */
  defaultDeadlineMs: number;
}

/** Hold lifetime unless a tenant's configuration says otherwise. */
export const defaultHoldTtlSeconds = 300;
/** Concurrent connections per tenant unless configured: bounds the load on one server. */
export const defaultMaxConnections = 10;
export const defaultTimeZone = 'Europe/Stockholm';
export const defaultCatalogueTtlSeconds = 60;

/**
 * One connection per configured tenant, each with its own keep-alive undici `Pool` (tenants on
 * one server still get one each, so one tenant's burst cannot starve another). `close` closes
 * every pool.
 */
export function createFhirConnections(
  tenants: readonly FhirTenantConfig[],
  options: FhirConnectionsOptions,
): { connections: readonly FhirConnection[]; close: () => Promise<void> } {
  const pools: Pool[] = [];
  const connections = tenants.map((tenant): FhirConnection => {
    const pool = new Pool(new URL(tenant.baseUrl).origin, {
      connections: tenant.maxConnections ?? defaultMaxConnections,
    });
    pools.push(pool);
    return Object.freeze({
      id: `fhir-${tenant.tenant}`,
      name: tenant.name,
      organization: tenant.organization,
      deadlineMs: tenant.deadlineMs ?? options.defaultDeadlineMs,
      holdTtlSeconds: tenant.holdTtlSeconds ?? defaultHoldTtlSeconds,
      timeZone: tenant.timeZone ?? defaultTimeZone,
      catalogueTtlSeconds: tenant.catalogueTtlSeconds ?? defaultCatalogueTtlSeconds,
      client: createFhirClient({
        baseUrl: tenant.baseUrl,
        accessToken: tenant.accessToken,
        dispatcher: pool,
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
