import { validateResource, type WithId } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Resource } from '@medplum/fhirtypes';

/** The storage of Medplum's `MemoryRepository`: private there, read here to snapshot it. */
interface MemoryStorage {
  readonly resources: Map<string, Map<string, Resource>>;
  readonly history: Map<string, Map<string, Resource[]>>;
}

type Snapshot = MemoryStorage;

/**
 * Medplum's in-memory repository, closed over the three gaps that separate it from Medplum's real
 * (PostgreSQL) repository, so that clients meet the server's real behaviour:
 *
 * - it validates every resource it stores against the R4 structure definitions (the memory
 *   repository stores anything), answering `400` with the issues as the real server does;
 * - `withTransaction` is atomic: a transaction bundle whose last entry fails leaves nothing
 *   behind (the memory repository runs the callback without any rollback, so a failed
 *   transaction would keep its earlier entries);
 * - `meta.lastUpdated` comes from the injected clock, and a client cannot set `meta.versionId`.
 *
 * Isolation is the caller's job: the simulator applies one request at a time.
 */
export class SimulatorRepository extends MemoryRepository {
  readonly #clock: () => Date;
  #transactionDepth = 0;

  constructor(clock: () => Date) {
    super();
    this.#clock = clock;
  }

  override async createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    // Throws an OperationOutcomeError listing every issue; the router answers it as 400.
    validateResource(resource);
    return this.#store(resource);
  }

  /**
   * Stores the seed without validating each resource again (thousands of slots on every reset);
   * a unit test validates the seed once instead.
   */
  async load(resources: readonly Resource[]): Promise<void> {
    for (const resource of resources) await this.#store(resource);
  }

  #store<T extends Resource>(resource: T): Promise<WithId<T>> {
    const { versionId: _ignored, ...meta } = resource.meta ?? {};
    return super.createResource({
      ...resource,
      meta: { ...meta, lastUpdated: this.#clock().toISOString() },
    });
  }

  override async withTransaction<TResult>(
    callback: (client: undefined) => Promise<TResult>,
  ): Promise<TResult> {
    // Conditional creates nest a transaction inside the bundle's: only the outermost one rolls back.
    const snapshot = this.#transactionDepth === 0 ? this.#snapshot() : undefined;
    this.#transactionDepth += 1;
    try {
      return await callback(undefined);
    } catch (error) {
      if (snapshot) this.#restore(snapshot);
      throw error;
    } finally {
      this.#transactionDepth -= 1;
    }
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
  }
}
