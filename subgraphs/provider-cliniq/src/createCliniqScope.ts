import { abortable, createBatchLoader, type RequestBudget } from '@booking/provider-kit';
import * as cliniq from './__generated__/client.gen.js';
import type { Slot, SlotState } from './__generated__/types.gen.js';
import type { CliniqOutcome } from './client/createCliniqClient.js';
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
export interface CliniqScope {
  slots(
    connection: CliniqConnection,
    query: ClinicSlotQuery,
    budget: RequestBudget,
  ): Promise<Slot[]>;
  slot(
    connection: CliniqConnection,
    slotId: string,
    budget: RequestBudget,
  ): Promise<CliniqOutcome<SlotState>>;
}

/**
 * A function fetched once per key within one GraphQL request: the first caller's budget pays for
 * the fetch (callers within one request share its deadline), each caller stops at its own signal.
 */
function once<A extends unknown[], T>(
  key: (...args: A) => string,
  fetch: (budget: RequestBudget, ...args: A) => Promise<T>,
) {
  const answers = new Map<string, Promise<T>>();
  return (budget: RequestBudget, ...args: A): Promise<T> => {
    const name = key(...args);
    const answer = answers.get(name) ?? fetch(budget, ...args);
    answers.set(name, answer);
    return abortable(answer, budget.signal);
  };
}

/** Makes the per-request loaders; called by the kit once per GraphQL request. */
export function createCliniqScope(): CliniqScope {
  // Cliniq has no batch lookup by slot id; a repeated lookup is still answered once.
  const slot = once(
    (connection: CliniqConnection, slotId: string) => JSON.stringify([connection.id, slotId]),
    (budget, connection, slotId) =>
      connection.client.send(cliniq.getSlot({ path: { slotId } }), budget),
  );
  /**
   * Slot searches that differ only in the clinic are merged into one Cliniq request (its
   * `clinicId` takes a list, 50 ids at most to keep the URL short) and split by clinic again.
   * Scheduling asks per clinic in parallel within one GraphQL request; Cliniq then sees one paged
   * search instead of one per clinic.
   */
  const slots = createBatchLoader({
    group: ({ connection, from, to, serviceCode, practitionerId }: Query) =>
      JSON.stringify([connection.id, from, to, serviceCode, practitionerId]),
    id: (query: Query) => query.clinicId,
    idOf: (found: Slot) => found.clinicId,
    maxIds: 50,
    load: ({ connection, clinicId: _, ...query }, clinicId, budget) =>
      connection.client.list(
        (paging) => cliniq.listSlots({ query: { ...query, clinicId, ...paging } }),
        budget,
      ),
  });

  return {
    slots: (connection, query, budget) => slots.load({ ...query, connection }, budget),
    slot: (connection, slotId, budget) => slot(budget, connection, slotId),
  };
}

type Query = ClinicSlotQuery & { connection: CliniqConnection };
