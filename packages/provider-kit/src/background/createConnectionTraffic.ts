/**
 * A connection's foreground traffic: the contract calls the subgraph makes to it. The kit counts
 * every adapter call of the connection, so background work (`quiet` tasks) can make way for it.
 */
export interface ConnectionTraffic {
  /** Runs `work` (one contract call of the connection) as foreground traffic. */
  during<T>(work: () => Promise<T>): Promise<T>;
  /** Whether a call is running, or one ended less than `quietMs` ago. */
  busy(quietMs: number): boolean;
}

export function createConnectionTraffic(now: () => number = Date.now): ConnectionTraffic {
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
    busy: (quietMs) => running > 0 || now() - lastSeenAt < quietMs,
  };
}
