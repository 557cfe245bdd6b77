import { describe, expect, it } from 'vitest';
import { createCursorSealer } from '../src/engines/cursors.js';
import { mergeSlots, slotKey } from '../src/engines/mergeSlots.js';
import { type Page, paginate } from '../src/engines/paginate.js';
import {
  countRuns,
  endIndex,
  firstIndex,
  mergeRuns,
  type SortedRun,
  toSortedRun,
} from '../src/engines/sortedRuns.js';

const at = (hhmm: string) => Date.parse(`2026-05-04T${hhmm}:00Z`);
interface Item {
  key: string;
  startMs: number;
  clinic?: string;
}
const item = (key: string, hhmm: string, clinic = 'c'): Item => ({
  key,
  startMs: at(hhmm),
  clinic,
});
const run = (...items: Item[]): SortedRun<Item> =>
  toSortedRun(
    items,
    (i) => i.startMs,
    (i) => i.key,
  );
const everything = { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, after: null };
const always = () => true;
const keys = (items: readonly Item[]) => items.map((i) => i.key);

describe('toSortedRun', () => {
  it.each([
    {
      name: 'keeps a run already in order',
      given: ['a 08:00', 'b 08:00', 'c 09:00'],
      expected: ['a', 'b', 'c'],
    },
    { name: 'sorts by start', given: ['c 09:00', 'a 07:00', 'b 08:00'], expected: ['a', 'b', 'c'] },
    {
      name: 'breaks ties by key',
      given: ['z 08:00', 'a 08:00', 'm 08:00'],
      expected: ['a', 'm', 'z'],
    },
    {
      name: 'drops items without a start',
      given: ['a 08:00', 'bad', 'b 09:00'],
      expected: ['a', 'b'],
    },
    { name: 'is empty for nothing', given: [], expected: [] },
  ])('$name', ({ given, expected }) => {
    const items = given.map((text) => {
      const [key, hhmm] = text.split(' ');
      return { key: key!, startMs: hhmm ? at(hhmm) : Number.NaN };
    });
    const sorted = run(...items);
    expect(keys(sorted.items)).toEqual(expected);
    expect(sorted.keys).toEqual(expected);
    expect(sorted.startMs).toEqual(sorted.items.map((i) => i.startMs));
  });
});

describe('firstIndex and endIndex (binary search)', () => {
  const r = run(item('a', '08:00'), item('b', '09:00'), item('c', '09:00'), item('d', '10:00'));
  it.each([
    { name: 'whole run', window: { fromMs: 0, toMs: at('23:00'), after: null }, first: 0, end: 4 },
    {
      name: 'from a start',
      window: { fromMs: at('09:00'), toMs: at('23:00'), after: null },
      first: 1,
      end: 4,
    },
    {
      name: 'between starts',
      window: { fromMs: at('08:30'), toMs: at('09:30'), after: null },
      first: 1,
      end: 3,
    },
    {
      name: 'to is exclusive',
      window: { fromMs: 0, toMs: at('10:00'), after: null },
      first: 0,
      end: 3,
    },
    {
      name: 'after a tie, by key',
      window: { fromMs: 0, toMs: at('23:00'), after: [at('09:00'), 'b'] },
      first: 2,
      end: 4,
    },
    {
      name: 'after a key not in the run',
      window: { fromMs: 0, toMs: at('23:00'), after: [at('09:00'), 'bb'] },
      first: 2,
      end: 4,
    },
    {
      name: 'after the last',
      window: { fromMs: 0, toMs: at('23:00'), after: [at('10:00'), 'd'] },
      first: 4,
      end: 4,
    },
    {
      name: 'cursor before the window',
      window: { fromMs: at('09:30'), toMs: at('23:00'), after: [at('08:00'), 'a'] },
      first: 3,
      end: 4,
    },
  ])('$name', ({ window, first, end }) => {
    expect(firstIndex(r, window)).toBe(first);
    expect(endIndex(r, window.toMs)).toBe(end);
  });
});

