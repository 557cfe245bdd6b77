import { abortable } from '@booking/server-kit';
import DataLoader from 'dataloader';
import { chunked } from '../contractRules.js';
import { type RequestBudget, sharedBudget } from '../rest/requestBudget.js';

export interface BatchLoaderOptions<K, V> {
  /**
   * What a key's request is apart from its id: keys with the same group are asked in one vendor
   * request, e.g. the connection, the window and the filters of a slot search.
   */
  readonly group: (key: K) => string;
  /** The key's id within its group, e.g. the clinic a slot search is for. */
  readonly id: (key: K) => string;
  /** The id an answered item belongs to, to split the answer by key again. */
  readonly idOf: (item: V) => string;
  /** Most ids per vendor request (to keep a URL short); more are asked in parallel requests. */
  readonly maxIds: number;
  /**
   * One vendor request for `ids`, all of the group of `key`, under the budget of every caller
   * waiting for it (the kit's `sharedBudget`).
   */
  readonly load: (key: K, ids: string[], budget: RequestBudget) => Promise<readonly V[]>;
}

export interface BatchLoader<K, V> {
  /**
   * The items of `key`'s id, fetched with the other keys of its group asked within the same tick.
   * A key asked twice is fetched once. The caller stops waiting at its own budget's signal, even
   * when its batch goes on for others.
   */
  load(key: K, budget: RequestBudget): Promise<V[]>;
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/**
 * Merges lookups by id into vendor requests that take many ids (`clinicId=a,b,c`): the keys of one
 * tick are grouped by `group`, their ids chunked by `maxIds`, each chunk asked once, and the
 * answer split by `idOf` again. Make one per GraphQL request (a provider's `createScope`), so that
 * nothing is remembered longer.
 */
export function createBatchLoader<K, V>(options: BatchLoaderOptions<K, V>): BatchLoader<K, V> {
  const { group, id, idOf, maxIds, load } = options;
  type Entry = { key: K; budget: RequestBudget };

  async function loadBatch(entries: readonly Entry[]): Promise<(V[] | Error)[]> {
    const groups = new Map<string, Entry[]>();
    for (const entry of entries) {
      const name = group(entry.key);
      groups.set(name, [...(groups.get(name) ?? []), entry]);
    }
    const results = new Map<Entry, V[] | Error>();
    await Promise.all(
      [...groups.values()].map(async (members) => {
        const ids = [...new Set(members.map((entry) => id(entry.key)))];
        const budget = sharedBudget(members.map((entry) => entry.budget));
        try {
          const first = members[0]!.key;
          const answers = await Promise.all(
            chunked(ids, maxIds).map((chunk) => load(first, chunk, budget)),
          );
          const items = answers.flat();
          for (const entry of members) {
            results.set(
              entry,
              items.filter((item) => idOf(item) === id(entry.key)),
            );
          }
        } catch (error) {
          for (const entry of members) results.set(entry, asError(error));
        } finally {
          budget.dispose();
        }
      }),
    );
    return entries.map((entry) => results.get(entry) ?? new Error('batch lost a key'));
  }

  const loader = new DataLoader<Entry, V[], string>(loadBatch, {
    cacheKeyFn: (entry) => JSON.stringify([group(entry.key), id(entry.key)]),
  });
  return {
    load: (key, budget) => abortable(loader.load({ key, budget }), budget.signal),
  };
}
