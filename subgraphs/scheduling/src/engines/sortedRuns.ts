import type { SortKey } from './cursors.js';
import { compareKeys } from './paginate.js';

/**
 * Items ordered by start, then key (the availability order), with both computed once: one cached
 * cell's slots. Runs are merged lazily, so a page costs its own size, not the size of the window.
 */
export interface SortedRun<T> {
  readonly items: readonly T[];
  readonly startMs: readonly number[];
  readonly keys: readonly string[];
}

const precedes = (aStart: number, aKey: string, bStart: number, bKey: string) =>
  aStart < bStart || (aStart === bStart && aKey < bKey);

/**
 * A run of `items`, dropping those without a valid start. Items already in order (cells are stored
 * sorted) are taken as they are; others are sorted here, since stores written by older code and
 * providers are not trusted to keep the order.
 */
export function toSortedRun<T>(
  items: readonly T[],
  startOf: (item: T) => number,
  keyOf: (item: T) => string,
): SortedRun<T> {
  let rows: { item: T; startMs: number; key: string }[] = [];
  let ordered = true;
  for (const item of items) {
    const startMs = startOf(item);
    if (Number.isNaN(startMs)) continue;
    const key = keyOf(item);
    const last = rows.at(-1);
    if (last && !precedes(last.startMs, last.key, startMs, key)) ordered = false;
    rows.push({ item, startMs, key });
  }
  if (!ordered) {
    rows = rows.sort((a, b) =>
      precedes(a.startMs, a.key, b.startMs, b.key)
        ? -1
        : precedes(b.startMs, b.key, a.startMs, a.key)
          ? 1
          : 0,
    );
  }
  return {
    items: rows.map((row) => row.item),
    startMs: rows.map((row) => row.startMs),
    keys: rows.map((row) => row.key),
  };
}

/** Which part of the runs a page reads. */
export interface RunWindow {
  /** Items starting in [fromMs, toMs) only. */
  fromMs: number;
  toMs: number;
  /** Only items whose sort key (`[startMs, key]`) is greater than this: the page's cursor. */
  after: SortKey | null;
}

/** The first index of `run` inside the window and after its cursor (binary searches). */
export function firstIndex<T>(run: SortedRun<T>, window: RunWindow): number {
  let low = 0;
  let high = run.startMs.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (run.startMs[mid]! < window.fromMs) low = mid + 1;
    else high = mid;
  }
  if (!window.after) return low;
  const after = window.after;
  high = run.startMs.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareKeys([run.startMs[mid]!, run.keys[mid]!], after) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The first index of `run` starting at or after `toMs`. */
export function endIndex<T>(run: SortedRun<T>, toMs: number): number {
  let low = 0;
  let high = run.startMs.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (run.startMs[mid]! < toMs) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Whether an item may be shown; asked only of items the merge reaches. */
export type Accept<T> = (item: T, key: string, startMs: number) => boolean;

/**
 * The first `limit` items of the runs merged in (start, key) order, inside `window`, that `accept`
 * lets through, each key once (a key listed twice is shown at its earliest place). A k-way merge
 * over a binary heap of the runs' heads: it stops at `limit`, and asks `accept` only of the items
 * it passes.
 */
export function mergeRuns<T>(
  runs: readonly SortedRun<T>[],
  window: RunWindow,
  limit: number,
  accept: Accept<T>,
): T[] {
  // The heap holds run numbers, ordered by each run's current head.
  const position: number[] = [];
  const end: number[] = [];
  const heap: number[] = [];
  const less = (a: number, b: number) => {
    const ra = runs[a]!;
    const rb = runs[b]!;
    const ia = position[a]!;
    const ib = position[b]!;
    return precedes(ra.startMs[ia]!, ra.keys[ia]!, rb.startMs[ib]!, rb.keys[ib]!);
  };
  const siftDown = (from: number) => {
    let i = from;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && less(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && less(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  };
  runs.forEach((run, r) => {
    position[r] = firstIndex(run, window);
    end[r] = endIndex(run, window.toMs);
    if (position[r]! < end[r]!) heap.push(r);
  });
  for (let i = (heap.length >>> 1) - 1; i >= 0; i -= 1) siftDown(i);

  const taken: T[] = [];
  const seen = new Set<string>();
  while (heap.length > 0 && taken.length < limit) {
    const r = heap[0]!;
    const run = runs[r]!;
    const i = position[r]!;
    const key = run.keys[i]!;
    if (!seen.has(key) && accept(run.items[i]!, key, run.startMs[i]!)) {
      seen.add(key);
      taken.push(run.items[i]!);
    }
    position[r] = i + 1;
    if (position[r]! >= end[r]!) {
      heap[0] = heap.at(-1)!;
      heap.pop();
    }
    siftDown(0);
  }
  return taken;
}

/** How many distinct keys inside the window (its cursor ignored) `accept` lets through. */
export function countRuns<T>(
  runs: readonly SortedRun<T>[],
  window: Omit<RunWindow, 'after'>,
  accept: Accept<T>,
): number {
  const seen = new Set<string>();
  for (const run of runs) {
    const last = endIndex(run, window.toMs);
    for (let i = firstIndex(run, { ...window, after: null }); i < last; i += 1) {
      const key = run.keys[i]!;
      if (!seen.has(key) && accept(run.items[i]!, key, run.startMs[i]!)) seen.add(key);
    }
  }
  return seen.size;
}
