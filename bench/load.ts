/** A small closed-loop load generator: N workers, each sending one request after another. */

export interface LoadOptions<T> {
  /** Workers sending at once. */
  concurrency: number;
  /** Stop after this many requests in all (started, not only finished). */
  maxRequests: number;
  /** Start no request after this many milliseconds. */
  maxDurationMs: number;
  /** One request; `index` counts from 0 over all workers. Throwing counts as an error. */
  task: (index: number) => Promise<T>;
}

export interface LoadResult<T> {
  /** Latency of every finished request, successful or not, in milliseconds, in finish order. */
  latenciesMs: number[];
  /** What the successful tasks returned. */
  results: T[];
  /** Requests whose task threw. */
  errors: number;
  /** The first few error messages, for the report. */
  errorSamples: string[];
  /** Wall-clock time from the first start to the last finish. */
  durationMs: number;
  /** Finished requests per second over `durationMs`. */
  requestsPerSecond: number;
}

export async function runLoad<T>(options: LoadOptions<T>): Promise<LoadResult<T>> {
  const latenciesMs: number[] = [];
  const results: T[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const stopAt = started + options.maxDurationMs;

  async function worker(): Promise<void> {
    while (next < options.maxRequests && performance.now() < stopAt) {
      const index = next;
      next += 1;
      const t0 = performance.now();
      try {
        results.push(await options.task(index));
      } catch (error) {
        errors += 1;
        if (errorSamples.length < 5) errorSamples.push((error as Error).message.slice(0, 300));
      }
      latenciesMs.push(performance.now() - t0);
    }
  }

  await Promise.all(Array.from({ length: options.concurrency }, () => worker()));
  const durationMs = performance.now() - started;
  return {
    latenciesMs,
    results,
    errors,
    errorSamples,
    durationMs,
    requestsPerSecond: durationMs > 0 ? (latenciesMs.length * 1000) / durationMs : 0,
  };
}

/** The `p`-th percentile (0..100) by nearest rank; 0 for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Rounds to one decimal, for reports. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
