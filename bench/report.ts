/** The bench result as a Markdown summary: each figure against its target. */
import type { BenchResult } from './runBench.js';

const mark = (ok: boolean) => (ok ? 'yes' : '**no**');

export function renderReport(result: BenchResult): string {
  const { fanout: f, hungProvider: h, throughput: t, peer: p, reservations: r, scale: c } = result;
  const s = result.soak;
  const largestTroughGrowth = Object.entries(s.rss).reduce(
    (largest, [name, p]) =>
      p.troughGrowthPercent > largest.growth ? { name, growth: p.troughGrowthPercent } : largest,
    { name: '–', growth: Number.NEGATIVE_INFINITY },
  ).name;
  const widest = Math.max(...c.cells.map((cell) => cell.connections));
  const weekAtWidest = c.cells.find((cell) => cell.connections === widest && cell.days === 7);
  const rows: [string, string, string, boolean][] = [
    [
      'Fan-out p50',
      `≤ slowest provider (${f.slowestProviderMs} ms) + 20 ms`,
      `${f.p50Ms} ms`,
      f.p50Ms <= f.slowestProviderMs + 20,
    ],
    [
      'Fan-out p99',
      `≤ slowest provider (${f.slowestProviderMs} ms) + 60 ms`,
      `${f.p99Ms} ms`,
      f.p99Ms <= f.slowestProviderMs + 60,
    ],
    [
      'Hung provider p99',
      `≤ deadline (${h.deadlineMs} ms) + 100 ms`,
      `${h.p99Ms} ms (p50 ${h.p50Ms} ms)`,
      h.p99Ms <= h.deadlineMs + 100,
    ],
    [
      'Hung provider: other providers answer',
      '> 0 slots from the others in every answer',
      `${h.otherProvidersSlots} (fewest in one answer)`,
      h.otherProvidersSlots > 0 && h.errors === 0,
    ],
    [
      'Gateway throughput',
      '≥ 0.4 × scheduling direct',
      `${t.gatewayRps} vs ${t.directSchedulingRps} req/s (${t.ratio}×)`,
      t.ratio >= 0.4,
    ],
    ['Cache hit ratio', 'report only', `${t.cacheHitRatio}`, true],
    ...(['identical', 'distinct'] as const).flatMap((mode): [string, string, string, boolean][] => [
      [
        `Beside Hive Gateway, ${mode === 'identical' ? 'identical queries' : 'a window per request'}`,
        '≥ 1 × Hive Gateway',
        `${p[mode].oursRps} vs ${p[mode].hiveRps} req/s (${p[mode].oursOverHive}×)`,
        p[mode].oursOverHive >= 1,
      ],
      [
        `Gateway vs direct, ${mode === 'identical' ? 'identical queries' : 'a window per request'}`,
        '≥ 0.4 × scheduling direct',
        `${p[mode].oursRps} vs ${p[mode].directRps} req/s (${p[mode].oursOverDirect}×)`,
        p[mode].oursOverDirect >= 0.4,
      ],
    ]),
    [
      'Scheduling CPU per warm search',
      'report only',
      t.schedulingCpuMsPerSearch === null ? 'not measured' : `${t.schedulingCpuMsPerSearch} ms`,
      true,
    ],
    [
      'Reservations through the gateway',
      '≥ 0.6 × the same bookings made directly on the simulators',
      `${r.confirmedPerSecond} vs ${r.directPerSecond} booked/s (${r.gatewayToDirect}×; ${r.confirmed} of ${r.attempted}, direct ${r.direct.booked} of ${r.direct.attempted})`,
      (r.gatewayToDirect ?? 0) >= 0.6,
    ],
    [
      'Reservation p99',
      `≤ the providers' own booking p99 (${r.direct.latency.p99Ms} ms) + 50 ms`,
      `${r.latency.p99Ms} ms (p50 ${r.latency.p50Ms} ms; direct p50 ${r.direct.latency.p50Ms} ms)`,
      r.p99OverDirectMs <= 50,
    ],
    ['Double bookings', '0', `${r.doubleBookings}`, r.doubleBookings === 0],
    [
      `Scale: p99 with ${widest} connections (7 days)`,
      `≤ slowest provider (${c.slowestProviderMs} ms) + 100 ms`,
      `${weekAtWidest?.p99Ms} ms (p50 ${weekAtWidest?.p50Ms} ms)`,
      (weekAtWidest?.p99Ms ?? Number.POSITIVE_INFINITY) <= c.slowestProviderMs + 100,
    ],
    [
      'Soak: V8 heap after GC of every platform process',
      `grows < 10 % over ${s.seconds - s.warmUpSeconds} s (simulators store bookings)`,
      (s.maxPlatformHeapGrowthPercent === null
        ? 'no process had a major collection after warm-up'
        : `at most ${s.maxPlatformHeapGrowthPercent} %`) +
        (s.platformWithoutMajorGc.length
          ? ` (no major collection, so no growth to measure: ${s.platformWithoutMajorGc.join(', ')})`
          : ''),
      s.maxPlatformHeapGrowthPercent !== null && s.maxPlatformHeapGrowthPercent < 10,
    ],
    [
      'Soak: gateway RSS after warm-up',
      `troughs grow < 10 % over ${s.seconds - s.warmUpSeconds} s`,
      `${s.rss.gateway?.troughGrowthPercent} % (peaks ${s.rss.gateway?.growthPercent} %)`,
      (s.rss.gateway?.troughGrowthPercent ?? Number.POSITIVE_INFINITY) < 10,
    ],
    [
      'Soak: RSS of every process after warm-up',
      'report only (simulators store bookings; the heap row above is the leak check)',
      `troughs at most ${s.maxTroughGrowthPercent} % (${largestTroughGrowth}), peaks ${s.maxGrowthPercent} %`,
      true,
    ],
    ['Soak: client errors', '0', `${s.errors} of ${s.requests}`, s.errors === 0],
  ];
  const outcomeRows = (detail: typeof f.providerOutcomeLatencyMs) =>
    Object.entries(detail)
      .map(([name, o]) => `| ${name} | ${o.p50Ms} | ${o.p99Ms} | ${JSON.stringify(o.statuses)} |`)
      .join('\n');
  const rssRows = Object.entries(s.rss)
    .map(
      ([name, p]) =>
        `| ${name} | ${p.startMb} | ${p.afterWarmUpMb} | ${p.maxMb} | ${p.endMb} | ${p.growthPercent} | ${p.earlyTroughMb} → ${p.lateTroughMb} | ${p.troughGrowthPercent} |`,
    )
    .join('\n');
  const scaleRows = c.cells
    .map(
      (cell) =>
        `| ${cell.connections} | ${cell.days}${cell.windowsPerSearch > 1 ? ` (${cell.windowsPerSearch} searches)` : ''} | ${cell.p50Ms} | ${cell.p99Ms} | ${cell.schedulingCpuMsPerSearch} | ${cell.searches} | ${cell.errors} | ${JSON.stringify(cell.providerStatuses)} |`,
    )
    .join('\n');
  const heapRows = Object.entries(s.heapAfterGc)
    .map(
      ([name, h]) =>
        `| ${name} | ${h.majorCollections} | ${h.minMb ?? '–'} | ${h.maxMb ?? '–'} | ${h.earlyMb ?? '–'} → ${h.lateMb ?? '–'} | ${h.growthPercent ?? '–'} |`,
    )
    .join('\n');
  const latencies = Object.entries(f.configuredLatenciesMs)
    .map(([name, ms]) => `${name} ${ms} ms`)
    .join(', ');
  return `# Benchmark (${result.generatedAt})

${result.machine.cpus} CPUs (load average ${result.machine.loadAverage.join(', ')} at the end), Node ${result.machine.node}; system start-up ${result.startupSeconds} s, whole run ${result.totalSeconds} s.

| Figure | Target | Measured | Met |
| --- | --- | --- | --- |
${rows.map(([figure, target, measured, ok]) => `| ${figure} | ${target} | ${measured} | ${mark(ok)} |`).join('\n')}

- Fan-out: ${f.requests} availability queries (7 days, first 50) at concurrency ${f.concurrency} through a gateway whose scheduling never serves from its slot cache, simulator latencies ${latencies}; ${f.errors} errors. "Slowest provider" is the slowest configured simulator latency; a provider subgraph may call its simulator more than once per query, so the providers' own \`latencyMs\` (below) is the fairer floor: slowest p50 ${f.slowestMeasuredProviderP50Ms} ms.
- Hung provider: Cliniq tenant \`${result.hungTenant}\` delayed 60 s, deadline ${h.deadlineMs} ms, ${h.requests} queries (uncached, as fan-out), ${h.errors} errors; the knob is reset afterwards. Its statuses (below) show the circuit opening.
- Throughput: the same query, concurrency ${t.concurrency}, ${t.durationSeconds} s each after a 3 s warm-up, simulator latencies 0, default slot cache (fresh 15 s, then stale-while-revalidate); the cache hit ratio is the share of provider answers served from it. Scheduling CPU per warm search: user + system CPU time of the scheduling process (\`/proc/<pid>/stat\`) over ${t.cpuSearches} identical searches sent to it one at a time after the throughput runs, whole request included (HTTP, GraphQL, the search); the machine's other load inflates it.
- Beside Hive Gateway ${p.hiveGatewayVersion}: README's 7-day availability query (\`first: 3\`) at concurrency ${p.concurrency} through our gateway, Hive Gateway (same supergraph and subgraphs, its own process) and scheduling directly, ${p.rounds} alternating rounds of ${p.runSeconds} s each; same answer from both gateways: ${p.sameAnswer ? 'yes' : '**no**'}. Identical queries: p50 ours ${p.identical.ours.p50Ms} ms, Hive ${p.identical.hive.p50Ms} ms; errors ${p.identical.ours.errors}/${p.identical.hive.errors}/${p.identical.direct.errors} (ours/Hive/direct). A window per request: p50 ours ${p.distinct.ours.p50Ms} ms, Hive ${p.distinct.hive.p50Ms} ms; errors ${p.distinct.ours.errors}/${p.distinct.hive.errors}/${p.distinct.direct.errors}.
- Reservations: ${r.slotsFound} distinct free API-bookable slots found through the gateway, every other one booked directly on its simulator (each system's own API, spoken by its provider's adapter in the bench process, no platform: outcomes ${JSON.stringify(r.direct.outcomes)}, ${r.direct.errors} errors), then the rest with \`reserveSlot\` through the gateway (${JSON.stringify(r.slotsPerProvider)}; outcomes ${JSON.stringify(r.outcomes)}, ${r.errors} errors), each at concurrency ${r.concurrency}; double bookings counted in the ledger (CONFIRMED rows per connection and slot).
- Soak: ${s.seconds} s at concurrency ${s.concurrency}, three availability searches to one book-then-cancel; \`${s.failingSimulator}\` down (every request 503) at ${JSON.stringify(s.downFlipsAtSeconds)} s alternately; ${s.requests} requests, outcomes ${JSON.stringify(s.outcomes)}, latency p50 ${s.latency.p50Ms} ms, p99 ${s.latency.p99Ms} ms.

Fan-out per-provider \`latencyMs\` (from \`providerOutcomes\`):

| Provider | p50 ms | p99 ms | statuses |
| --- | --- | --- | --- |
${outcomeRows(f.providerOutcomeLatencyMs)}

Hung provider per-provider \`latencyMs\`:

| Provider | p50 ms | p99 ms | statuses |
| --- | --- | --- | --- |
${outcomeRows(h.providerOutcomeLatencyMs)}

Scale: the same search (first 50) over more connections and longer windows, uncached as fan-out, same simulator latencies, concurrency ${c.concurrency}; ${c.providersUp} of ${c.providersListed} connections UP. A window over 30 days is searched as consecutive 30-day windows (the public limit is 31 days), so its latency and CPU are those of the whole sequence. Scheduling CPU is user + system time per search.

| Connections | Days | p50 ms | p99 ms | scheduling CPU ms/search | searches | errors | provider statuses |
| --- | --- | --- | --- | --- | --- | --- | --- |
${scaleRows}

Soak: resident memory per process (MB). Peak growth: the largest sample after the ${s.warmUpSeconds} s warm-up against the first after it. RSS saws with garbage collection, so a leak shows as rising troughs: the lowest sample of the last quarter after warm-up against the first quarter's.

| Process | start | after warm-up | max | end | peak growth % | troughs | trough growth % |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rssRows}

Soak: V8 heap after each major garbage collection (MB, every space but the young generation), the live data a leak makes grow: the collections after warm-up, their smallest and largest, and the median of the first quarter after warm-up against the last quarter's. RSS also holds the room V8 keeps for allocations until its next collection, which it widens under steady load on a host with much memory (bench/README.md), so RSS can rise while this stays flat.

| Process | major GCs | min | max | first → last quarter (median) | growth % |
| --- | --- | --- | --- | --- | --- |
${heapRows}
`;
}
