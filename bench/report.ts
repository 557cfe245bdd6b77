/** The bench result as a Markdown summary: each figure against its target. */
import type { BenchResult } from './runBench.js';

const mark = (ok: boolean) => (ok ? 'yes' : '**no**');

export function renderReport(result: BenchResult): string {
  const { fanout: f, hungProvider: h, throughput: t, reservations: r, soak: s } = result;
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
    [
      'Scheduling CPU per warm search',
      'report only',
      t.schedulingCpuMsPerSearch === null ? 'not measured' : `${t.schedulingCpuMsPerSearch} ms`,
      true,
    ],
    [
      'Reservations',
      '≥ 200 confirmed/s',
      `${r.confirmedPerSecond}/s (${r.confirmed} of ${r.attempted})`,
      r.confirmedPerSecond >= 200,
    ],
    ['Double bookings', '0', `${r.doubleBookings}`, r.doubleBookings === 0],
    [
      'Soak: RSS of every process after warm-up',
      `troughs grow < 10 % over ${s.seconds - s.warmUpSeconds} s`,
      `at most ${s.maxTroughGrowthPercent} % (peaks ${s.maxGrowthPercent} %)`,
      s.maxTroughGrowthPercent < 10,
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
  const latencies = Object.entries(f.configuredLatenciesMs)
    .map(([name, ms]) => `${name} ${ms} ms`)
    .join(', ');
  return `# Benchmark (${result.generatedAt})

${result.machine.cpus} CPUs, Node ${result.machine.node}; system start-up ${result.startupSeconds} s, whole run ${result.totalSeconds} s.

| Figure | Target | Measured | Met |
| --- | --- | --- | --- |
${rows.map(([figure, target, measured, ok]) => `| ${figure} | ${target} | ${measured} | ${mark(ok)} |`).join('\n')}

- Fan-out: ${f.requests} availability queries (7 days, first 50) at concurrency ${f.concurrency} through a gateway whose scheduling never serves from its slot cache, simulator latencies ${latencies}; ${f.errors} errors. "Slowest provider" is the slowest configured simulator latency; a provider subgraph may call its simulator more than once per query, so the providers' own \`latencyMs\` (below) is the fairer floor: slowest p50 ${f.slowestMeasuredProviderP50Ms} ms.
- Hung provider: Cliniq tenant \`${result.hungTenant}\` delayed 60 s, deadline ${h.deadlineMs} ms, ${h.requests} queries (uncached, as fan-out), ${h.errors} errors; the knob is reset afterwards. Its statuses (below) show the circuit opening.
- Throughput: the same query, concurrency ${t.concurrency}, ${t.durationSeconds} s each after a 3 s warm-up, simulator latencies 0, default slot cache (fresh 15 s, then stale-while-revalidate); the cache hit ratio is the share of provider answers served from it. Scheduling CPU per warm search: user + system CPU time of the scheduling process (\`/proc/<pid>/stat\`) over ${t.cpuSearches} identical searches sent to it one at a time after the throughput runs, whole request included (HTTP, GraphQL, the search); the machine's other load inflates it.
- Reservations: \`reserveSlot\` on ${r.slotsFound} distinct free API-bookable slots at concurrency ${r.concurrency} (${JSON.stringify(r.slotsPerProvider)}); outcomes ${JSON.stringify(r.outcomes)}, ${r.errors} errors; double bookings counted in the ledger (CONFIRMED rows per connection and slot).
- Soak: ${s.seconds} s at concurrency ${s.concurrency}, three availability searches to one book-then-cancel; \`${s.failingSimulator}\` down (every request 503) at ${JSON.stringify(s.downFlipsAtSeconds)} s alternately; ${s.requests} requests, outcomes ${JSON.stringify(s.outcomes)}, latency p50 ${s.latency.p50Ms} ms, p99 ${s.latency.p99Ms} ms.

Fan-out per-provider \`latencyMs\` (from \`providerOutcomes\`):

| Provider | p50 ms | p99 ms | statuses |
| --- | --- | --- | --- |
${outcomeRows(f.providerOutcomeLatencyMs)}

Hung provider per-provider \`latencyMs\`:

| Provider | p50 ms | p99 ms | statuses |
| --- | --- | --- | --- |
${outcomeRows(h.providerOutcomeLatencyMs)}

Soak: resident memory per process (MB). Peak growth: the largest sample after the ${s.warmUpSeconds} s warm-up against the first after it. RSS saws with garbage collection, so a leak shows as rising troughs: the lowest sample of the last quarter after warm-up against the first quarter's.

| Process | start | after warm-up | max | end | peak growth % | troughs | trough growth % |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rssRows}
`;
}
