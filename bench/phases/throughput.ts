/** Throughput of the cached path: the same query through the gateway and to scheduling directly. */
import type { RunningSystem } from '@booking/tools';
import { availability, log, week } from '../client.js';
import { round, runLoad } from '../load.js';
import { cpuMs, stats } from '../measure.js';

const concurrency = 16;
const durationSeconds = 15;
/** Warm searches, one at a time, whose scheduling CPU time is measured. */
const cpuSearches = 500;

export async function measureThroughput(system: RunningSystem) {
  log('throughput');
  const query = { filter: week(7), first: 50 };
  const gatewayUrl = system.graphqlUrl;
  const schedulingUrl = `${system.urls.scheduling}/graphql`;
  const load = (url: string, maxDurationMs: number) =>
    runLoad({
      concurrency,
      maxRequests: 100_000,
      maxDurationMs,
      task: () => availability(url, query),
    });
  for (const url of [gatewayUrl, schedulingUrl]) await load(url, 3000);
  const viaGateway = await load(gatewayUrl, durationSeconds * 1000);
  const direct = await load(schedulingUrl, durationSeconds * 1000);

  // Scheduling's CPU per warm search (the cache is warm from the loads above): its process's CPU
  // time around identical searches sent straight to it, one at a time.
  const pid = system.processes.scheduling?.child.pid;
  let schedulingCpuMsPerSearch: number | null = null;
  if (pid !== undefined) {
    const before = await cpuMs(pid);
    for (let i = 0; i < cpuSearches; i += 1) await availability(schedulingUrl, query);
    schedulingCpuMsPerSearch = round(((await cpuMs(pid)) - before) / cpuSearches, 3);
  }

  // Share of provider answers that came from the slot cache.
  const served = [...viaGateway.results, ...direct.results].flatMap((answer) =>
    answer.providerOutcomes.filter((o) => o.status === 'OK'),
  );
  const cacheHits = served.filter((o) => (o.ageMs ?? 0) > 0).length;
  const gatewayRps = round(viaGateway.requestsPerSecond);
  const directSchedulingRps = round(direct.requestsPerSecond);
  return {
    gatewayRps,
    directSchedulingRps,
    ratio: directSchedulingRps > 0 ? round(gatewayRps / directSchedulingRps, 3) : 0,
    cacheHitRatio: served.length ? round(cacheHits / served.length, 3) : 0,
    schedulingCpuMsPerSearch,
    cpuSearches,
    concurrency,
    durationSeconds,
    gateway: { ...stats(viaGateway.latenciesMs), errors: viaGateway.errors },
    direct: { ...stats(direct.latenciesMs), errors: direct.errors },
    errorSamples: [...viaGateway.errorSamples, ...direct.errorSamples],
  };
}
