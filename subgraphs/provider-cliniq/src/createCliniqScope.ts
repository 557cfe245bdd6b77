import { abortable, chunked, type RequestBudget, sharedBudget } from '@booking/provider-kit';
import DataLoader from 'dataloader';
import type { VendorOutcome } from './client/createCliniqClient.js';
import type { VendorClinic, VendorService, VendorSlot, VendorSlotState } from './client/schemas.js';
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

/** Per-GraphQL-request access to Cliniq: each answer is fetched once per request, lookups batched. */
export interface CliniqScope {
  clinics(connection: CliniqConnection, budget: RequestBudget): Promise<VendorClinic[]>;
  services(connection: CliniqConnection, budget: RequestBudget): Promise<VendorService[]>;
  slots(
    connection: CliniqConnection,
    query: ClinicSlotQuery,
    budget: RequestBudget,
  ): Promise<VendorSlot[]>;
  slot(
    connection: CliniqConnection,
    slotId: string,
    budget: RequestBudget,
  ): Promise<VendorOutcome<VendorSlotState>>;
}

type Keyed<T> = T & { connection: CliniqConnection; budget: RequestBudget };

/** Clinic ids per slot search: keeps the query string of one request to a sensible length. */
const clinicsPerSlotRequest = 50;

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/**
 * A loader with one entry per connection, e.g. the tenant's clinic list. The first caller's budget
 * pays for the fetch: callers within one GraphQL request share the same deadline.
 */
function perConnection<T>(
  load: (connection: CliniqConnection, budget: RequestBudget) => Promise<T>,
) {
  return new DataLoader<Keyed<object>, T, string>(
    (keys) => Promise.all(keys.map((key) => load(key.connection, key.budget).catch(asError))),
    { cacheKeyFn: (key) => key.connection.id },
  );
}

/**
 * Slot searches that differ only in the clinic are merged into one Cliniq request (its `clinicId`
 * takes a list) and the answer is split by clinic again. Scheduling asks per clinic in parallel
 * within one GraphQL request; Cliniq then sees one paged search instead of one per clinic.
 */
async function loadSlotBatch(
  keys: readonly Keyed<ClinicSlotQuery>[],
): Promise<(VendorSlot[] | Error)[]> {
  const groups = new Map<string, Keyed<ClinicSlotQuery>[]>();
  for (const key of keys) {
    const group = JSON.stringify([
      key.connection.id,
      key.from,
      key.to,
      key.serviceCode,
      key.practitionerId,
    ]);
    groups.set(group, [...(groups.get(group) ?? []), key]);
  }
  const results = new Map<Keyed<ClinicSlotQuery>, VendorSlot[] | Error>();
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const [first] = group as [Keyed<ClinicSlotQuery>];
      const clinicIds = [...new Set(group.map((key) => key.clinicId))];
      const budget = sharedBudget(group.map((key) => key.budget));
      try {
        const { connection, from, to, serviceCode, practitionerId } = first;
        const answers = await Promise.all(
          chunked(clinicIds, clinicsPerSlotRequest).map((ids) =>
            connection.client.listSlots(
              { from, to, clinicIds: ids, serviceCode, practitionerId },
              budget,
            ),
          ),
        );
        const slots = answers.flat();
        for (const key of group) {
          results.set(
            key,
            slots.filter((slot) => slot.clinicId === key.clinicId),
          );
        }
      } catch (error) {
        for (const key of group) results.set(key, asError(error));
      } finally {
        budget.dispose();
      }
    }),
  );
  return keys.map((key) => results.get(key) ?? new Error('slot batch lost a key'));
}

/** Makes the per-request loaders; called by the kit once per GraphQL request. */
export function createCliniqScope(): CliniqScope {
  const clinics = perConnection((connection, budget) => connection.client.listClinics(budget));
  const services = perConnection((connection, budget) => connection.client.listServices(budget));
  const slots = new DataLoader<Keyed<ClinicSlotQuery>, VendorSlot[], string>(loadSlotBatch, {
    cacheKeyFn: (key) =>
      JSON.stringify([
        key.connection.id,
        key.clinicId,
        key.from,
        key.to,
        key.serviceCode,
        key.practitionerId,
      ]),
  });
  // Cliniq has no batch lookup by slot id; the loader still answers repeated lookups once.
  const slot = new DataLoader<Keyed<{ slotId: string }>, VendorOutcome<VendorSlotState>, string>(
    (keys) =>
      Promise.all(
        keys.map((key) => key.connection.client.getSlot(key.slotId, key.budget).catch(asError)),
      ),
    { cacheKeyFn: (key) => JSON.stringify([key.connection.id, key.slotId]) },
  );

  // Every caller stops waiting at its own deadline, even when it shares a batch with others.
  return {
    clinics: (connection, budget) => abortable(clinics.load({ connection, budget }), budget.signal),
    services: (connection, budget) =>
      abortable(services.load({ connection, budget }), budget.signal),
    slots: (connection, query, budget) =>
      abortable(slots.load({ ...query, connection, budget }), budget.signal),
    slot: (connection, slotId, budget) =>
      abortable(slot.load({ slotId, connection, budget }), budget.signal),
  };
}
