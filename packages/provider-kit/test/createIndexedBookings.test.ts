import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createFileReservationIndex,
  createIndexedBookings,
  decodeSlotKey,
  encodeSlotKey,
  splitWindow,
} from '../src/index.js';

/** A vendor without external-reference search: bookings by id, and a list to scan. */
function fakeVendor() {
  const bookings = new Map<string, { id: string; note: string }>();
  let next = 0;
  return {
    bookings,
    book(note: string) {
      next += 1;
      const booking = { id: `bk-${next}`, note };
      bookings.set(booking.id, booking);
      return booking;
    },
  };
}

function indexed(vendor: ReturnType<typeof fakeVendor>, directory: string) {
  const index = createFileReservationIndex({ directory, name: 'acme-1' });
  const bookings = createIndexedBookings({
    index,
    connectionId: 'acme-1',
    retrieve: async (id) => vendor.bookings.get(id) ?? null,
    settle: async (entry) => {
      const found = [...vendor.bookings.values()].find((b) => b.note === entry.reservationId);
      return found ? { providerReference: found.id, booking: found } : null;
    },
  });
  return { index, bookings };
}
const reservation = { reservationId: 'res-1', slotId: 's1', startAt: '2026-03-30T07:00:00Z' };

describe('bookings through a reservation index', () => {
  it('settles a write whose answer was lost by searching the vendor, after a restart too', async () => {
    const vendor = fakeVendor();
    const directory = mkdtempSync(join(tmpdir(), 'indexed-'));
    const first = indexed(vendor, directory);
    await expect(
      first.bookings.write(reservation, async () => {
        vendor.book('res-1'); // The vendor booked, but its answer never came back.
        throw new Error('socket hang up');
      }),
    ).rejects.toThrow('socket hang up');
    await first.index.close();

    const second = indexed(vendor, directory);
    expect((await second.index.get('acme-1', 'res-1'))?.providerReference).toBeUndefined();
    const found = await second.bookings.find('res-1');
    expect(found?.booking.id).toBe('bk-1');
    expect((await second.index.get('acme-1', 'res-1'))?.providerReference).toBe('bk-1');
    // A retried write answers the booking made, without writing again.
    const retried = await second.bookings.write(reservation, async () => {
      throw new Error('must not write twice');
    });
    expect(retried).toEqual({ booking: { id: 'bk-1', note: 'res-1' } });
    expect(vendor.bookings.size).toBe(1);
  });

  it('passes a refusal on and finds nothing for a reservation never written', async () => {
    const { bookings } = indexed(fakeVendor(), mkdtempSync(join(tmpdir(), 'indexed-')));
    expect(await bookings.write(reservation, async () => ({ refused: 'taken' }))).toEqual({
      refused: 'taken',
    });
    expect(await bookings.find('res-1')).toBeNull();
    expect(await bookings.find('res-never')).toBeNull();
  });
});

describe('windows and slot keys for availability-search vendors', () => {
  const day = 86_400_000;
  it('splits a long window and widens a short piece', () => {
    expect(splitWindow({ fromMs: 0, toMs: 40 * day }, { maxMs: 32 * day, minMs: day })).toEqual([
      { fromMs: 0, toMs: 32 * day },
      { fromMs: 32 * day, toMs: 40 * day },
    ]);
    expect(splitWindow({ fromMs: 0, toMs: 3_600_000 }, { maxMs: 32 * day, minMs: day })).toEqual([
      { fromMs: 0, toMs: day },
    ]);
  });

  it('round-trips a slot key and refuses ids that are not one', () => {
    const schema = z.object({ startMs: z.number(), member: z.string() });
    const id = encodeSlotKey({ startMs: 1, member: 'TM1' });
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeSlotKey(id, schema)).toEqual({ startMs: 1, member: 'TM1' });
    expect(decodeSlotKey('not-a-key', schema)).toBeNull();
    expect(decodeSlotKey(encodeSlotKey({ startMs: 1 }), schema)).toBeNull();
  });
});
