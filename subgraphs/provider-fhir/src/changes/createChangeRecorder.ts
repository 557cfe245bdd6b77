import type { ChangeLog, ContractChangeSource } from '@booking/provider-kit';
import type { FhirAppointment, FhirSlot } from '../client/schemas.js';
import type { FhirCatalogue } from '../loadFhirCatalogue.js';
import { toContractChange } from '../mapping.js';

/** Resources whose newest recorded version is remembered; the oldest are forgotten first. */
const rememberedResources = 10_000;

/**
 * Records what a version of an Appointment or Slot means to the platform, if anything. A version
 * older than one already recorded for the resource is left out: a notification retried late, or a
 * poll's answer overtaken by a push, must not put a booking back the way it was.
 */
export function createChangeRecorder(log: ChangeLog, now: () => number) {
  /** Newest `meta.lastUpdated` recorded per `<type>/<id>`, in ms; insertion order is recency. */
  const newest = new Map<string, number>();
  return async function record(
    resource: FhirAppointment | FhirSlot,
    catalogue: FhirCatalogue,
    source: ContractChangeSource,
  ): Promise<void> {
    const change = toContractChange(resource, catalogue, source, now());
    if (!change) return;
    const key = `${resource.resourceType}/${resource.id}`;
    const at = Date.parse(change.occurredAt);
    const known = newest.get(key);
    // Equal instants cannot be told apart (a server's clock of coarse grain): both are kept.
    if (known !== undefined && at < known) return;
    await log.append(change);
    newest.delete(key);
    newest.set(key, at);
    if (newest.size > rememberedResources) {
      const oldest = newest.keys().next().value;
      if (oldest !== undefined) newest.delete(oldest);
    }
  };
}
