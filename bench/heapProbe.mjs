/**
 * Loaded into every process the bench starts (`NODE_OPTIONS=--import=…/heapProbe.mjs`, set by
 * runBench.ts), never in production: after every major garbage collection (mark-compact) it
 * appends the V8 heap the collection left, in MB, to `$BENCH_HEAP_DIR/<pid>.jsonl`, one line
 * `{"atMs":…,"heapMb":…}` each. That is the live heap, what a leak makes grow; resident memory
 * (RSS) also holds the room V8 keeps for allocations until the next collection, which grows with
 * the load and the host's memory, not with a leak (bench/README.md, soak).
 *
 * The heap counted is every space except the young generation (new space and new large objects),
 * read when Node reports the collection: what was promoted since is negligible, whereas the young
 * generation fills with the requests in flight within milliseconds. Observing costs nothing the
 * service would notice and changes nothing: no collection is forced.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

const dir = process.env.BENCH_HEAP_DIR;
if (dir) {
  const file = join(dir, `${process.pid}.jsonl`);
  const young = new Set(['new_space', 'new_large_object_space']);
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      let bytes = 0;
      for (const space of v8.getHeapSpaceStatistics()) {
        if (!young.has(space.space_name)) bytes += space.space_used_size;
      }
      const heapMb = Math.round((bytes / 1048576) * 10) / 10;
      try {
        appendFileSync(file, `${JSON.stringify({ atMs: Date.now(), heapMb })}\n`);
      } catch {
        // The bench has gone (its directory removed): nothing to report to.
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
}
