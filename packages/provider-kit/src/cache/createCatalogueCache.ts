import { abortable, type Logger } from '@booking/server-kit';
import { ProviderError, ProviderErrorCode } from '../errors.js';
import type { RequestBudget } from '../rest/requestBudget.js';

/** How often a connection's catalogue is read again unless configured: `PROVIDER_CATALOGUE_REFRESH_MS`. */
export const defaultCatalogueRefreshMs = 60_000;

/** One connection's catalogue (clinics, services, practitioners, schedules: what every call needs). */
export interface CatalogueCache<T> {
  /**
   * The last good copy, at once. Only before the first load has succeeded does a caller wait: for
   * the one load in flight, whoever started it; a failed first load fails its callers.
   */
  get(signal: AbortSignal): Promise<T>;
  /** Loads the catalogue now and again every `refreshMs` (with jitter) until `stop`. */
  start(): void;
  /** Stops the background refreshes; a load in flight finishes but schedules nothing. */
  stop(): void;
  /** Reads the catalogue again now; a failure is logged and the last good copy kept. */
  refresh(): Promise<void>;
}

export interface CatalogueCacheOptions<T> {
  /** Reads the catalogue from the vendor, under the load's own budget. */
  readonly load: (budget: RequestBudget) => Promise<T>;
  /** Milliseconds between background refreshes, and the age past which `get` starts one. */
  readonly refreshMs: number;
  /** How long one load may take, whoever waits for it: the connection's deadline. */
  readonly fetchTimeoutMs: number;
  /** Names the catalogue in errors and logs, e.g. `FHIR directory`. */
  readonly label: string;
  /** Where a failed refresh is reported. Default: not reported. */
  readonly logger?: Logger | undefined;
  /**
   * Share of `refreshMs` each wait is moved by at random, either way, so that the connections of
   * one service (and its replicas) do not all read their vendors at once. Default: 0.1.
   */
  readonly jitter?: number | undefined;
  /** Numbers in [0, 1) for the jitter. Default: `Math.random`. */
  readonly random?: (() => number) | undefined;
  /** Epoch ms. Default: `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/**
 * Keeps a connection's catalogue off the request path: loaded at start (or at first use), served
 * from the last good copy, and read again in the background every `refreshMs` with jitter. A copy
 * older than `refreshMs` (the timer was not started, or the process slept) makes `get` start a
 * refresh without waiting for it. A failed refresh keeps the last good copy and is logged; until a
 * first load succeeds, callers wait for the load and its failure is theirs (a connection that
 * cannot describe itself is unavailable). Concurrent callers share one load, which runs under its
 * own deadline rather than a caller's, so one impatient caller does not fail the others; a load
 * out of time is PROVIDER_TIMEOUT.
 */
export function createCatalogueCache<T>(options: CatalogueCacheOptions<T>): CatalogueCache<T> {
  const { load, refreshMs, fetchTimeoutMs, label, logger } = options;
  const { jitter = 0.1, random = Math.random, now = Date.now } = options;
  let copy: { at: number; value: T } | undefined;
  let loading: Promise<T> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  function loadOnce(): Promise<T> {
    if (loading) return loading;
    const startedAt = now();
    const signal = AbortSignal.timeout(fetchTimeoutMs);
    const attempt = load({ signal, deadlineAt: startedAt + fetchTimeoutMs }).then(
      (value) => {
        copy = { at: startedAt, value };
        return value;
      },
      (error: unknown) => {
        if (!signal.aborted) throw error;
        throw new ProviderError(
          ProviderErrorCode.Timeout,
          `${label}: no answer within ${fetchTimeoutMs} ms`,
          { cause: error },
        );
      },
    );
    loading = attempt;
    const settled = () => {
      if (loading === attempt) loading = undefined;
    };
    attempt.then(settled, settled);
    return attempt;
  }

  async function refresh(): Promise<void> {
    try {
      await loadOnce();
    } catch (error) {
      logger?.warn(
        {
          catalogue: label,
          code: error instanceof ProviderError ? error.code : undefined,
          err: error instanceof Error ? error.message : String(error),
          servingCopyFrom: copy ? new Date(copy.at).toISOString() : null,
        },
        copy
          ? 'catalogue refresh failed; serving the last good copy'
          : 'catalogue load failed; nothing to serve yet',
      );
    }
  }

  function schedule(): void {
    if (!running) return;
    const wait = refreshMs * (1 - jitter + 2 * jitter * random());
    timer = setTimeout(() => {
      void refresh().finally(schedule);
    }, wait);
    // Background work must not keep a stopping process alive.
    timer.unref();
  }

  return {
    get(signal) {
      if (copy) {
        if (now() - copy.at >= refreshMs && !loading) void refresh();
        return Promise.resolve(copy.value);
      }
      return abortable(loadOnce(), signal);
    },
    start() {
      if (running) return;
      running = true;
      if (!copy) void refresh();
      schedule();
    },
    stop() {
      running = false;
      clearTimeout(timer);
    },
    refresh,
  };
}
