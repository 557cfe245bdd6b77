import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  bookingFound,
  cannotTell,
  createFileReservationIndex,
  createIndexedBookings,
  decodeSlotKey,
  encodeSlotKey,
  notBooked,
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

function indexed(
  vendor: ReturnType<typeof fakeVendor>,
  directory: string,
  options: { searchable?: boolean } = {},
) {
  const index = createFileReservationIndex({ directory, name: 'acme-1' });
  const bookings = createIndexedBookings({
    index,
    connectionId: 'acme-1',
    retrieve: async (id) => vendor.bookings.get(id) ?? null,
    settle: async (entry) => {
      if (options.searchable === false) return cannotTell('the vendor cannot be searched now');
      const found = [...vendor.bookings.values()].find((b) => b.note === entry.reservationId);
      return found ? bookingFound({ providerReference: found.id, booking: found }) : notBooked();
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
    expect(found.status === 'FOUND' && found.booking.booking.id).toBe('bk-1');
    expect((await second.index.get('acme-1', 'res-1'))?.providerReference).toBe('bk-1');
    // A retried write answers the booking made, without writing again.
    const retried = await second.bookings.write(reservation, async () => {
      throw new Error('must not write twice');
    });
    expect(retried).toEqual({ booking: { id: 'bk-1', note: 'res-1' } });
    expect(vendor.bookings.size).toBe(1);
  });

  it('passes a refusal on, and answers NOT_BOOKED only where the vendor was searched', async () => {
    const { bookings } = indexed(fakeVendor(), mkdtempSync(join(tmpdir(), 'indexed-')));
    expect(await bookings.write(reservation, async () => ({ refused: 'taken' }))).toEqual({
      refused: 'taken',
    });
    expect(await bookings.find('res-1')).toEqual({ status: 'NOT_BOOKED' });
  });

  it('cannot tell for a reservation the index has no entry for: never NOT_BOOKED', async () => {
    // A wiped or lost index, or a write that never reached the adapter: only the vendor knows.
    const { bookings } = indexed(fakeVendor(), mkdtempSync(join(tmpdir(), 'indexed-')));
    expect(await bookings.find('res-never')).toEqual({
      status: 'UNKNOWN',
      reason: 'the reservation index has no entry for this reservation',
    });
  });

  it('cannot tell when the search that would settle a pending entry cannot run', async () => {
    const vendor = fakeVendor();
    const directory = mkdtempSync(join(tmpdir(), 'indexed-'));
    const { index, bookings } = indexed(vendor, directory, { searchable: false });
    await expect(
      bookings.write(reservation, async () => {
        throw new Error('socket hang up');
      }),
    ).rejects.toThrow();
    expect((await bookings.find('res-1')).status).toBe('UNKNOWN');
    await index.close();
  });

  it('cannot tell when the vendor does not give back a recorded booking, and does not book again', async () => {
    const vendor = fakeVendor();
    const { bookings } = indexed(vendor, mkdtempSync(join(tmpdir(), 'indexed-')));
    await bookings.write(reservation, async () => {
      const made = vendor.book('res-1');
      return { providerReference: made.id, booking: made };
    });
    vendor.bookings.clear(); // The vendor answers 404 for it (or refuses to say).
    expect((await bookings.find('res-1')).status).toBe('UNKNOWN');
    await expect(
      bookings.write(reservation, async () => {
        throw new Error('must not write again');
      }),
    ).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
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
