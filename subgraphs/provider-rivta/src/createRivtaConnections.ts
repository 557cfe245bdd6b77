import type { ConnectionConfig } from '@booking/provider-kit';
import { Pool } from 'undici';
import { createRivtaClient, type RivtaClient } from './client/createRivtaClient.js';
import { type CatalogueCache, createCatalogueCache } from './createCatalogueCache.js';
import type { FacilityDetails, RivtaUnitConfig } from './environment.js';
import { defaultTreatmentMap, type TreatmentMap } from './mapping.js';

/** One care unit (logical address) as a contract connection. */
export interface RivtaConnection extends ConnectionConfig {
  /** The unit's key, e.g. `kungsholmen`. */
  readonly unit: string;
  /** The unit's HSA id, every request's `LogicalAddress`. */
  readonly logicalAddress: string;
  readonly client: RivtaClient;
  /** Facilities, time types and performers, fetched once per TTL. */
  readonly catalogue: CatalogueCache;
  /** Address and position per facility HSA id, from configuration. */
  readonly facilityDetails: Readonly<Record<string, FacilityDetails>>;
  /** Time type → catalogue treatment, the built-in codes plus the unit's own. */
  readonly treatments: TreatmentMap;
  /** The identity number sent by reads that demand one (see `RIVTA_SEARCH_SUBJECT_OF_CARE`). */
  readonly searchSubjectOfCare: string;
}

export interface RivtaConnectionsOptions {
  /** The service platform's base URL for units without their own. */
  baseUrl: string;
  /** Deadline of a unit without its own `deadlineMs`. */
  defaultDeadlineMs: number;
  /** The identity number reads are sent with. */
  searchSubjectOfCare: string;
  /** How long a unit's facilities, time types and performers are reused, in ms. */
  catalogueTtlMs: number;
  /** Most concurrent connections to one platform origin. */
  maxConnections: number;
}

/**
 * One connection per configured care unit. Units behind the same service platform share one
 * keep-alive undici `Pool` per origin (the platform routes by logical address, not by socket);
 * `close` closes every pool.
 */
export function createRivtaConnections(
  units: readonly RivtaUnitConfig[],
  options: RivtaConnectionsOptions,
): { connections: readonly RivtaConnection[]; close: () => Promise<void> } {
  const pools = new Map<string, Pool>();
  const poolFor = (baseUrl: string) => {
    const origin = new URL(baseUrl).origin;
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: options.maxConnections });
      pools.set(origin, pool);
    }
    return pool;
  };
  const connections = units.map((unit): RivtaConnection => {
    const baseUrl = unit.baseUrl ?? options.baseUrl;
    const client = createRivtaClient({
      baseUrl,
      logicalAddress: unit.logicalAddress,
      dispatcher: poolFor(baseUrl),
    });
    const deadlineMs = unit.deadlineMs ?? options.defaultDeadlineMs;
    return Object.freeze({
      id: `rivta-${unit.unit}`,
      name: unit.name,
      unit: unit.unit,
      logicalAddress: unit.logicalAddress,
      deadlineMs,
      client,
      catalogue: createCatalogueCache({
        client,
        subjectOfCare: options.searchSubjectOfCare,
        ttlMs: options.catalogueTtlMs,
        fetchTimeoutMs: deadlineMs,
      }),
      facilityDetails: unit.facilities ?? {},
      treatments: Object.freeze({ ...defaultTreatmentMap, ...unit.timeTypes }),
      searchSubjectOfCare: options.searchSubjectOfCare,
    });
  });
  return {
    connections: Object.freeze(connections),
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}
