import type { DirectoryEntry } from '../access/createProviderDirectory.js';
import type { SlotLoader } from '../access/slotCache/createSlotLoader.js';
import type { CachedSlot } from '../access/slotCache/slotCacheStore.js';
import { slotIdentity, slotKey } from '../engines/mergeSlots.js';
import { type PageRequest, pageOf } from '../engines/paginate.js';
import { countRuns, mergeRuns, type SortedRun, toSortedRun } from '../engines/sortedRuns.js';
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
  /** Which slots (`slotIdentity`) have a live reservation starting in [fromMs, toMs). */
  reservedIn: (fromMs: number, toMs: number) => ReservedSlots | Promise<ReservedSlots>;
}

/** The slots taken in one search's window. */
export interface ReservedSlots {
  has(slot: string): boolean;
  /**
   * Changes whenever the answer of `has` may have: a search's count is reused while the cells and
   * this stay the same. Null: never reuse.
   */
  version: number | null;
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
 * slot it shows once, not on every search (models are never changed after they are made).
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

/** A run's slots with the connection they came from. */
interface Placed {
  entry: DirectoryEntry;
  slot: CachedSlot;
}

/**
 * Cells' runs, kept as long as their cell is: a warm cell is checked for order (and its starts
 * parsed) once, not on every search.
 */
const runs = new WeakMap<
  readonly CachedSlot[],
  { entry: DirectoryEntry; run: SortedRun<Placed>; id: number }
>();
let lastRunId = 0;

function runOf(entry: DirectoryEntry, slots: readonly CachedSlot[]) {
  const known = runs.get(slots);
  if (known && known.entry === entry) return known;
  const connectionId = entry.connection.id;
  // A slot whose end cannot be read cannot be shown; one without a start cannot be placed.
  const run = toSortedRun(
    slots.filter((slot) => !Number.isNaN(Date.parse(slot.end))).map((slot) => ({ entry, slot })),
    (placed) => Date.parse(placed.slot.start),
    (placed) => slotIdentity(connectionId, placed.slot.id),
  );
  lastRunId += 1;
  const made = { entry, run, id: lastRunId };
  runs.set(slots, made);
  return made;
}

/**
 * `totalCount`s of recent searches: a count reads every slot of the window, and warm searches ask
 * the same one again and again. Keyed by the cells (each run's id), the window and the version of
 * the live reservations, so any change to what is counted makes a new key.
 */
const counts = new Map<string, number>();
const maxCounts = 256;

function countOnce(key: string | null, count: () => number): number {
  if (key === null) return count();
  const known = counts.get(key);
  if (known !== undefined) return known;
  const counted = count();
  if (counts.size >= maxCounts) counts.delete(counts.keys().next().value!);
  counts.set(key, counted);
  return counted;
}

async function askOne(
  target: SearchTarget,
  filter: ValidatedAvailabilityFilter,
  deps: SearchDependencies,
): Promise<{ outcome: ProviderOutcomeModel; runs: ReturnType<typeof runOf>[] }> {
  const { entry } = target;
  const answer = await deps.slots.load({
    entry,
    clinicIds: target.clinicIds,
    treatmentId: filter.treatmentId,
    practitionerId: filter.practitionerId,
    fromMs: filter.fromMs,
    toMs: filter.toMs,
  });
  return {
    outcome: { connectionId: entry.connection.id, ...answer.outcome },
    runs: answer.runs.map((slots) => runOf(entry, slots)),
  };
}

/**
 * Asks every target in parallel, each under its own deadline, and merges the answers into one
 * ordered, paginated list. A provider that fails or is slow only costs its own slots.
 *
 * Each cell's slots are already in order, so a page is a k-way merge of the cells from the page's
 * cursor (found by binary search) that stops after `first` + 1 slots; only the slots it passes are
 * checked against the clinic catalogue and the live reservations. `totalCount` is counted only
 * when a client selects it.
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
    deps.reservedIn(filter.fromMs, filter.toMs),
  ]);
  const window = {
    fromMs: filter.fromMs,
    toMs: filter.toMs,
    after: page.after ? page.cursors.decode(page.after) : null,
  };
  // A slot the platform holds or has booked is gone for every client at once, even when the
  // provider still lists it (platform-side holds, or a provider slow to update its listing). A
  // slot at a clinic the catalogue does not know cannot be shown (Slot.clinic is required).
  const accept = (placed: Placed, key: string) =>
    placed.entry.clinics.has(placed.slot.clinicId) && !reserved.has(key);
  const made = answers.flatMap((answer) => answer.runs);
  const all = made.map((known) => known.run);
  const version = reserved.version;
  const countKey = () =>
    version === null
      ? null
      : `${filter.fromMs}|${filter.toMs}|${version}|${made.map((known) => known.id).join(',')}`;
  const found = mergeRuns(all, window, page.first + 1, accept).map(
    (placed) => searchModel(placed.entry, placed.slot, filter.treatmentId)!,
  );
  return {
    ...pageOf(found.slice(0, page.first), slotKey, {
      hasNextPage: found.length > page.first,
      totalCount: () => countOnce(countKey(), () => countRuns(all, window, accept)),
      cursors: page.cursors,
    }),
    providerOutcomes: [...answers.map((answer) => answer.outcome), ...skipped],
  };
}
