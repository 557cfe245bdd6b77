/**
 * Fan-out and a hung provider: both about the providers' own latency, so they run through a
 * second gateway and scheduling whose slot cache never serves an answer (it still serves one when
 * a provider fails, as in production).
 */
import type { RunningSystem } from '@booking/tools';
import {
  admin,
  availability,
  log,
  type SimulatorLatencies,
  setLatencies,
  week,
} from '../client.js';
import { percentile, round, runLoad } from '../load.js';
import { outcomeLatencies } from '../measure.js';
import { startUncachedPair } from '../uncachedPair.js';

/** Simulated provider latencies for the fan-out phase (ms), set through the admin APIs. */
export const fanoutLatencies: SimulatorLatencies = { cliniq: 50, fhir: 100, rivta: 150, smart: 0 };
export const hungTenant = 'vastkusten';
const hungProviderName = 'Västkustens Vårdcentraler';
const noLatency: SimulatorLatencies = { cliniq: 0, fhir: 0, rivta: 0, smart: 0 };

export async function measureFanout(system: RunningSystem, deadlineMs: number) {
  const query = { filter: week(7), first: 50 };
  log('starting an uncached gateway and scheduling for the fan-out phases');
  const pair = await startUncachedPair(system, 'uncached');
  const { url } = pair;
  const simulatorCliniq = system.urls['simulator-cliniq']!;
  try {
    log('fan-out');
    await setLatencies(system, fanoutLatencies);
    await runLoad({
      concurrency: 4,
      maxRequests: 8,
      maxDurationMs: 10_000,
      task: () => availability(url, query),
    });
    const fanout = await runLoad({
      concurrency: 4,
      maxRequests: 200,
      maxDurationMs: 30_000,
      task: () => availability(url, query),
    });

    log('hung provider');
    await setLatencies(system, noLatency);
    await admin(simulatorCliniq, { tenants: { [hungTenant]: { latencyMs: 60_000 } } });
    const hung = await runLoad({
      concurrency: 4,
      maxRequests: 24,
      maxDurationMs: 20_000,
      task: async () => {
        const answer = await availability(url, query);
        const others = answer.edges.filter((e) => e.node.provider.name !== hungProviderName);
        return { ...answer, otherSlots: others.length };
      },
    });
    await admin(simulatorCliniq, { tenants: { [hungTenant]: { latencyMs: null } } });

    const fanoutOutcomes = outcomeLatencies(fanout.results);
    const providerLatenciesMs = Object.values(fanoutLatencies);
    return {
      fanout: {
        providerLatenciesMs,
        configuredLatenciesMs: fanoutLatencies,
        slowestProviderMs: Math.max(...providerLatenciesMs),
        p50Ms: round(percentile(fanout.latenciesMs, 50)),
        p99Ms: round(percentile(fanout.latenciesMs, 99)),
        requests: fanout.latenciesMs.length,
        errors: fanout.errors,
        errorSamples: fanout.errorSamples,
        concurrency: 4,
        slowestMeasuredProviderP50Ms: Math.max(
          ...Object.values(fanoutOutcomes).map((o) => o.p50Ms),
        ),
        providerOutcomeLatencyMs: fanoutOutcomes,
      },
      hungProvider: {
        deadlineMs,
        p50Ms: round(percentile(hung.latenciesMs, 50)),
        p99Ms: round(percentile(hung.latenciesMs, 99)),
        otherProvidersSlots: hung.results.length
          ? Math.min(...hung.results.map((r) => r.otherSlots))
          : 0,
        hungProvider: hungProviderName,
        requests: hung.latenciesMs.length,
        errors: hung.errors,
        errorSamples: hung.errorSamples,
        providerOutcomeLatencyMs: outcomeLatencies(hung.results),
      },
    };
  } finally {
    await pair.stop();
  }
}
