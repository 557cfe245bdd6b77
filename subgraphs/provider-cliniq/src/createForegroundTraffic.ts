/**
 * A connection's foreground traffic: the GraphQL requests the subgraph serves and the calls to
 * Cliniq they make. Background work (the change poll) makes way for it, so that it never spends
 * the tenant's rate limit in the middle of a search's burst of calls, nor runs while a request
 * is being answered.
 */
export interface ForegroundTraffic {
  /** Runs `work` (a contract call that asks Cliniq) as foreground traffic. */
  during<T>(work: () => Promise<T>): Promise<T>;
  /** Marks a request that arrived now (whether or not it will ask Cliniq). */
  touch(): void;
  /** Whether a foreground call is running, or anything happened less than `quietMs` ago. */
  busy(quietMs: number): boolean;
}

export function createForegroundTraffic(now: () => number): ForegroundTraffic {
  let running = 0;
  let lastSeenAt = Number.NEGATIVE_INFINITY;
  return {
    async during(work) {
      running += 1;
      try {
        return await work();
      } finally {
        running -= 1;
        lastSeenAt = now();
      }
    },
    touch() {
      lastSeenAt = now();
    },
    busy: (quietMs) => running > 0 || now() - lastSeenAt < quietMs,
  };
}
