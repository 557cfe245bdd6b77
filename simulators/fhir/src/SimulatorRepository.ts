import { type SearchRequest, validateResource, type WithId } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, Resource, Subscription } from '@medplum/fhirtypes';
import { compileSearch } from './compileSearch.js';
import { SearchValues } from './SearchValues.js';
import { SlotIndex } from './SlotIndex.js';
import { admitSubscription } from './subscriptionRules.js';

/** One create or update that is committed: what a Subscription is notified of. */
export interface CommittedWrite {
  /** The version stored (frozen). */
  readonly resource: WithId<Resource>;
  /** The version it replaced (frozen); undefined for a create. */
  readonly previous: Resource | undefined;
  readonly interaction: 'create' | 'update';
}

export interface SimulatorRepositoryOptions {
  /**
   * Called with the writes of each committed request, in the order made: at once outside a
   * transaction, after the outermost one commits inside it, never for a rolled-back one. The seed
   * (`load`) is not a write. Default: none.
   */
  onCommit?: (writes: readonly CommittedWrite[]) => void;
}

/** The storage of Medplum's `MemoryRepository`: private there, read here to snapshot it. */
interface MemoryStorage {
  readonly resources: Map<string, Map<string, Resource>>;
  readonly history: Map<string, Map<string, Resource[]>>;
}

type Snapshot = MemoryStorage;

/** Freezes a stored version and everything in it (JSON: objects and arrays only). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Medplum's in-memory repository, closed over the three gaps that separate it from Medplum's real
 * (PostgreSQL) repository, so that clients meet the server's real behaviour:
 *
 * - it validates every resource it stores against the R4 structure definitions (the memory
 *   repository stores anything), answering `400` with the issues as the real server does;
 * - `withTransaction` is atomic: a transaction bundle whose last entry fails leaves nothing
 *   behind (the memory repository runs the callback without any rollback, so a failed
 *   transaction would keep its earlier entries);
 * - `meta.lastUpdated` comes from the injected clock, and a client cannot set `meta.versionId`;
 *   the seed carries the instant the repository was made, however much later a day of it is
 *   loaded, so that a `_lastUpdated` search finds what changed, not what was loaded late;
 * - Subscriptions are checked and taken on as R4 says (`admitSubscription`), and every committed
 *   write is reported (`onCommit`), which is what the server's notifications are made from.
 *
 * And it searches the way a database does rather than by evaluating every resource: each stored
 * version's search values are extracted once (`SearchValues`) and Slots are indexed by schedule and
 * start (`SlotIndex`). The answer is the memory repository's: the same matches, order, total and
 * paging (searches with `_sort` are left to it entirely). Stored versions are frozen, so a search
 * answers with them instead of a deep copy of each (reads, history and writes still copy).
 *
 * Isolation is the caller's job: the simulator applies one request at a time.
 */
export class SimulatorRepository extends MemoryRepository {
  readonly #clock: () => Date;
  readonly #onCommit: SimulatorRepositoryOptions['onCommit'];
  /** When the seed was made: the `meta.lastUpdated` of every seeded version. */
  readonly seededAt: Date;
  readonly #values = new SearchValues();
  /** Writes of the transaction in progress, reported when it commits. */
  #uncommitted: CommittedWrite[] = [];
  /** Built on the first Slot search, then kept up to date; dropped when a transaction rolls back. */
  #slotIndex: SlotIndex | undefined;
  #transactionDepth = 0;

  constructor(clock: () => Date, options: SimulatorRepositoryOptions = {}) {
    super();
    this.#clock = clock;
    this.#onCommit = options.onCommit;
    this.seededAt = clock();
  }

  override async createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    // Throws an OperationOutcomeError listing every issue; the router answers it as 400.
    validateResource(resource);
    const admitted =
      resource.resourceType === 'Subscription'
        ? (admitSubscription(resource as Subscription) as T)
        : resource;
    const previous = resource.id
      ? this.#storage().resources.get(resource.resourceType)?.get(resource.id)
      : undefined;
    const stored = await this.#store(admitted, this.#clock());
    const version = this.#storage().resources.get(stored.resourceType)?.get(stored.id);
    if (version) {
      const write: CommittedWrite = {
        resource: version as WithId<Resource>,
        previous,
        interaction: previous ? 'update' : 'create',
      };
      if (this.#transactionDepth > 0) this.#uncommitted.push(write);
      else this.#onCommit?.([write]);
    }
    return stored;
  }

  /**
   * Stores the seed without validating each resource again (thousands of slots on every reset);
   * a unit test validates the seed once instead.
   */
  async load(resources: readonly Resource[]): Promise<void> {
    for (const resource of resources) await this.#store(resource, this.seededAt);
  }

