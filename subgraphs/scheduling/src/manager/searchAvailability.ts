import type { DirectoryEntry } from '../access/createProviderDirectory.js';
import type { SlotLoader } from '../access/slotCache/createSlotLoader.js';
import type { CachedSlot } from '../access/slotCache/slotCacheStore.js';
import { mergeSlots, slotIdentity, slotKey } from '../engines/mergeSlots.js';
import { type PageRequest, paginate } from '../engines/paginate.js';
import type { ValidatedAvailabilityFilter } from '../engines/validateAvailabilityFilter.js';
import type { AvailabilityPage, ProviderOutcomeModel, SlotModel } from './models.js';

/** One provider connection to ask, with the clinics to ask it about (null: all of them). */
export interface SearchTarget {
  entry: DirectoryEntry;
  clinicIds: string[] | null;
}

export interface SearchDependencies {
  /** Each connection's slots, from the cache or the provider. */
  slots: SlotLoader;
  liveSlots: (from: Date, to: Date) => Promise<Set<string>>;
}

/** Turns a provider's slot into the public model, or null when it falls outside the request. */
export function toSlotModel(
  entry: DirectoryEntry,
  slot: CachedSlot,
  requestedTreatmentId: string | null,
  available: boolean,
): SlotModel | null {
  const startMs = Date.parse(slot.start);
  const endMs = Date.parse(slot.end);
  // A slot at a clinic the catalogue does not know cannot be shown (Slot.clinic is required).
  if (Number.isNaN(startMs) || Number.isNaN(endMs) || !entry.clinics.has(slot.clinicId))
    return null;
  const connectionId = entry.connection.id;
  return {
    key: slotIdentity(connectionId, slot.id),
    connectionId,
    localId: slot.id,
    clinicId: slot.clinicId,
    startMs,
    endMs,
    treatmentIds: slot.treatmentIds,
    requestedTreatmentId,
    practitioner: slot.practitioner,
    bookingUrl: slot.bookingUrl,
    available,
  };
}

/**
 * Models of cached slots, kept as long as their cell is: a search of a warm cache converts each
 * slot once, not on every search (models are never changed after they are made).
 */
const models = new WeakMap<CachedSlot, SlotModel>();

function searchModel(
  entry: DirectoryEntry,
  slot: CachedSlot,
  requestedTreatmentId: string | null,
): SlotModel | null {
  const known = models.get(slot);
  if (
    known &&
    known.requestedTreatmentId === requestedTreatmentId &&
    known.connectionId === entry.connection.id
  ) {
    return entry.clinics.has(slot.clinicId) ? known : null;
  }
  const model = toSlotModel(entry, slot, requestedTreatmentId, true);
  if (model) models.set(slot, model);
  return model;
}

async function askOne(
  target: SearchTarget,
  filter: ValidatedAvailabilityFilter,
  deps: SearchDependencies,
): Promise<{ outcome: ProviderOutcomeModel; slots: SlotModel[] }> {
  const { entry } = target;
  const answer = await deps.slots.load({
    entry,
    clinicIds: target.clinicIds,
    treatmentId: filter.treatmentId,
    practitionerId: filter.practitionerId,
    fromMs: filter.fromMs,
    toMs: filter.toMs,
  });
  const slots: SlotModel[] = [];
  for (const slot of answer.slots) {
    const model = searchModel(entry, slot, filter.treatmentId);
    // Providers are not trusted to respect the window, and cached days overhang it.
    if (model && model.startMs >= filter.fromMs && model.startMs < filter.toMs) slots.push(model);
  }
  return { outcome: { connectionId: entry.connection.id, ...answer.outcome }, slots };
}

/**
 * Asks every target in parallel, each under its own deadline, and merges the answers into one
 * ordered, paginated list. A provider that fails or is slow only costs its own slots.
 */
export async function searchAvailability(
  targets: readonly SearchTarget[],
  skipped: readonly ProviderOutcomeModel[],
  filter: ValidatedAvailabilityFilter,
  page: PageRequest,
  deps: SearchDependencies,
): Promise<AvailabilityPage> {
  const [answers, reserved] = await Promise.all([
    Promise.all(targets.map((target) => askOne(target, filter, deps))),
    deps.liveSlots(new Date(filter.fromMs), new Date(filter.toMs)),
  ]);
  // A slot the platform holds or has booked is gone for every client at once, even when the
  // provider still lists it (platform-side holds, or a provider slow to update its listing).
  const merged = mergeSlots(answers.map((answer) => answer.slots)).filter(
    (slot) => !reserved.has(slot.key),
  );
  return {
    ...paginate(merged, slotKey, page),
    providerOutcomes: [...answers.map((answer) => answer.outcome), ...skipped],
  };
}
