import { describe, expect, it } from 'vitest';
import type { SimulatorControlEndpoint } from './providerUnderTest.js';
import type { SuiteContext } from './suiteContext.js';

/** Added to every vendor request while the check runs, so that calls sent together overlap. */
const probeLatencyMs = 40;

/** `GET /_admin/calls` of the simulator control protocol (`@booking/simulator-kit`). */
interface CallLog {
  depth: number;
  connections: Record<string, { depth: number; calls: unknown[] }>;
}

async function admin(
  control: SimulatorControlEndpoint,
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await fetch(`${control.url}/_admin/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok)
    throw new Error(`the simulator refused ${method} /_admin/${path}: ${response.status}`);
  return (await response.json()) as unknown;
}

/**
 * A search costs one round trip to the provider's system: with the catalogue loaded (it is kept
 * per connection and refreshed in the background), a week at one clinic is asked with every call
 * at once (days, pages, schedules) or with the system's own range query, never one call after
 * another. The simulator records each request's start and end; the call depth is the longest chain
 * of calls that did not overlap, and must be 1 (0 for a provider that answers from its own copy).
 */
export function describeRoundTrips(suite: SuiteContext): void {
  describe('round trips', () => {
    it('searches a week at one clinic, its catalogue loaded, in one round trip (calls at once, not one after another)', async (context) => {
      const control = suite.running().control;
      if (!control) context.skip(`${suite.system}: no simulator control to count calls through`);
      const from = new Date(suite.now.getTime() + 24 * 3600_000);
      const to = new Date(from.getTime() + 7 * 24 * 3600_000);
      const { latencyMs } = (await admin(control!, 'GET', 'config')) as { latencyMs: number };
      await admin(control!, 'POST', 'config', { latencyMs: probeLatencyMs });
      try {
        for (const connection of suite.connections()) {
          const clinic = connection.clinics.find((c) => c.treatmentIds.length > 0)!;
          const search = () => suite.findSlots(connection.id, from, to, { clinicIds: [clinic.id] });
          // Whatever a first search still loads (a lazy catalogue) is loaded by now.
          await search();
          await admin(control!, 'DELETE', 'calls');
          const slots = await search();
          const log = (await admin(control!, 'GET', 'calls')) as CallLog;
          const vendor = control!.connectionOf(connection.id);
          const depth = vendor === '*' ? log.depth : (log.connections[vendor]?.depth ?? 0);
          const calls =
            vendor === '*'
              ? Object.values(log.connections).flatMap((c) => c.calls).length
              : (log.connections[vendor]?.calls.length ?? 0);
          expect(slots.length, `${connection.id}: the search found no slots`).toBeGreaterThan(0);
          expect(
            { connection: connection.id, depth },
            `${connection.id}: ${calls} calls, ${depth} one after another`,
          ).toEqual({ connection: connection.id, depth: control!.readsServedFromCopy ? 0 : 1 });
        }
      } finally {
        await admin(control!, 'POST', 'config', { latencyMs });
      }
    });
  });
}