describe('mergeRuns', () => {
  const runs = [
    run(item('a1', '08:00'), item('a2', '10:00'), item('a3', '12:00')),
    run(item('b1', '09:00'), item('b2', '10:00', 'unknown'), item('b3', '11:00')),
    run(),
    run(item('c1', '07:30'), item('c2', '10:00')),
  ];

  it.each([
    {
      name: 'every item in order',
      limit: 100,
      after: null,
      expected: ['c1', 'a1', 'b1', 'a2', 'b2', 'c2', 'b3', 'a3'],
    },
    { name: 'stops at the limit', limit: 3, after: null, expected: ['c1', 'a1', 'b1'] },
    {
      name: 'from a cursor inside a tie',
      limit: 3,
      after: [at('10:00'), 'a2'],
      expected: ['b2', 'c2', 'b3'],
    },
    { name: 'nothing after the last', limit: 3, after: [at('12:00'), 'a3'], expected: [] },
  ] as const)('$name', ({ limit, after, expected }) => {
    expect(keys(mergeRuns(runs, { ...everything, after }, limit, always))).toEqual(expected);
  });

  it('asks accept only of the items it passes, and skips those it refuses', () => {
    const asked: string[] = [];
    const merged = mergeRuns(runs, everything, 3, (i) => {
      asked.push(i.key);
      return i.key !== 'a1';
    });
    expect(keys(merged)).toEqual(['c1', 'b1', 'a2']);
    expect(asked).toEqual(['c1', 'a1', 'b1', 'a2']);
  });

  it('keeps the window: from inclusive, to exclusive', () => {
    const window = { fromMs: at('09:00'), toMs: at('11:00'), after: null };
    expect(keys(mergeRuns(runs, window, 100, always))).toEqual(['b1', 'a2', 'b2', 'c2']);
  });

  it('shows a key listed twice once, at its earliest place', () => {
    const twice = [run(item('x', '09:00'), item('y', '10:00')), run(item('x', '11:00'))];
    expect(mergeRuns(twice, everything, 10, always).map((i) => [i.key, i.startMs])).toEqual([
      ['x', at('09:00')],
      ['y', at('10:00')],
    ]);
  });

  it('pages exactly like sorting everything and paginating (random runs, random page sizes)', () => {
    const cursors = createCursorSealer('test')(['availability']);
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 20; round += 1) {
      const lists = Array.from({ length: 1 + random(6) }, (_, r) =>
        Array.from({ length: random(30) }, (_, i) => ({
          key: `r${r}-${i}`,
          startMs: at('08:00') + random(12) * 15 * 60_000,
        })),
      );
      const hidden = new Set(
        lists
          .flat()
          .filter(() => random(5) === 0)
          .map((i) => i.key),
      );
      const accept = (i: Item) => !hidden.has(i.key);
      const window = { fromMs: at('09:00'), toMs: at('10:30') };
      const expected = mergeSlots(lists).filter(
        (i) => accept(i) && i.startMs >= window.fromMs && i.startMs < window.toMs,
      );
      const sortedRuns = lists.map((list) => run(...list));
      const first = 1 + random(7);
      let after: string | null = null;
      const seen: string[] = [];
      for (let page = 0; page < 100; page += 1) {
        const want: Page<Item> = paginate(expected, slotKey, { first, after, cursors });
        const got = mergeRuns(
          sortedRuns,
          { ...window, after: after ? cursors.decode(after) : null },
          first + 1,
          accept,
        );
        expect(keys(got.slice(0, first))).toEqual(want.edges.map((e) => e.node.key));
        expect(got.length > first).toBe(want.pageInfo.hasNextPage);
        seen.push(...keys(got.slice(0, first)));
        if (!want.pageInfo.hasNextPage) break;
        after = want.pageInfo.endCursor;
      }
      expect(seen).toEqual(keys(expected));
      expect(countRuns(sortedRuns, window, accept)).toBe(expected.length);
    }
  });
});

describe('countRuns', () => {
  it.each([
    { name: 'every item', window: { fromMs: 0, toMs: at('23:00') }, expected: 4 },
    { name: 'inside the window', window: { fromMs: at('09:00'), toMs: at('10:00') }, expected: 1 },
    { name: 'nothing', window: { fromMs: at('13:00'), toMs: at('14:00') }, expected: 0 },
  ])('$name, refused items and repeated keys left out', ({ window, expected }) => {
    const runs = [
      run(item('a', '08:00'), item('b', '09:00'), item('gone', '09:30')),
      run(item('a', '08:00'), item('c', '11:00'), item('d', '12:00')),
    ];
    expect(countRuns(runs, window, (i) => i.key !== 'gone')).toBe(expected);
  });
});
