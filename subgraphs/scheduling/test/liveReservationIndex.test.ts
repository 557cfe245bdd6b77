import { describe, expect, it } from 'vitest';
import {
  createLiveReservationIndex,
  type ReservationChange,
} from '../src/engines/liveReservationIndex.js';

const nine = Date.parse('2026-05-04T09:00:00Z');
const hour = 3600_000;
const change = (
  id: string,
  version: number,
  live: boolean,
  slot = `slot-${id}`,
  startMs = nine,
): ReservationChange => ({ id, slot, startMs, live, version });

describe('createLiveReservationIndex: changes in any order', () => {
  it.each([
    { name: 'a new reservation takes its slot', changes: [change('r', 1, true)], taken: true },
    {
      name: 'a cancel frees it',
      changes: [change('r', 1, true), change('r', 2, false)],
      taken: false,
    },
    {
      name: 'a cancel told before the booking still frees it',
      changes: [change('r', 2, false), change('r', 1, true)],
      taken: false,
    },
    {
      name: 'a repeated message changes nothing',
      changes: [change('r', 1, true), change('r', 2, false), change('r', 2, false)],
      taken: false,
    },
    {
      name: 'a confirm after a hold keeps it taken',
      changes: [change('r', 2, true), change('r', 1, true)],
      taken: true,
    },
    {
      name: 'a second reservation keeps it taken when the first ends',
      changes: [change('a', 1, true, 's'), change('b', 1, true, 's'), change('a', 2, false, 's')],
      taken: true,
    },
  ])('$name', ({ changes, taken }) => {
    const index = createLiveReservationIndex();
    for (const c of changes) index.apply(c);
    const slot = changes.at(-1)!.slot;
    expect(index.takenIn(slot, nine - hour, nine + hour)).toBe(taken);
  });

  it('answers for the window only, by the reservation start (from inclusive, to exclusive)', () => {
    const index = createLiveReservationIndex();
    index.apply(change('r', 1, true));
    expect(index.takenIn('slot-r', nine, nine + hour)).toBe(true);
    expect(index.takenIn('slot-r', nine - hour, nine)).toBe(false);
    expect(index.takenIn('slot-other', nine - hour, nine + hour)).toBe(false);
  });

  it('moves its version on only when what is taken changes', () => {
    const index = createLiveReservationIndex();
    const v0 = index.version;
    index.apply(change('r', 1, true));
    const v1 = index.version;
    index.apply(change('r', 2, true)); // a confirm: still taken
    index.apply(change('r', 1, true)); // an old copy: ignored
    expect(v1).toBeGreaterThan(v0);
    expect(index.version).toBe(v1);
    index.apply(change('r', 3, false));
    expect(index.version).toBeGreaterThan(v1);
  });
});

describe('createLiveReservationIndex: resync with the ledger', () => {
  it('drops a reservation the ledger no longer has live when its change was lost', () => {
    const index = createLiveReservationIndex();
    index.apply(change('r', 1, true));
    // The cancel's message never came; the ledger read after the mark has no live `r`.
    index.resynced(index.mark(), []);
    expect(index.takenIn('slot-r', 0, nine + hour)).toBe(false);
  });

  it('adds a reservation whose message was lost (an instance that started late)', () => {
    const index = createLiveReservationIndex();
    index.resynced(index.mark(), [change('r', 3, true)]);
    expect(index.takenIn('slot-r', 0, nine + hour)).toBe(true);
  });

  it('keeps a change learnt while the snapshot was being read (it may be newer than the read)', () => {
    const index = createLiveReservationIndex();
    const mark = index.mark();
    index.apply(change('r', 1, true)); // booked after the snapshot's read
    index.apply(change('q', 2, false)); // cancelled after the read
    index.resynced(mark, [change('q', 1, true)]);
    expect(index.takenIn('slot-r', 0, nine + hour)).toBe(true);
    expect(index.takenIn('slot-q', 0, nine + hour)).toBe(false);
  });

  it('lets a newer snapshot row win over an older message', () => {
    const index = createLiveReservationIndex();
    index.apply(change('r', 1, false, 'slot-r'));
    index.resynced(index.mark(), [change('r', 2, true, 'slot-r')]);
    expect(index.takenIn('slot-r', 0, nine + hour)).toBe(true);
  });

  it('remembers an ended reservation for one resync, so a late old message cannot revive it', () => {
    const index = createLiveReservationIndex();
    index.apply(change('r', 1, true));
    index.apply(change('r', 2, false));
    index.resynced(index.mark(), []);
    index.apply(change('r', 1, true)); // late copy of the booking
    expect(index.takenIn('slot-r', 0, nine + hour)).toBe(false);
    index.resynced(index.mark(), []);
    index.resynced(index.mark(), []);
    expect(index.size).toBe(0);
  });
});
