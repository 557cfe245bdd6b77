import { type Meter, metrics } from '@opentelemetry/api';

/** How a search found one provider connection's slots. */
export type CacheLookup = 'hit' | 'stale' | 'miss';

/**
 * The scheduling subgraph's own metrics, through the OpenTelemetry API: no-ops until a meter
 * provider is registered (the service's telemetry set-up, or a test's in-memory reader).
 */
export function createSchedulingMetrics(meter: Meter = metrics.getMeter('booking.scheduling')) {
  const lookups = meter.createCounter('booking.slot_cache.lookups', {
    description:
      'Searches of one provider connection by how the cache served them: hit (fresh), stale (served, refreshed in the background), miss (provider asked)',
  });
  const servedOnFailure = meter.createCounter('booking.slot_cache.served_on_failure', {
    description: 'Searches answered from the cache because the provider failed or timed out',
  });
  const invalidations = meter.createCounter('booking.slot_cache.invalidations', {
    description:
      'Clinic days dropped from the cache because the platform booked or released a slot',
  });
  const circuitChanges = meter.createCounter('booking.provider.circuit_changes', {
    description:
      "Changes of a provider connection's circuit (CLOSED, OPEN, HALF_OPEN, COOLING_DOWN)",
  });

  return {
    cacheLookup(connectionId: string, result: CacheLookup) {
      lookups.add(1, { 'booking.connection': connectionId, 'booking.cache.result': result });
    },
    servedOnFailure(connectionId: string) {
      servedOnFailure.add(1, { 'booking.connection': connectionId });
    },
    invalidated(days: number) {
      invalidations.add(days);
    },
    circuitChanged(connectionId: string, state: string) {
      circuitChanges.add(1, { 'booking.connection': connectionId, 'booking.circuit.state': state });
    },
  };
}

export type SchedulingMetrics = ReturnType<typeof createSchedulingMetrics>;
