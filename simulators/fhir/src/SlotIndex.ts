import { getSearchParameter, Operator } from '@medplum/core';
import type { Resource, SearchParameter } from '@medplum/fhirtypes';
import type { CompiledSearch } from './compileSearch.js';
import type { SearchValues } from './SearchValues.js';

interface Entry {
  resource: Resource;
  /** Position in the repository's storage order, which search results follow. */
  position: number;
  /** The schedule references this version is filed under. */
  references: readonly string[];
  /** Start of its only period, in ms; undefined when it has none, several or an odd one. */
  startMs: number | undefined;
}

interface Bucket {
  entries: Map<string, Entry>;
  /** Entries with a start, by start; rebuilt after a change. */
  byStart: Entry[] | undefined;
  /** Entries without a usable start: candidates of every window. */
  unordered: Entry[] | undefined;
}

/** `toPeriod`'s output for years 0000–9999, whose string order is their time order. */
const plainInstant = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function instantMs(value: string | undefined): number | undefined {
  return value !== undefined && plainInstant.test(value) ? Date.parse(value) : undefined;
}

/** Index of the first entry in `sorted` whose start is at least `ms` (or after it, `after`). */
function lowerBound(sorted: readonly Entry[], ms: number, after: boolean): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const start = sorted[middle]?.startMs ?? 0;
    if (after ? start <= ms : start < ms) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The Slots by Schedule reference and start time, the index a real FHIR server's database keeps:
 * a search naming its schedules (every search the provider subgraph sends) reads only those
 * schedules' slots in its time window instead of every Slot. It only narrows: each candidate is
 * still tested against every filter of the search, so the answer is the full scan's.
 *
 * Maintained by the repository on every stored version and delete; results keep the storage's
 * order (Medplum's memory repository answers in the insertion order of its map).
 */
export class SlotIndex {
  readonly #values: SearchValues;
  readonly #schedule: SearchParameter;
  readonly #start: SearchParameter;
  readonly #byId = new Map<string, Entry>();
  readonly #buckets = new Map<string, Bucket>();
  #nextPosition = 0;
  /** The longest span of one slot's start period (ms): how far before a window a match may start. */
  #maxSpanMs = 0;

  /** Indexes `slots` in storage order. */
  constructor(values: SearchValues, slots: Iterable<Resource> = []) {
    this.#values = values;
    const schedule = getSearchParameter('Slot', 'schedule');
    const start = getSearchParameter('Slot', 'start');
    if (!schedule || !start) throw new Error('Slot search parameters are not loaded');
    this.#schedule = schedule;
    this.#start = start;
    for (const slot of slots) this.put(slot);
  }

  /** Files the stored version of a slot, replacing the one before (which keeps its position). */
  put(slot: Resource): void {
    const id = slot.id ?? '';
    const previous = this.#byId.get(id);
    if (previous) this.#unfile(id, previous);
    const periods = this.#values.periods(slot, this.#start);
    const [period] = periods;
    const startMs = periods.length === 1 ? instantMs(period?.start) : undefined;
    const endMs = periods.length === 1 ? instantMs(period?.end) : undefined;
    const entry: Entry = {
      resource: slot,
      position: previous?.position ?? this.#nextPosition++,
      references: this.#values.references(slot, this.#schedule),
      // A period that ends before it starts gets no place in the order (it cannot be bounded).
      startMs:
        endMs !== undefined && startMs !== undefined && endMs >= startMs ? startMs : undefined,
    };
    if (entry.startMs !== undefined && endMs !== undefined) {
      this.#maxSpanMs = Math.max(this.#maxSpanMs, endMs - entry.startMs);
    }
    this.#byId.set(id, entry);
    for (const reference of entry.references) {
      let bucket = this.#buckets.get(reference);
      if (!bucket) {
        bucket = { entries: new Map(), byStart: undefined, unordered: undefined };
        this.#buckets.set(reference, bucket);
      }
      bucket.entries.set(id, entry);
      bucket.byStart = undefined;
      bucket.unordered = undefined;
    }
  }

  /** Forgets a deleted slot. */
  remove(id: string): void {
    const entry = this.#byId.get(id);
    if (!entry) return;
    this.#unfile(id, entry);
    this.#byId.delete(id);
  }

  /**
   * The slots that may match, in storage order: those of the schedules the search names, within
   * its time window. Undefined when the search names no schedule (every slot is a candidate).
   */
  candidates(search: CompiledSearch): Resource[] | undefined {
    const schedules = search.conditions.find(
      (condition) => condition.kind === 'reference' && condition.code === 'schedule',
    );
    if (schedules?.kind !== 'reference') return undefined;
    const window = this.#window(search);
    const found: Entry[] = [];
    const seen = new Set<string>();
    for (const reference of schedules.values) {
      if (seen.has(reference)) continue;
      seen.add(reference);
      const bucket = this.#buckets.get(reference);
      if (!bucket) continue;
      const { byStart, unordered } = this.#ordered(bucket);
      const from = window.from === undefined ? 0 : lowerBound(byStart, window.from, false);
      const to = window.to === undefined ? byStart.length : lowerBound(byStart, window.to, true);
      for (let at = from; at < to; at += 1) found.push(byStart[at] as Entry);
      found.push(...unordered);
    }
    found.sort((a, b) => a.position - b.position);
    const resources: Resource[] = [];
    for (const [at, entry] of found.entries()) {
      // A slot filed under two named schedules is found twice.
      if (at === 0 || found[at - 1] !== entry) resources.push(entry.resource);
    }
    return resources;
  }

  /**
   * Bounds (inclusive, ms) on the start of any match, from the search's date filters on `start`.
   * Loose on purpose where a filter bounds the end of a slot's start period (`ge`, `gt`, `eq`,
   * `ap`): the filters themselves decide, the window only has to contain every match.
   */
  #window(search: CompiledSearch): { from?: number; to?: number } {
    let from: number | undefined;
    let to: number | undefined;
    const atLeast = (ms: number | undefined) => {
      if (ms !== undefined) from = from === undefined ? ms : Math.max(from, ms);
    };
    const atMost = (ms: number | undefined) => {
      if (ms !== undefined) to = to === undefined ? ms : Math.min(to, ms);
    };
    const minus = (ms: number | undefined) => (ms === undefined ? ms : ms - this.#maxSpanMs);
    for (const condition of search.conditions) {
      if (condition.kind !== 'date' || condition.code !== 'start') continue;
      const start = instantMs(condition.period.start);
      const end = instantMs(condition.period.end);
      switch (condition.operator) {
        case Operator.EQUALS:
        case Operator.APPROXIMATELY:
          atLeast(minus(start));
          atMost(end);
          break;
        case Operator.LESS_THAN:
        case Operator.ENDS_BEFORE:
          atMost(start);
          break;
        case Operator.LESS_THAN_OR_EQUALS:
          atMost(end);
          break;
        case Operator.GREATER_THAN_OR_EQUALS:
          atLeast(minus(start));
          break;
        case Operator.GREATER_THAN:
          atLeast(minus(end));
          break;
        case Operator.STARTS_AFTER:
          atLeast(end);
          break;
      }
    }
    return { ...(from !== undefined && { from }), ...(to !== undefined && { to }) };
  }

  #ordered(bucket: Bucket): { byStart: Entry[]; unordered: Entry[] } {
    if (!bucket.byStart || !bucket.unordered) {
      const entries = [...bucket.entries.values()];
      bucket.byStart = entries
        .filter((entry) => entry.startMs !== undefined)
        .sort((a, b) => (a.startMs ?? 0) - (b.startMs ?? 0));
      bucket.unordered = entries.filter((entry) => entry.startMs === undefined);
    }
    return { byStart: bucket.byStart, unordered: bucket.unordered };
  }

  #unfile(id: string, entry: Entry): void {
    for (const reference of entry.references) {
      const bucket = this.#buckets.get(reference);
      if (!bucket) continue;
      bucket.entries.delete(id);
      bucket.byStart = undefined;
      bucket.unordered = undefined;
      if (bucket.entries.size === 0) this.#buckets.delete(reference);
    }
  }
}
