import { createLogger } from '@booking/server-kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBackgroundTask } from '../src/background/createBackgroundTask.js';
import { createConnectionTraffic } from '../src/background/createConnectionTraffic.js';
import { ProviderError, ProviderErrorCode } from '../src/errors.js';
import type { RequestBudget } from '../src/rest/requestBudget.js';

const logger = createLogger({ service: 'test', level: 'silent' });

afterEach(() => {
  vi.useRealTimers();
});

/** A task whose runs are recorded (at fake-clock times) and fail while `failing` says so. */
function recorded(
  options: {
    intervalMs?: number;
    retryMs?: number;
    maxBackoffMs?: number;
    quiet?: boolean;
    failWith?: () => Error;
  } = {},
) {
  const runsAt: number[] = [];
  const budgets: RequestBudget[] = [];
  const state = { failing: options.failWith !== undefined };
  const traffic = createConnectionTraffic();
  const task = createBackgroundTask({
    label: 'Test poll',
    deadlineMs: 1000,
    logger,
    traffic,
    ...options,
    run: async (budget) => {
      runsAt.push(Date.now());
      budgets.push(budget);
      if (state.failing) throw (options.failWith ?? (() => new Error('down')))();
    },
  });
  return { task, runsAt, budgets, state, traffic };
}

describe('createBackgroundTask', () => {
  it('runs at start, then an interval after each run ends, until stopped', async () => {
    vi.useFakeTimers({ now: 0 });
    const { task, runsAt } = recorded({ intervalMs: 1000 });
    task.start();
    await vi.advanceTimersByTimeAsync(3500);
    expect(runsAt).toEqual([0, 1000, 2000, 3000]);
    await task.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runsAt).toHaveLength(4);
    expect(task.status()).toEqual({ runs: 4, failures: 0, lastError: null });
  });

  it('backs off after failures, doubling from retryMs up to maxBackoffMs, and recovers', async () => {
    vi.useFakeTimers({ now: 0 });
    const { task, runsAt, state } = recorded({
      intervalMs: 1000,
      retryMs: 100,
      maxBackoffMs: 500,
      failWith: () => new Error('down'),
    });
    task.start();
    await vi.advanceTimersByTimeAsync(1600);
    // Waits of 100, 200, 400, then the bound, 500.
    expect(runsAt).toEqual([0, 100, 300, 700, 1200]);
    expect(task.status()).toMatchObject({ failures: 5, lastError: 'down' });
    state.failing = false;
    await vi.advanceTimersByTimeAsync(500);
    expect(task.status()).toMatchObject({ failures: 0, lastError: null });
    await vi.advanceTimersByTimeAsync(1000);
    expect(runsAt.slice(5)).toEqual([1700, 2700]);
    await task.stop();
  });

  it('waits at least what a 429 asks for (Retry-After), within maxBackoffMs', async () => {
    vi.useFakeTimers({ now: 0 });
    const limited = () =>
      new ProviderError(ProviderErrorCode.Unavailable, 'rate limited', { retryAfterSeconds: 3 });
    const { task, runsAt } = recorded({ intervalMs: 100, failWith: limited });
    task.start();
    await vi.advanceTimersByTimeAsync(6500);
    expect(runsAt).toEqual([0, 3000, 6000]);
    await task.stop();
  });

  it('without an interval, runs until its first success and then no more', async () => {
    vi.useFakeTimers({ now: 0 });
    const { task, runsAt, state } = recorded({ retryMs: 50, failWith: () => new Error('no') });
    let succeeded = false;
    void task.succeeded().then(() => {
      succeeded = true;
    });
    task.start();
    await vi.advanceTimersByTimeAsync(120);
    expect(runsAt).toEqual([0, 50]);
    expect(succeeded).toBe(false);
    state.failing = false;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runsAt).toEqual([0, 50, 150]);
    expect(succeeded).toBe(true);
    await task.stop();
  });

  it('runs never overlap: runNow joins the run under way, and ends when it ends', async () => {
    let release: () => void = () => {};
    let runs = 0;
    const task = createBackgroundTask({
      label: 'Slow',
      deadlineMs: 1000,
      logger,
      intervalMs: 60_000,
      run: () => {
        runs += 1;
        if (runs > 1) return Promise.resolve();
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    task.start();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const joined = task.runNow();
    expect(runs).toBe(1);
    release();
    await joined;
    expect(runs).toBe(1);
    await task.runNow();
    expect(runs).toBe(2);
    await task.stop();
  });

  it('aborts the run under way when stopped, and gives each run its own deadline', async () => {
    const { task, budgets } = recorded({ intervalMs: 60_000 });
    let aborted: AbortSignal | undefined;
    const slow = createBackgroundTask({
      label: 'Hanging',
      deadlineMs: 5000,
      logger,
      run: (budget) => {
        aborted = budget.signal;
        return new Promise<void>((_, reject) => {
          budget.signal.addEventListener('abort', () => reject(budget.signal.reason));
        });
      },
    });
    slow.start();
    task.start();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const before = Date.now();
    await slow.stop();
    expect(aborted?.aborted).toBe(true);
    expect(Date.now() - before).toBeLessThan(1000);
    expect(slow.status().failures).toBe(0);
    expect(budgets[0]!.deadlineAt).toBeGreaterThan(Date.now() + 500);
    await task.stop();
  });

  it('a quiet task waits for the connection to be still, at most five intervals', async () => {
    vi.useFakeTimers({ now: 0 });
    const { task, runsAt, traffic } = recorded({ intervalMs: 1000, quiet: true });
    let finish: () => void = () => {};
    const call = traffic.during(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    task.start();
    await vi.advanceTimersByTimeAsync(300);
    expect(runsAt).toEqual([]);
    finish();
    await call;
    await vi.advanceTimersByTimeAsync(150);
    expect(runsAt).toHaveLength(1);
    expect(runsAt[0]).toBeGreaterThanOrEqual(400);
    // Traffic that never stops delays a due run by five intervals at most.
    const busy = setInterval(() => void traffic.during(async () => {}), 20);
    await vi.advanceTimersByTimeAsync(8000);
    clearInterval(busy);
    expect(runsAt[1]! - runsAt[0]!).toBeGreaterThanOrEqual(1000 + 5000);
    expect(runsAt[1]! - runsAt[0]!).toBeLessThan(1000 + 5000 + 200);
    await task.stop();
  });
});
