import type { AvailabilityQuery, OutcomeStatus } from '@varden/booking-sdk';

export type ProviderOutcome = AvailabilityQuery['availability']['providerOutcomes'][number];

/** How much of a provider's times a status leaves out: the more, the more it must be shown. */
const severity: Record<OutcomeStatus, number> = {
  SKIPPED: 0,
  OK: 0,
  SERVED_FROM_CACHE: 1,
  CIRCUIT_OPEN: 2,
  TIMEOUT: 2,
  ERROR: 3,
};

const longer = (a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : Math.max(a, b);

/**
 * How each provider answered a search of several pages: every page asks (or reads the cache of)
 * every provider again, and a provider that failed on any page has times missing from the list.
 * Per provider: the worst status of any page (the first seen among equals) and the longest
 * latency. Providers keep the order they were first seen in.
 */
export function mergeOutcomes(
  seen: readonly ProviderOutcome[],
  page: readonly ProviderOutcome[],
): ProviderOutcome[] {
  const merged = new Map(seen.map((outcome) => [outcome.provider.id, outcome]));
  for (const outcome of page) {
    const before = merged.get(outcome.provider.id);
    if (!before) {
      merged.set(outcome.provider.id, outcome);
      continue;
    }
    const worse = severity[outcome.status] > severity[before.status] ? outcome : before;
    merged.set(outcome.provider.id, {
      ...worse,
      latencyMs: longer(before.latencyMs, outcome.latencyMs),
    });
  }
  return [...merged.values()];
}
