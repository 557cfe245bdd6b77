/** Requests of one connection since start or reset. */
export interface ConnectionTraffic {
  requests: number;
  reads: number;
  writes: number;
  /** Answered with a 5xx on purpose (down, `faultRate`, an `error` rule). */
  faults: number;
  /** Answered `429` (the rate limit or a `rateLimit` rule). */
  rateLimited: number;
  /** Held by a `hang` rule and dropped unanswered. */
  hung: number;
  /** Writes performed whose answer was lost on purpose. */
  lostAnswers: number;
}

/** The counters of `connection` in `traffic`, made at its first request. */
export function trafficOf(
  traffic: Map<string, ConnectionTraffic>,
  connection: string,
): ConnectionTraffic {
  let found = traffic.get(connection);
  if (!found) {
    found = {
      requests: 0,
      reads: 0,
      writes: 0,
      faults: 0,
      rateLimited: 0,
      hung: 0,
      lostAnswers: 0,
    };
    traffic.set(connection, found);
  }
  return found;
}
