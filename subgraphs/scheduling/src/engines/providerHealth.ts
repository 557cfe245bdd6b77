/** How one call to a provider went. */
export type CallOutcome = 'OK' | 'TIMEOUT' | 'ERROR';

export type HealthStatus = 'UP' | 'DEGRADED' | 'DOWN';

/** How many recent calls per provider the status is computed from. */
export const healthWindow = 10;

/**
 * Tracks the recent outcomes of calls to each provider connection and derives its status: DOWN
 * after `downAfter` failures in a row (or a catalogue it could not give), DEGRADED when any recent
 * call failed, else UP.
 */
export function createProviderHealth(downAfter = 3) {
  const recent = new Map<string, CallOutcome[]>();
  const catalogueDown = new Set<string>();

  return {
    record(connectionId: string, outcome: CallOutcome): void {
      const list = recent.get(connectionId) ?? [];
      list.push(outcome);
      if (list.length > healthWindow) list.shift();
      recent.set(connectionId, list);
    },
    setCatalogueAvailable(connectionId: string, available: boolean): void {
      if (available) catalogueDown.delete(connectionId);
      else catalogueDown.add(connectionId);
    },
    status(connectionId: string): HealthStatus {
      if (catalogueDown.has(connectionId)) return 'DOWN';
      const list = recent.get(connectionId) ?? [];
      const tail = list.slice(-downAfter);
      if (tail.length === downAfter && tail.every((o) => o !== 'OK')) return 'DOWN';
      return list.some((o) => o !== 'OK') ? 'DEGRADED' : 'UP';
    },
  };
}

export type ProviderHealth = ReturnType<typeof createProviderHealth>;
