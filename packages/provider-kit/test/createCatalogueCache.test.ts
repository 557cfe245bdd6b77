import { createLogger } from '@booking/server-kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCatalogueCache, ProviderErrorCode, type RequestBudget } from '../src/index.js';

function setup(load: (budget: RequestBudget, n: number) => Promise<string>) {
  const clock = { now: 1_000_000 };
  const budgets: RequestBudget[] = [];
  const warnings: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'test',
    level: 'warn',
    destination: { write: (line: string) => warnings.push(JSON.parse(line)) },
  });
  const cache = createCatalogueCache({
    load: (budget) => {
      budgets.push(budget);
      return load(budget, budgets.length);
    },
    refreshMs: 60_000,
    fetchTimeoutMs: 200,
    label: 'Acme directory',
    logger,
    random: () => 0.5,
    now: () => clock.now,
  });
  return { cache, clock, budgets, warnings };
}

const open = () => new AbortController().signal;

afterEach(() => {
  vi.useRealTimers();
});

describe('createCatalogueCache', () => {
  it('shares one first load between concurrent callers, then answers from the copy', async () => {
    const { cache, clock, budgets } = setup(async (_budget, n) => `catalogue ${n}`);
    const [a, b] = await Promise.all([cache.get(open()), cache.get(open())]);
    expect([a, b]).toEqual(['catalogue 1', 'catalogue 1']);
    clock.now += 59_999;
    expect(await cache.get(open())).toBe('catalogue 1');
    expect(budgets).toHaveLength(1);
  });

  it('serves a copy past its interval at once and reads it again behind the caller', async () => {
    let finish: (value: string) => void = () => {};
    const { cache, clock, budgets } = setup(async (_budget, n) =>
      n === 1 ? 'catalogue 1' : new Promise((resolve) => (finish = resolve)),
    );
    await cache.get(open());
    clock.now += 60_000;
    // The refresh hangs: the caller does not wait for it, and a second caller starts no other.
    expect(await cache.get(open())).toBe('catalogue 1');
    expect(await cache.get(open())).toBe('catalogue 1');
    expect(budgets).toHaveLength(2);
    finish('catalogue 2');
    await vi.waitFor(async () => expect(await cache.get(open())).toBe('catalogue 2'));
  });

  it('loads at start and refreshes every interval with jitter until stopped', async () => {
    vi.useFakeTimers();
    const { cache, budgets } = setup(async (_budget, n) => `catalogue ${n}`);
    cache.start();
    expect(budgets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(budgets).toHaveLength(1);
    // random 0.5 is the middle of ±10 %: exactly the interval.
    await vi.advanceTimersByTimeAsync(1);
    expect(budgets).toHaveLength(2);
    expect(await cache.get(open())).toBe('catalogue 2');
    cache.stop();
    await vi.advanceTimersByTimeAsync(180_000);
    expect(budgets).toHaveLength(2);
  });

  it('keeps the last good copy when a refresh fails, and logs the failure', async () => {
    const { cache, warnings } = setup(async (_budget, n) => {
      if (n === 2) throw new Error('down');
      return `catalogue ${n}`;
    });
    await cache.get(open());
    await cache.refresh();
    expect(await cache.get(open())).toBe('catalogue 1');
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 'warn',
        catalogue: 'Acme directory',
        err: 'down',
        msg: 'catalogue refresh failed; serving the last good copy',
      }),
    ]);
    await cache.refresh();
    expect(await cache.get(open())).toBe('catalogue 3');
  });

  it('fails the callers of a failed first load, and loads again for the next caller', async () => {
    const { cache } = setup(async (_budget, n) => {
      if (n === 1) throw new Error('down');
      return `catalogue ${n}`;
    });
    await expect(cache.get(open())).rejects.toThrow('down');
    expect(await cache.get(open())).toBe('catalogue 2');
  });

  it('gives the load its own budget: the fetch timeout from now', async () => {
    const { cache, clock, budgets } = setup(async () => 'c');
    await cache.get(open());
    expect(budgets[0]?.deadlineAt).toBe(clock.now + 200);
    expect(budgets[0]?.signal.aborted).toBe(false);
  });

  it('lets a caller stop waiting without failing the load for the others', async () => {
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

  it('reports a load that runs out of time as PROVIDER_TIMEOUT, and loads again next time', async () => {
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
