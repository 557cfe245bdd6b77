/**
 * Cost as work grows: the same search over 4, 16 and 40 provider connections and over 7, 28 and
 * 90 days, each through a gateway whose scheduling never serves from its slot cache (as fan-out).
 * Connections beyond the system's own are more Cliniq tenants, which is configuration: a second
 * Cliniq subgraph with many connections to the simulator's tenants takes the first one's place.
 * Asking connections in parallel should keep latency flat in their number; work should grow at
 * most linearly with the window.
 */
import type { RunningSystem } from '@booking/tools';
import { availability, graphql, log, setLatencies, week } from '../client.js';
import { percentile, round, runLoad } from '../load.js';
import { cpuMs, tally } from '../measure.js';
import { startUncachedPair } from '../uncachedPair.js';
import { fanoutLatencies } from './fanout.js';

export const connectionCounts = [4, 16, 40] as const;
export const windowDays = [7, 28, 90] as const;
/** The public API's longest window: a longer one is searched as consecutive windows, as a client pages. */
const longestWindowDays = 30;
const concurrency = 4;

/** `count` Cliniq connections to the simulator's two tenants, alternately. */
function cliniqConnections(simulatorUrl: string, count: number) {
  const tenants = ['nordklinik', 'vastkusten'];
  return Array.from({ length: count }, (_, i) => {
    const tenant = tenants[i % tenants.length]!;
    return {
      id: `scale-${String(i + 1).padStart(2, '0')}`,
      name: `Scale ${i + 1} (${tenant})`,
      baseUrl: `${simulatorUrl}/t/${tenant}/api/v1`,
      apiKey: `dev-key-${tenant}`,
    };
  });
}

/** The windows one search of `days` is made of (a client pages a quarter in 30-day steps). */
function windowsOf(days: number) {
  const whole = week(days);
  const windows: { from: string; to: string }[] = [];
  for (let at = 0; at < days; at += longestWindowDays) {
    const from = new Date(Date.parse(whole.from) + at * 86_400_000);
    const to = new Date(
      Math.min(Date.parse(whole.to), from.getTime() + longestWindowDays * 86_400_000),
    );
    windows.push({ from: from.toISOString(), to: to.toISOString() });
  }
  return windows;
}

interface ProviderEntry {
  id: string;
  system: string;
  status: string;
}

/** Every system once, then the extra Cliniq connections: the first `n` are a search's providers. */
function chooseProviders(all: readonly ProviderEntry[]): string[] {
  const firstOfSystem = new Map<string, string>();
  for (const p of all) if (!firstOfSystem.has(p.system)) firstOfSystem.set(p.system, p.id);
  const first = new Set(firstOfSystem.values());
  return [...first, ...all.filter((p) => !first.has(p.id)).map((p) => p.id)];
}

export async function measureScale(system: RunningSystem) {
  const total = Math.max(...connectionCounts);
  const simulatorCliniq = system.urls['simulator-cliniq']!;
  log(`scale: a Cliniq subgraph with more connections, an uncached scheduling and gateway`);
  const started: { stop(): Promise<void> }[] = [];
  try {
    const probe = await graphql(`${system.graphqlUrl}`, '{ providers { id system } }', {});
    // The other systems' connections stay; Cliniq makes up the rest of the largest count.
    const otherCount = (probe.data.providers as ProviderEntry[]).filter(
      (p) => p.system !== 'cliniq',
    ).length;
    const cliniq = await system.startInstance('provider-cliniq', {
      label: 'provider-cliniq-scale',
      env: {
        CLINIQ_CONNECTIONS: JSON.stringify(
          cliniqConnections(simulatorCliniq, Math.max(1, total - otherCount)),
        ),
      },
    });
    started.push(cliniq);
    const pair = await startUncachedPair(system, 'scale', {
      'provider-cliniq': `${cliniq.url}/graphql`,
    });
    started.push(pair);
    const { url, scheduling } = pair;
    const listed = await graphql(url, '{ providers { id system status } }', {});
    const all = listed.data.providers as ProviderEntry[];
    const order = chooseProviders(all);
    await setLatencies(system, fanoutLatencies);
    const schedulingPid = scheduling.child.pid!;
    const cells = [];
    for (const connections of connectionCounts) {
      const providerIds = order.slice(0, connections);
      for (const days of windowDays) {
        const windows = windowsOf(days);
        /** One search; its providers' statuses, so a cell shows whom the deadline cut off. */
        const search = async () => {
          const statuses: string[] = [];
          for (const window of windows) {
            const found = await availability(url, {
              filter: { ...window, providerIds },
              first: 50,
            });
            statuses.push(...found.providerOutcomes.map((o) => o.status));
          }
          return statuses;
        };
        // Warm-up: connections to every provider, the query plan, the first catalogue reads.
        await runLoad({
          concurrency,
          maxRequests: concurrency,
          maxDurationMs: 20_000,
          task: search,
        });
        const cpuBefore = await cpuMs(schedulingPid);
        const load = await runLoad({
          concurrency,
          maxRequests: 24,
          maxDurationMs: 20_000,
          task: search,
        });
        const cpuAfter = await cpuMs(schedulingPid);
        const searches = load.latenciesMs.length;
        cells.push({
          connections: providerIds.length,
          days,
          windowsPerSearch: windows.length,
          searches,
          errors: load.errors,
          p50Ms: round(percentile(load.latenciesMs, 50)),
          p99Ms: round(percentile(load.latenciesMs, 99)),
          schedulingCpuMsPerSearch: searches ? round((cpuAfter - cpuBefore) / searches) : null,
          providerStatuses: tally(load.results.flat()),
        });
        log(
          `scale: ${providerIds.length} connections, ${days} days: ${JSON.stringify(cells.at(-1))}`,
        );
      }
    }
    return {
      concurrency,
      providersListed: all.length,
      providersUp: all.filter((p) => p.status === 'UP').length,
      configuredLatenciesMs: fanoutLatencies,
      slowestProviderMs: Math.max(...Object.values(fanoutLatencies)),
      cells,
    };
  } finally {
    for (const process of started.reverse()) await process.stop();
  }
}
