import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { heapFigures, readHeapProbe } from '../measure.js';

const probe = new URL('../heapProbe.mjs', import.meta.url).href;

describe('heapProbe.mjs', () => {
  let dir = '';
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reports the heap each major collection leaves, without forcing any', async () => {
    dir = await mkdtemp(join(tmpdir(), 'heap-probe-'));
    // 40 MB (50 arrays of 100 000 doubles) kept across one collection, then dropped before the next; each collection is
    // followed by a turn of the event loop, when Node reports it.
    const program = `
      const turn = () => new Promise((resolve) => setTimeout(resolve, 20));
      let kept = Array.from({ length: 50 }, (_, i) => new Array(100000).fill(i + 0.5));
      globalThis.gc(); await turn();
      kept = null;
      globalThis.gc(); await turn();`;
    const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', program], {
      env: { ...process.env, NODE_OPTIONS: `--import="${probe}"`, BENCH_HEAP_DIR: dir },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const [file] = await readdir(dir);
    const collections = await readHeapProbe(dir, Number(file!.replace('.jsonl', '')));
    // V8 may add a major collection of its own while the arrays are filled (under load it does):
    // the two forced ones are there whatever it adds, the last one after the data was dropped.
    expect(collections.length).toBeGreaterThanOrEqual(2);
    const heaps = collections.map((c) => c.heapMb);
    const without = heaps.at(-1)!;
    const withData = Math.max(...heaps.slice(0, -1));
    expect(withData - without).toBeGreaterThan(30);
  }, 30_000);

  it('writes nothing without BENCH_HEAP_DIR', async () => {
    dir = await mkdtemp(join(tmpdir(), 'heap-probe-'));
    const run = spawnSync(process.execPath, ['--expose-gc', '-e', 'globalThis.gc()'], {
      env: { ...process.env, NODE_OPTIONS: `--import="${probe}"`, BENCH_HEAP_DIR: '' },
      cwd: dir,
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  }, 30_000);
});

describe('heapFigures', () => {
  const at = (seconds: number, heapMb: number) => ({ atMs: seconds * 1000, heapMb });

  it('compares the median of the first quarter after warm-up with the last quarter', () => {
    // Warm-up until 100 s, end at 500 s: quarters 100–200 s and 400–500 s.
    const collections = [at(50, 10), at(110, 50), at(150, 52), at(190, 51), at(300, 70)];
    collections.push(at(410, 55), at(450, 56), at(490, 54));
    const figures = heapFigures(collections, 0, 100_000, 500_000);
    expect(figures).toMatchObject({
      majorCollections: 7,
      minMb: 50,
      maxMb: 70,
      earlyMb: 51,
      lateMb: 55,
      growthPercent: 7.8,
    });
    expect(figures.series[0]).toEqual([50, 10]);
  });

  it('rounds the medians to a tenth of a MB', () => {
    const figures = heapFigures([at(110, 36.8), at(490, 38.2), at(495, 38.4)], 0, 100_000, 500_000);
    expect([figures.earlyMb, figures.lateMb, figures.growthPercent]).toEqual([36.8, 38.3, 4.1]);
  });

  it('shows a leak as growth, and falls back to the first and last collection', () => {
    const leaking = [at(150, 40), at(250, 50), at(350, 60)];
    expect(heapFigures(leaking, 0, 100_000, 500_000)).toMatchObject({
      earlyMb: 40,
      lateMb: 60,
      growthPercent: 50,
    });
    expect(heapFigures([at(50, 10)], 0, 100_000, 500_000).growthPercent).toBeNull();
  });
});
