import { describe, expect, it } from 'vitest';
import { createCursorSealer } from '../src/engines/cursors.js';
import { mergeSlots, slotKey } from '../src/engines/mergeSlots.js';
import { paginate, resolvePageSize } from '../src/engines/paginate.js';

const at = (hhmm: string) => Date.parse(`2026-05-04T${hhmm}:00Z`);
const slot = (key: string, hhmm: string) => ({ key, startMs: at(hhmm) });

describe('mergeSlots', () => {
  it('orders slots from several providers by start, whatever order each provider used', () => {
    const merged = mergeSlots([
      [slot('a2', '10:00'), slot('a1', '08:00')],
      [slot('b1', '09:00')],
      [slot('c1', '07:30'), slot('c2', '11:00')],
    ]);
    expect(merged.map((s) => s.key)).toEqual(['c1', 'a1', 'b1', 'a2', 'c2']);
  });

  it('breaks ties on equal start times by id, so the order is the same on every query', () => {
    const first = mergeSlots([
      [slot('zeta', '09:00')],
      [slot('alpha', '09:00'), slot('mid', '09:00')],
    ]);
    const second = mergeSlots([
      [slot('mid', '09:00'), slot('alpha', '09:00')],
      [slot('zeta', '09:00')],
    ]);
    expect(first.map((s) => s.key)).toEqual(['alpha', 'mid', 'zeta']);
    expect(second.map((s) => s.key)).toEqual(first.map((s) => s.key));
  });

  it('returns an empty list when every provider is empty, and drops duplicate ids', () => {
    expect(mergeSlots([[], []])).toEqual([]);
    expect(mergeSlots([[slot('x', '09:00')], [slot('x', '09:00')]])).toHaveLength(1);
  });
});

const sealer = createCursorSealer('test secret');
const cursors = sealer(['availability', { from: 'monday' }]);

describe('paginate with keyset cursors', () => {
  const slots = mergeSlots([
    Array.from({ length: 7 }, (_, i) => slot(`s${i}`, `0${i + 1}:00`)),
    [slot('t0', '03:00')],
  ]);

  it('walks every item exactly once across pages', () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: ReturnType<typeof paginate<(typeof slots)[number]>> = paginate(slots, slotKey, {
        first: 3,
        after,
        cursors,
      });
      seen.push(...page.edges.map((e) => e.node.key));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(slots.map((s) => s.key));
  });

  it('keeps a cursor valid when earlier items disappear (keyset, not offset)', () => {
    const page1 = paginate(slots, slotKey, { first: 3, after: null, cursors });
    const withoutFirst = slots.slice(1);
    const page2 = paginate(withoutFirst, slotKey, {
      first: 3,
      after: page1.pageInfo.endCursor,
      cursors,
    });
    expect(page2.edges[0]?.node.key).toBe(slots[3]?.key);
  });

  it('reports an empty last page without a cursor', () => {
    const page = paginate([], slotKey, { first: 10, after: null, cursors });
    expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
    expect(page.totalCount).toBe(0);
  });

  it('rejects page sizes outside 1..200 and cursors it did not make', () => {
    expect(resolvePageSize(undefined)).toBe(50);
    expect(resolvePageSize(200)).toBe(200);
    expect(() => resolvePageSize(201)).toThrow(/first/);
    expect(() => resolvePageSize(0)).toThrow(/first/);
    expect(() => cursors.decode('not a cursor')).toThrow(/after/);
  });
});

describe('cursors', () => {
  const page = paginate(
    Array.from({ length: 4 }, (_, i) => slot(`s${i}`, `0${i + 1}:00`)),
    slotKey,
    { first: 2, after: null, cursors },
  );
  const cursor = page.pageInfo.endCursor!;

  it('are accepted back by the query that made them, however its arguments are ordered', () => {
    expect(cursors.decode(cursor)).toEqual(slotKey(slot('s1', '02:00')));
    const reordered = sealer(['availability', { from: 'monday', to: undefined }]);
    expect(reordered.decode(cursor)).toEqual(cursors.decode(cursor));
  });

  it('refuse a changed character, another filter, another list and another secret', () => {
    const [payload, mac] = cursor.split('.') as [string, string];
    const key = Buffer.from(payload, 'base64url').toString('utf8');
    const tampered = `${Buffer.from(key.replace('s1', 's3')).toString('base64url')}.${mac}`;
    const refused = [
      tampered,
      `${payload}.${mac.startsWith('A') ? 'B' : 'A'}${mac.slice(1)}`,
      payload,
      `${cursor}.x`,
    ];
    for (const bad of refused) expect(() => cursors.decode(bad)).toThrow(/after/);
    expect(() => sealer(['availability', { from: 'tuesday' }]).decode(cursor)).toThrow(/after/);
    expect(() => sealer(['clinics', { from: 'monday' }]).decode(cursor)).toThrow(/after/);
    expect(() =>
      createCursorSealer('another secret')(['availability', { from: 'monday' }]).decode(cursor),
    ).toThrow(/after/);
  });

  it('name the argument they were given as', () => {
    expect(() => cursors.decode('nonsense', 'reservations.after')).toThrow(/reservations\.after/);
  });
});
