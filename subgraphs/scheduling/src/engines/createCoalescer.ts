/**
 * Request coalescing: while a call for a key is in flight, identical calls share its promise
 * instead of starting their own. The key is forgotten as soon as the call settles, so nothing is
 * cached here; that is the slot cache's job.
 */
export function createCoalescer() {
  const inFlight = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, call: () => Promise<T>): Promise<T> {
      const shared = inFlight.get(key);
      if (shared) return shared as Promise<T>;
      const started = call().finally(() => inFlight.delete(key));
      inFlight.set(key, started);
      return started;
    },
    /** Calls in flight (tests and metrics). */
    get size(): number {
      return inFlight.size;
    },
  };
}

export type Coalescer = ReturnType<typeof createCoalescer>;
