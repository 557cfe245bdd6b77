/** Figures from raw measurements: latency summaries, per-provider outcomes, process memory. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Outcome } from './client.js';
import { percentile, round } from './load.js';

export function stats(values: readonly number[]) {
  return {
    count: values.length,
    p50Ms: round(percentile(values, 50)),
    p90Ms: round(percentile(values, 90)),
    p99Ms: round(percentile(values, 99)),
    maxMs: round(values.length ? Math.max(...values) : 0),
  };
}

/** The `latencyMs` distribution of every provider's outcomes over many answers. */
export function outcomeLatencies(answers: readonly { providerOutcomes: Outcome[] }[]) {
  const byProvider = new Map<string, { latencies: number[]; statuses: Record<string, number> }>();
  for (const answer of answers) {
    for (const o of answer.providerOutcomes) {
      const entry = byProvider.get(o.provider.name) ?? { latencies: [], statuses: {} };
      if (o.latencyMs !== null) entry.latencies.push(o.latencyMs);
      entry.statuses[o.status] = (entry.statuses[o.status] ?? 0) + 1;
      byProvider.set(o.provider.name, entry);
    }
  }
  return Object.fromEntries(
    [...byProvider].map(([name, e]) => [name, { ...stats(e.latencies), statuses: e.statuses }]),
  );
}

/** Resident memory of a process (`VmRSS`), in MB. */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return round(kb / 1024);
}

/** Counts each value. */
export function tally(values: Iterable<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** One major garbage collection as `heapProbe.mjs` reports it: when, and the heap it left. */
export interface HeapAfterGc {
  atMs: number;
  heapMb: number;
}

/** What `heapProbe.mjs` wrote for one process (none when it wrote nothing). */
export async function readHeapProbe(heapDir: string, pid: number): Promise<HeapAfterGc[]> {
  const text = await readFile(join(heapDir, `${pid}.jsonl`), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as HeapAfterGc);
}

/** The median; `null` for no values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * A process's heap after GC over a soak that ran from `startedMs` to `endedMs` with its warm-up
 * over at `windowStartMs`: the collections after warm-up, their extremes, and the median of those
 * in the window's first quarter against its last quarter's (the first and last collection when a
 * quarter had none). A leak makes it grow; V8 sizing its heap for the load does not.
 */
export function heapFigures(
  collections: readonly HeapAfterGc[],
  startedMs: number,
  windowStartMs: number,
  endedMs: number,
) {
  const after = collections.filter((c) => c.atMs >= windowStartMs && c.atMs <= endedMs);
  const quarterMs = Math.max(1, endedMs - windowStartMs) / 4;
  const heapIn = (from: number, to: number) =>
    after.filter((c) => c.atMs >= from && c.atMs <= to).map((c) => c.heapMb);
  const earlyMb = median(heapIn(windowStartMs, windowStartMs + quarterMs)) ?? after[0]?.heapMb;
  const lateMb = median(heapIn(endedMs - quarterMs, endedMs)) ?? after.at(-1)?.heapMb;
  const heaps = after.map((c) => c.heapMb);
  return {
    majorCollections: after.length,
    minMb: heaps.length ? Math.min(...heaps) : null,
    maxMb: heaps.length ? Math.max(...heaps) : null,
    earlyMb: earlyMb === undefined ? null : round(earlyMb),
    lateMb: lateMb === undefined ? null : round(lateMb),
    growthPercent:
      earlyMb !== undefined && lateMb !== undefined
        ? round(((lateMb - earlyMb) / earlyMb) * 100)
        : null,
    /** Every collection of the soak, warm-up included: seconds since its start, MB. */
    series: collections
      .filter((c) => c.atMs >= startedMs && c.atMs <= endedMs)
      .map((c) => [round((c.atMs - startedMs) / 1000), c.heapMb] as const),
  };
}

/** Linux reports process CPU time in USER_HZ ticks, 100 per second on every architecture. */
const ticksPerSecond = 100;

/** CPU time (user + system) a process has used so far, in ms (`/proc/<pid>/stat`). */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/**
 * What `run` cost each running process of the system in CPU, in ms per unit of work (`units`,
 * e.g. bookings), by service name, most expensive first; the bench process itself is `bench`.
 */
export async function cpuPerUnit(
  processes: Record<string, { child: { pid?: number } }>,
  units: () => number,
  run: () => Promise<void>,
): Promise<Record<string, number>> {
  const pids = Object.entries(processes).flatMap(([name, { child }]) =>
    child.pid === undefined ? [] : [[name, child.pid] as const],
  );
  const sample = async () =>
    new Map([
      ...(await Promise.all(pids.map(async ([name, pid]) => [name, await cpuMs(pid)] as const))),
      ['bench', (process.cpuUsage().user + process.cpuUsage().system) / 1000] as const,
    ]);
  const before = await sample();
  await run();
  const after = await sample();
  const count = Math.max(1, units());
  return Object.fromEntries(
    [...after]
      .map(
        ([name, ms]) => [name, Math.round(((ms - before.get(name)!) / count) * 100) / 100] as const,
      )
      .sort((a, b) => b[1] - a[1]),
  );
}
