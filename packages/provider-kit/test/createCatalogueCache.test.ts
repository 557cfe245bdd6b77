import { describe, expect, it } from 'vitest';
import { createCatalogueCache, ProviderErrorCode, type RequestBudget } from '../src/index.js';

function setup(load: (budget: RequestBudget, n: number) => Promise<string>, ttlMs = 60_000) {
  const clock = { now: 1_000_000 };
  const budgets: RequestBudget[] = [];
  const cache = createCatalogueCache({
    load: (budget) => {
      budgets.push(budget);
      return load(budget, budgets.length);
    },
    ttlMs,
    fetchTimeoutMs: 200,
    label: 'Acme directory',
    now: () => clock.now,
  });
  return { cache, clock, budgets };
}

const open = () => new AbortController().signal;

describe('createCatalogueCache', () => {
  it('shares one fetch between concurrent callers and reuses it while fresh', async () => {
    const { cache, clock, budgets } = setup(async (_budget, n) => `catalogue ${n}`);
    const [a, b] = await Promise.all([cache.get(open()), cache.get(open())]);
    expect([a, b]).toEqual(['catalogue 1', 'catalogue 1']);
    clock.now += 59_999;
    expect(await cache.get(open())).toBe('catalogue 1');
    clock.now += 1;
    expect(await cache.get(open())).toBe('catalogue 2');
    expect(budgets).toHaveLength(2);
  });

  it('fetches every time with a lifetime of 0', async () => {
    const { cache, budgets } = setup(async (_budget, n) => `catalogue ${n}`, 0);
    await cache.get(open());
    expect(await cache.get(open())).toBe('catalogue 2');
    expect(budgets).toHaveLength(2);
  });

  it('gives the fetch its own budget: the fetch timeout from now', async () => {
    const { cache, clock, budgets } = setup(async () => 'c');
    await cache.get(open());
    expect(budgets[0]?.deadlineAt).toBe(clock.now + 200);
    expect(budgets[0]?.signal.aborted).toBe(false);
  });

  it('does not keep a failed fetch: the next caller fetches again', async () => {
    const { cache } = setup(async (_budget, n) => {
      if (n === 1) throw new Error('down');
      return `catalogue ${n}`;
    });
    await expect(cache.get(open())).rejects.toThrow('down');
    expect(await cache.get(open())).toBe('catalogue 2');
  });

  it('lets a caller stop waiting without failing the fetch for the others', async () => {
    let finish: (value: string) => void = () => {};
    const { cache, budgets } = setup(() => new Promise((resolve) => (finish = resolve)));
    const impatient = new AbortController();
    const first = cache.get(impatient.signal);
    const second = cache.get(open());
    impatient.abort(new Error('caller gave up'));
    await expect(first).rejects.toThrow('caller gave up');
    finish('catalogue');
    expect(await second).toBe('catalogue');
    expect(budgets[0]?.signal.aborted).toBe(false);
  });

  it('reports a fetch that runs out of time as PROVIDER_TIMEOUT, and fetches again next time', async () => {
    const { cache } = setup((budget, n) =>
      n === 1
        ? new Promise((_resolve, reject) =>
            budget.signal.addEventListener('abort', () => reject(budget.signal.reason)),
          )
        : Promise.resolve('catalogue'),
    );
    await expect(cache.get(open())).rejects.toMatchObject({
      code: ProviderErrorCode.Timeout,
      message: 'Acme directory: no answer within 200 ms',
    });
    expect(await cache.get(open())).toBe('catalogue');
  });
});
