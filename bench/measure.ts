/** Figures from raw measurements: latency summaries, per-provider outcomes, process memory. */
import { readFile } from 'node:fs/promises';
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

/** Linux counts a process's CPU time in clock ticks of 10 ms (`getconf CLK_TCK` is 100). */
const msPerTick = 10;

/** CPU time (user + system) a process has used so far, in ms, from `/proc/<pid>/stat`. */
export async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after it are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * msPerTick;
}