  async #store<T extends Resource>(resource: T, lastUpdated: Date): Promise<WithId<T>> {
    const { versionId: _ignored, ...meta } = resource.meta ?? {};
    const stored = await super.createResource({
      ...resource,
      meta: { ...meta, lastUpdated: lastUpdated.toISOString() },
    });
    const version = this.#storage().resources.get(stored.resourceType)?.get(stored.id);
    if (version) {
      deepFreeze(version);
      if (version.resourceType === 'Slot') this.#slotIndex?.put(version);
    }
    return stored;
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    await super.deleteResource(resourceType, id);
    if (resourceType === 'Slot') this.#slotIndex?.remove(id);
  }

  override async readHistory<T extends Resource>(
    resourceType: string,
    id: string,
  ): Promise<Bundle<T>> {
    const bundle = await super.readHistory<T>(resourceType, id);
    // Medplum's memory repository reverses the stored history in place to answer newest first,
    // so every other read would list it oldest first; put it back.
    this.#storage().history.get(resourceType)?.get(id)?.reverse();
    return bundle;
  }

  override clear(): void {
    super.clear();
    this.#slotIndex = undefined;
  }

  /**
   * Medplum's memory search (every filter, storage order, `total`, `_offset`, `_count`), over the
   * index's candidates and the extracted values. Entries are the frozen stored versions: nothing
   * that reads a search (the router, the HTTP answer, conditional writes) changes them, and a
   * caller that tried would meet a TypeError rather than change the store.
   */
  override async search<T extends Resource>(
    searchRequest: SearchRequest<T>,
  ): Promise<Bundle<WithId<T>>> {
    const compiled = searchRequest.sortRules
      ? undefined
      : compileSearch(searchRequest, this.#values);
    if (!compiled) return super.search(searchRequest);
    const { resourceType, offset, count } = searchRequest;
    const stored = this.#storage().resources.get(resourceType);
    const candidates =
      (resourceType === 'Slot' ? this.#slots().candidates(compiled) : undefined) ??
      stored?.values() ??
      [];
    const matches: Resource[] = [];
    for (const resource of candidates) if (compiled.matches(resource)) matches.push(resource);
    let page = matches;
    if (offset !== undefined) page = page.slice(offset);
    if (count !== undefined) page = page.slice(0, count);
    const entry = page.map((resource) => ({ resource: resource as WithId<T> }));
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: entry.length ? entry : undefined,
      total: matches.length,
    };
  }

  #slots(): SlotIndex {
    this.#slotIndex ??= new SlotIndex(
      this.#values,
      this.#storage().resources.get('Slot')?.values(),
    );
    return this.#slotIndex;
  }

  override async withTransaction<TResult>(
    callback: (client: undefined) => Promise<TResult>,
  ): Promise<TResult> {
    // Conditional creates nest a transaction inside the bundle's: only the outermost one rolls back.
    const snapshot = this.#transactionDepth === 0 ? this.#snapshot() : undefined;
    this.#transactionDepth += 1;
    let result: TResult;
    try {
      result = await callback(undefined);
    } catch (error) {
      if (snapshot) {
        this.#restore(snapshot);
        this.#uncommitted = [];
      }
      throw error;
    } finally {
      this.#transactionDepth -= 1;
    }
    if (snapshot) {
      const committed = this.#uncommitted;
      this.#uncommitted = [];
      if (committed.length > 0) this.#onCommit?.(committed);
    }
    return result;
  }

  /** Every stored resource of one type, as stored (for the simulator's admin views). */
  all<T extends Resource>(resourceType: T['resourceType']): WithId<T>[] {
    const byId = this.#storage().resources.get(resourceType);
    return byId ? ([...byId.values()] as WithId<T>[]) : [];
  }

  #storage(): MemoryStorage {
    return this as unknown as MemoryStorage;
  }

  #snapshot(): Snapshot {
    const { resources, history } = this.#storage();
    // Stored resources are replaced, never mutated, on update; history arrays are appended to.
    return {
      resources: new Map([...resources].map(([type, byId]) => [type, new Map(byId)])),
      history: new Map(
        [...history].map(([type, byId]) => [
          type,
          new Map([...byId].map(([id, versions]) => [id, [...versions]])),
        ]),
      ),
    };
  }

  #restore(snapshot: Snapshot): void {
    const { resources, history } = this.#storage();
    resources.clear();
    for (const [type, byId] of snapshot.resources) resources.set(type, byId);
    history.clear();
    for (const [type, byId] of snapshot.history) history.set(type, byId);
    // Rebuilt on the next Slot search, from values already extracted for these versions.
    this.#slotIndex = undefined;
  }
}
