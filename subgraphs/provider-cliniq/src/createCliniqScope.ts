import { createBatchLoader, type RequestBudget } from '@booking/provider-kit';
import * as cliniq from './__generated__/client.gen.js';
import type { Slot } from './__generated__/types.gen.js';
import type { CliniqConnection } from './provider.js';

/** One clinic's free slots in one local window, optionally narrowed to a service and practitioner. */
export interface ClinicSlotQuery {
  clinicId: string;
  /** Cliniq local time, inclusive. */
  from: string;
  /** Cliniq local time, exclusive. */
  to: string;
  serviceCode?: string | undefined;
  practitionerId?: string | undefined;
}

/**
 * Per-GraphQL-request access to Cliniq's slots: each answer is fetched once per request, lookups
 * batched. Clinics and services are not here: they are the connection's catalogue, kept by the kit.
 */
export type CliniqScope = ReturnType<typeof createCliniqScope>;

/** Makes the per-request loaders; called by the kit once per GraphQL request. */
export function createCliniqScope() {
  /**
   * Slot searches that differ only in the clinic are merged into one Cliniq request (its
   * `clinicId` takes a list, 50 ids at most to keep the URL short) and split by clinic again.
   * Scheduling asks per clinic in parallel within one GraphQL request; Cliniq then sees one paged
   * search instead of one per clinic.
   */
  const slots = createBatchLoader({
    group: ({ connection, from, to, serviceCode, practitionerId }: Keyed<ClinicSlotQuery>) =>
      JSON.stringify([connection.id, from, to, serviceCode, practitionerId]),
    id: (query: Keyed<ClinicSlotQuery>) => query.clinicId,
    idOf: (found: Slot) => found.clinicId,
    maxIds: 50,
    load: ({ connection, clinicId: _, ...query }, clinicId, budget) =>
      connection.client.list(
        (paging) => cliniq.listSlots({ query: { ...query, clinicId, ...paging } }),
        budget,
      ),
  });
  // Cliniq has no batch lookup by slot id: one request per slot, a repeated lookup asked once.
  const slot = createBatchLoader({
    group: ({ connection }: Keyed<{ slotId: string }>) => connection.id,
    id: (key: Keyed<{ slotId: string }>) => key.slotId,
    idOf: (found: { slotId: string }) => found.slotId,
    maxIds: 1,
    load: async ({ connection }, [slotId = ''], budget) => {
      const outcome = await connection.client.send(cliniq.getSlot({ path: { slotId } }), budget);
      return [{ slotId, outcome }];
    },
  });

  return {
    /** One clinic's free slots in one local window, merged with the other clinics' searches. */
    slots: (connection: CliniqConnection, query: ClinicSlotQuery, budget: RequestBudget) =>
      slots.load({ ...query, connection }, budget),
    /** One slot with its state, or Cliniq's expected failure (404: no such slot). */
    slot: async (connection: CliniqConnection, slotId: string, budget: RequestBudget) =>
      (await slot.load({ connection, slotId }, budget))[0]!.outcome,
  };
}

/** A key of one connection's loader. */
type Keyed<T> = T & { connection: CliniqConnection };
