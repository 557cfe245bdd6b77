/** How one call to a provider went. */
export type CallOutcome = 'OK' | 'TIMEOUT' | 'ERROR';

export type HealthStatus = 'UP' | 'DEGRADED' | 'DOWN';

/** A connection's circuit: closed (called), open (skipped), half-open (probed), cooling down (`Retry-After`). */
export type CircuitStatus = 'CLOSED' | 'OPEN' | 'HALF_OPEN' | 'COOLING_DOWN';

/** How many recent calls per provider the status is computed from. */
export const healthWindow = 10;

/**
 * Derives each provider connection's public status: DOWN while its circuit is open (or its
 * catalogue could not be loaded), DEGRADED while the circuit is probing or cooling down after a
 * `Retry-After`, or when any of the last `healthWindow` calls failed; UP otherwise.
 */
export function createProviderHealth(circuit: (connectionId: string) => CircuitStatus) {
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
      const state = circuit(connectionId);
      if (catalogueDown.has(connectionId) || state === 'OPEN') return 'DOWN';
      if (state !== 'CLOSED') return 'DEGRADED';
      return (recent.get(connectionId) ?? []).some((o) => o !== 'OK') ? 'DEGRADED' : 'UP';
    },
  };
}

export type ProviderHealth = ReturnType<typeof createProviderHealth>;
