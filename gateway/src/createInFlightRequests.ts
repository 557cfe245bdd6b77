/** One shared call and the callers still waiting for it. */
interface Entry<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiting: number;
  settled: boolean;
}

/** Calls in flight by key, shared by the callers that ask for the same key meanwhile. */
export interface InFlightRequests<T> {
  /**
   * The answer of `start` for `key`: the call already in flight for that key when there is one,
   * else a new call. Nothing is kept once the call settles: the next caller starts another.
   *
   * @param key Everything that makes the answer differ; callers with equal keys get one answer.
   * @param start Starts the call; `signal` aborts it once no caller waits for it any more.
   * @param signal This caller's own abort: it stops waiting (rejecting with the signal's reason)
   *   while the others keep theirs. Default: none, the caller waits until the call settles.
   */
  run(key: string, start: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Calls in flight now. */
  readonly size: number;
  /** Callers waiting now, over every call in flight. */
  readonly waiting: number;
}

/**
 * Shares a call among the callers that ask for the same key while it is in flight (Hive Gateway's
 * and DataLoader's request deduplication, without a cache): identical concurrent requests cost
 * one. Every caller gets the same settled value, so values must be immutable (the gateway shares
 * a subgraph's answer as text, each caller parses its own). One caller's abort never ends the
 * call for the others; the call itself is aborted only when every caller has left.
 */
export function createInFlightRequests<T>(): InFlightRequests<T> {
  const entries = new Map<string, Entry<T>>();

  function leave(key: string, entry: Entry<T>, reason: unknown) {
    entry.waiting -= 1;
    if (entry.waiting > 0 || entry.settled) return;
    // Nobody waits any more: stop the call, and let the next caller start a fresh one rather
    // than join an aborted one.
    if (entries.get(key) === entry) entries.delete(key);
    entry.controller.abort(reason);
  }

  function open(key: string, start: (signal: AbortSignal) => Promise<T>): Entry<T> {
    const controller = new AbortController();
    const entry: Entry<T> = {
      promise: Promise.resolve().then(() => start(controller.signal)),
      controller,
      waiting: 0,
      settled: false,
    };
    const settle = () => {
      entry.settled = true;
      if (entries.get(key) === entry) entries.delete(key);
    };
    entry.promise.then(settle, settle);
    entries.set(key, entry);
    return entry;
  }

  return {
    run(key, start, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      const entry = entries.get(key) ?? open(key, start);
      entry.waiting += 1;
      if (!signal) {
        return entry.promise.finally(() => {
          entry.waiting -= 1;
        });
      }
      return new Promise<T>((resolve, reject) => {
        let left = false;
        const onAbort = () => {
          left = true;
          leave(key, entry, signal.reason);
          reject(signal.reason);
        };
        const finish = () => {
          signal.removeEventListener('abort', onAbort);
          if (left) return false;
          entry.waiting -= 1;
          return true;
        };
        signal.addEventListener('abort', onAbort, { once: true });
        entry.promise.then(
          (value) => finish() && resolve(value),
          (error: unknown) => finish() && reject(error),
        );
      });
    },
    get size() {
      return entries.size;
    },
    get waiting() {
      let waiting = 0;
      for (const entry of entries.values()) waiting += entry.waiting;
      return waiting;
    },
  };
}
