import type { Logger } from '@booking/server-kit';
import { ProviderError } from '../errors.js';
import type { RequestBudget } from '../rest/requestBudget.js';
import type { ConnectionTraffic } from './createConnectionTraffic.js';

/** Background work of one connection, as its provider declares it (`ConnectContext.background`). */
export interface BackgroundTaskDefinition {
  /** Names the task in logs, e.g. `Cliniq change poll`. */
  readonly label: string;
  /**
   * One run, within `budget`: it ends at `timeoutMs` or when the task stops. A run that throws is
   * a failure: the task waits (backing off) and runs again.
   */
  run(budget: RequestBudget): Promise<void>;
  /**
   * Milliseconds from one successful run's end to the next run. Unset: the task is done after its
   * first success (a subscription made at start).
   */
  readonly intervalMs?: number;
  /**
   * The wait after a first failure, doubled after each further failure in a row up to
   * `maxBackoffMs`, and never shorter than a 429's `Retry-After` (up to the same bound).
   * Default: 1000, or `intervalMs` when shorter: a vendor that could not be reached at start
   * (services start in any order) is tried again within a second, then less and less often.
   */
  readonly retryMs?: number;
  /** The longest wait after failures, whatever `Retry-After` asks for. Default: 60000. */
  readonly maxBackoffMs?: number;
  /** What one run may take. Default: the connection's deadline. */
  readonly timeoutMs?: number;
  /**
   * Whether a due run first waits until the connection has been quiet (no contract call running
   * or ended in the last 100 ms), at most five intervals: background calls then never spend the
   * vendor's rate limit in the middle of a search's burst. Default: false.
   */
  readonly quiet?: boolean;
}

/** How a task is doing, for logs and tests. */
export interface BackgroundTaskStatus {
  readonly runs: number;
  /** Failed runs in a row. */
  readonly failures: number;
  readonly lastError: string | null;
}

/** A connection's background task; the kit starts it with the service and stops it on close. */
export interface BackgroundTask {
  /**
   * Runs now, or joins the run under way; resolves when that run ends and never rejects (a
   * failure is logged and retried as usual). For a push that says "go and look", and for tests.
   * Once the task is stopped, nothing runs.
   */
  runNow(): Promise<void>;
  /** Resolves after the first successful run (e.g. once subscribed); never rejects. */
  succeeded(): Promise<void>;
  status(): BackgroundTaskStatus;
}

/** A task with its lifecycle, as the kit holds it. */
export interface RunningBackgroundTask extends BackgroundTask {
  start(): void;
  /** Stops scheduling and aborts a run under way; resolves once it has ended. */
  stop(): Promise<void>;
}

/** How long the connection must have been still before a quiet task runs. */
const quietMs = 100;
/** A due quiet task waits at most this many intervals: a bound on its lag under load. */
const maxDeferIntervals = 5;

/**
 * One background task: runs never overlap (the next is scheduled when one ends), each within its
 * own budget, and failures back off as `retryMs` says. Stopping aborts the run under way.
 */
export function createBackgroundTask(
  definition: BackgroundTaskDefinition & {
    /** Default for `timeoutMs`: the connection's deadline. */
    deadlineMs: number;
    logger: Logger;
    /** Epoch ms. Default: `Date.now`. */
    now?: () => number;
    /** The connection's contract calls, which a `quiet` task makes way for. */
    traffic?: ConnectionTraffic;
  },
): RunningBackgroundTask {
  const { label, intervalMs, logger } = definition;
  const now = definition.now ?? Date.now;
  const timeoutMs = definition.timeoutMs ?? definition.deadlineMs;
  const retryMs = definition.retryMs ?? Math.min(intervalMs ?? 1000, 1000);
  const maxBackoffMs = definition.maxBackoffMs ?? 60_000;
  let runs = 0;
  let failures = 0;
  let lastError: string | null = null;
  let running = false;
  /** Stopped with the service: nothing runs again until it starts again. */
  let stopped = false;
  let done = false;
  let dueAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let stopping = new AbortController();
  let markSucceeded: () => void = () => {};
  const succeeded = new Promise<void>((resolve) => {
    markSucceeded = resolve;
  });

  /** The wait after a failure: doubling, at least what `Retry-After` asks, at most the bound. */
  function backoffMs(error: unknown): number {
    const doubling = retryMs * 2 ** Math.min(failures - 1, 16);
    const retryAfterSeconds =
      error instanceof ProviderError ? (error.details.retryAfterSeconds ?? 0) : 0;
    return Math.min(maxBackoffMs, Math.max(doubling, retryAfterSeconds * 1000));
  }

  /** One run; answers the wait before the next, or null when there is to be none. */
  async function runOnce(): Promise<number | null> {
    runs += 1;
    const signal = AbortSignal.any([stopping.signal, AbortSignal.timeout(timeoutMs)]);
    try {
      await definition.run({ signal, deadlineAt: now() + timeoutMs });
      failures = 0;
      lastError = null;
      markSucceeded();
      if (intervalMs === undefined) done = true;
      return intervalMs ?? null;
    } catch (error) {
      if (stopping.signal.aborted) return null;
      failures += 1;
      lastError = error instanceof Error ? error.message : String(error);
      const waitMs = backoffMs(error);
      // Messages only: a vendor's error carries no vendor values (the transport's rule).
      logger.warn({ task: label, failures, waitMs, err: lastError }, `${label} failed`);
      return waitMs;
    }
  }

  function runNow(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (!inFlight) {
      clearTimeout(timer);
      timer = undefined;
      inFlight = runOnce().then((waitMs) => {
        inFlight = undefined;
        if (waitMs !== null) schedule(waitMs);
      });
    }
    return inFlight;
  }

  function schedule(delayMs: number): void {
    if (!running || done) return;
    clearTimeout(timer);
    dueAt = now() + delayMs;
    timer = setTimeout(tick, delayMs);
  }

  function tick(): void {
    timer = undefined;
    if (!running || inFlight) return;
    const deferredFor = now() - dueAt;
    const bound = maxDeferIntervals * (intervalMs ?? retryMs);
    if (definition.quiet && definition.traffic?.busy(quietMs) && deferredFor < bound) {
      timer = setTimeout(tick, quietMs);
      return;
    }
    void runNow();
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopped = false;
      stopping = new AbortController();
      if (!done) schedule(0);
    },
    async stop() {
      running = false;
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      stopping.abort();
      await inFlight;
    },
    runNow,
    succeeded: () => succeeded,
    status: () => ({ runs, failures, lastError }),
  };
}
