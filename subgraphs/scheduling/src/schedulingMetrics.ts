import { type Meter, metrics, type ObservableCallback } from '@opentelemetry/api';
import type { CircuitStatus } from './engines/providerHealth.js';

/** How a search found one provider connection's slots. */
export type CacheLookup = 'hit' | 'stale' | 'miss';

/** How one guarded provider call ended: `OK`, or why not. */
export type ProviderCallOutcome = 'OK' | 'TIMEOUT' | 'ERROR' | 'CIRCUIT_OPEN' | 'BUSY';

const circuitStatuses: readonly CircuitStatus[] = ['CLOSED', 'OPEN', 'HALF_OPEN', 'COOLING_DOWN'];

/** Latency buckets in seconds, up to past the longest provider deadline. */
const callBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10];

/**
 * The scheduling subgraph's own metrics, through the OpenTelemetry API: no-ops until a meter
 * provider is registered (the service's telemetry set-up, or a test's in-memory reader).
 */
export function createSchedulingMetrics(meter: Meter = metrics.getMeter('booking.scheduling')) {
  const counter = (name: string, description: string) => meter.createCounter(name, { description });
  const lookups = counter(
    'booking.slot_cache.lookups',
    'Searches of one provider connection by how the cache served them: hit (fresh), stale (served, refreshed in the background), miss (provider asked)',
  );
  const servedOnFailure = counter(
    'booking.slot_cache.served_on_failure',
    'Searches answered from the cache because the provider failed or timed out',
  );
  const invalidations = counter(
    'booking.slot_cache.invalidations',
    'Clinic days dropped from the cache because the platform booked or released a slot',
  );
  const circuitChanges = counter(
    'booking.provider.circuit_changes',
    "Changes of a provider connection's circuit (CLOSED, OPEN, HALF_OPEN, COOLING_DOWN)",
  );
  const circuitState = meter.createObservableGauge('booking.provider.circuit.state', {
    description:
      "A provider connection's circuit: 1 for the state it is in (booking.circuit.state), 0 for the others",
  });
  const providerCalls = meter.createHistogram('booking.provider.call.duration', {
    description:
      'Calls to provider connections (retries and waiting included) by outcome: OK, TIMEOUT, ERROR, CIRCUIT_OPEN (not called), BUSY (not called)',
    unit: 's',
    advice: { explicitBucketBoundaries: callBuckets },
  });
  const reservations = counter(
    'booking.reservations',
    'Booking mutations by operation and outcome: the reservation status reached, or the typed failure',
  );
  const reconcileLookUps = counter(
    'booking.reconcile.lookups',
    'Look-ups of PENDING reservations at their provider by the reconciler, by what it said: FOUND, NOT_BOOKED, or UNKNOWN (it cannot tell, or did not answer: the reservation stays PENDING)',
  );
  const clinicChanges = counter(
    'booking.clinic_changes',
    'Changes at the clinic that providers reported (by push or poll) or the sweep of live bookings found, by connection, kind, source and outcome (APPLIED, CURRENT, OUT_OF_ORDER, IN_FLIGHT, ENDED, UNKNOWN_RESERVATION, CONFLICT)',
  );
  const clinicChangeLag = meter.createHistogram('booking.clinic_changes.lag', {
    description:
      'From a change at the clinic (the provider’s time) to the ledger recording it, by connection and source',
    unit: 's',
    advice: {
      explicitBucketBoundaries: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600],
    },
  });
  const eventsWritten = counter(
    'booking.reservation_events',
    'Reservation events written to the outbox (one per committed transition), by the status reached',
  );
  const webhookAttempts = counter(
    'booking.webhooks.attempts',
    'Attempts to deliver a webhook, by outcome: DELIVERED (the endpoint answered 2xx) or FAILED (it will be tried again, or has failed for good)',
  );
  const webhookLag = meter.createHistogram('booking.webhooks.delivery_lag', {
    description: 'From a reservation event to the attempt that delivered (or failed to deliver) it',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600, 86400] },
  });
  const overdue = meter.createObservableGauge('booking.reservations.overdue', {
    description:
      'PENDING reservations unsettled for longer than RECONCILE_ALERT_AFTER_MS, by connection: nobody can tell whether they are booked; alert above 0',
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
    /** Reports every known connection's circuit whenever metrics are collected; returns a stop. */
    observeCircuits(
      read: () => Iterable<readonly [connectionId: string, status: CircuitStatus]>,
    ): () => void {
      const callback: ObservableCallback = (result) => {
        for (const [connectionId, status] of read()) {
          for (const state of circuitStatuses) {
            result.observe(state === status ? 1 : 0, {
              'booking.connection': connectionId,
              'booking.circuit.state': state,
            });
          }
        }
      };
      circuitState.addCallback(callback);
      return () => circuitState.removeCallback(callback);
    },
    providerCall(
      connectionId: string,
      kind: string,
      outcome: ProviderCallOutcome,
      seconds: number,
    ) {
      providerCalls.record(seconds, {
        'booking.connection': connectionId,
        'booking.call.kind': kind,
        'booking.outcome': outcome,
      });
    },
    reconcileLookUp(connectionId: string, result: 'FOUND' | 'NOT_BOOKED' | 'UNKNOWN') {
      reconcileLookUps.add(1, {
        'booking.connection': connectionId,
        'booking.lookup.result': result,
      });
    },
    /** One change at the clinic recorded, and how long after it happened. */
    clinicChange(
      connectionId: string,
      change: { kind: string; source: string; outcome: string; lagMs: number },
    ) {
      const connection = { 'booking.connection': connectionId };
      clinicChanges.add(1, {
        ...connection,
        'booking.change.kind': change.kind,
        'booking.change.source': change.source,
        'booking.change.outcome': change.outcome,
      });
      clinicChangeLag.record(Math.max(0, change.lagMs) / 1000, {
        ...connection,
        'booking.change.source': change.source,
      });
    },
    /** One reservation event written (with the transition it records). */
    eventWritten(status: string) {
      eventsWritten.add(1, { 'booking.reservation.status': status });
    },
    /** One attempt to deliver a webhook, and how long after its event. */
    webhookAttempt(outcome: 'DELIVERED' | 'FAILED', lagMs: number) {
      webhookAttempts.add(1, { 'booking.webhook.outcome': outcome });
      webhookLag.record(Math.max(0, lagMs) / 1000, { 'booking.webhook.outcome': outcome });
    },
    /** Reports the overdue reservations per connection whenever metrics are collected; returns a stop. */
    observeOverdue(
      read: () => Iterable<readonly [connectionId: string, count: number]>,
    ): () => void {
      const callback: ObservableCallback = (result) => {
        for (const [connectionId, count] of read()) {
          result.observe(count, { 'booking.connection': connectionId });
        }
      };
      overdue.addCallback(callback);
      return () => overdue.removeCallback(callback);
    },
    reservation(operation: string, outcome: string) {
      reservations.add(1, {
        'booking.reservation.operation': operation,
        'booking.reservation.outcome': outcome,
      });
    },
  };
}

export type SchedulingMetrics = ReturnType<typeof createSchedulingMetrics>;
