import { createLogger } from '@booking/server-kit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DirectoryEntry } from '../src/access/createProviderDirectory.js';
import { createLedger, type Ledger } from '../src/access/ledger/createLedger.js';
import type {
  ChangePage,
  ProviderAccess,
  ProviderBooking,
  ProviderChange,
  ProviderLookup,
} from '../src/access/providers/createProviderAccess.js';
import { createClinicChanges } from '../src/manager/createClinicChanges.js';
import { ledgerBackends, openTestLedger } from './ledgerDatabases.js';
import { bookedReservation } from './reservationRows.js';

/** Each test its own connection: feed positions are kept per connection in the ledger. */
let connectionId = 'square-0';
let connections = 0;
const owner = { clientId: 'client-a', subject: null };
const snapshot = {
  clinicId: 'c1',
  start: '2026-05-04T07:00:00.000Z',
  end: '2026-05-04T07:30:00.000Z',
  treatmentIds: ['physiotherapy'],
  requestedTreatmentId: null,
  practitioner: null,
};

/** A provider connection's change feed and booking look-ups, as a provider subgraph serves them. */
function fakeProvider() {
  const feed: ProviderChange[] = [];
  const bookings = new Map<string, ProviderBooking>();
  let reads = 0;
  const access: Pick<ProviderAccess, 'changes' | 'findBooking'> = {
    async changes(_entry, after, first) {
      reads += 1;
      const from = after === null ? feed.length : Number(after);
      const changes = feed.slice(from, from + first);
      const page: ChangePage = {
        changes,
        cursor: String(from + changes.length),
        hasMore: from + changes.length < feed.length,
        resumed: false,
      };
      return { kind: 'answered', data: page };
    },
    async findBooking(_entry, reservationId) {
      const booking = bookings.get(reservationId);
      const data: ProviderLookup = booking
        ? { status: 'FOUND', booking, reason: null }
        : { status: 'UNKNOWN', booking: null, reason: 'not in this fake' };
      return { kind: 'answered', data };
    },
  };
  return {
    access,
    feed,
    bookings,
    reads: () => reads,
  };
}

const entryWith = (capabilities: string[]) =>
  ({
    connection: { id: connectionId, capabilities },
    clinics: new Map(),
  }) as unknown as DirectoryEntry;

const bookingChange = (
  id: string,
  reservationId: string,
  occurredAt: string,
  booking: Partial<ProviderBooking>,
): ProviderChange => ({
  id,
  kind: 'BOOKING_UPDATED',
  source: 'PUSH',
  occurredAt,
  booking: {
    reservationId,
    slotId: 'slot-1',
    status: 'BOOKED',
    providerReference: 'BK-1',
    expiresAt: null,
    start: snapshot.start,
    end: snapshot.end,
    ...booking,
  },
  slot: null,
});

describe.each(ledgerBackends)('changes at the clinic on %s', (backend) => {
  let ledger: Ledger;
  let close: () => Promise<void>;
  let clock = Date.parse('2026-05-01T10:00:00Z');
  const now = () => clock;
  let slotCounter = 0;
  const logger = createLogger({ service: 'test', level: 'silent' });

  beforeAll(async () => {
    const opened = await openTestLedger(backend);
    close = opened.close;
    ledger = createLedger(opened.db, now);
  }, 60_000);
  afterAll(async () => {
    await close?.();
  });
  beforeEach(() => {
    clock += 3600_000;
    connectionId = `square-${++connections}`;
  });

  /** A confirmed reservation, as a booking through the platform leaves it. */
  const confirmedReservation = () =>
    bookedReservation(ledger, {
      clientId: owner.clientId,
      connectionId,
      slotId: `slot-${++slotCounter}`,
      snapshot,
    });

  function follower(provider: ReturnType<typeof fakeProvider>, capabilities = ['CHANGES']) {
    const dropped: string[] = [];
    const entry = entryWith(['API_BOOKING', 'CANCEL', ...capabilities]);
    const changes = createClinicChanges({
      ledger,
      directory: { list: () => [entry], get: () => entry },
      providers: provider.access,
      dropDay: async (connection, clinicId, startMs) => {
        dropped.push(`${connection}|${clinicId}|${new Date(startMs).toISOString()}`);
      },
      logger,
      now,
      feedIntervalMs: 1000,
      sweepIntervalMs: 60_000,
      sweepBackstopMs: 900_000,
    });
    return { changes, dropped };
  }

  it('cancels a reservation the clinic cancelled, as the provider, with an event a client sees', async () => {
    const provider = fakeProvider();
    const { changes } = follower(provider);
    const row = await confirmedReservation();
    await changes.readFeeds(); // the feed's present: nothing before it is read
    provider.feed.push(
      bookingChange('evt-1', row.id, new Date(clock - 2000).toISOString(), {
        status: 'CANCELLED',
        slotId: row.slot_id,
      }),
    );
    await changes.readFeeds();
    const after = await ledger.find(row.id);
    expect(after).toMatchObject({ status: 'CANCELLED', cancelled_by: 'PROVIDER' });
    expect(after!.clinic_changed_at?.getTime()).toBe(clock - 2000);
    const events = await ledger.events(row.id);
    expect(events.at(-1)).toMatchObject({
      operation: 'CLINIC_CANCEL',
      to_status: 'CANCELLED',
      detail: { source: 'PROVIDER', change: 'evt-1', via: 'PUSH' },
    });
    expect(await ledger.changesOf(row.id)).toMatchObject([
      { change_id: 'evt-1', outcome: 'APPLIED', source: 'PUSH' },
    ]);
    await changes.stop();
  });

  it('takes every feed’s position as it starts, so a change right after its start is read', async () => {
    const provider = fakeProvider();
    const { changes } = follower(provider);
    const row = await confirmedReservation();
    await changes.start();
    // Before the first interval: a feed with no position yet would take this change for the past.
    provider.feed.push(
      bookingChange('evt-early', row.id, new Date(clock - 1000).toISOString(), {
        status: 'CANCELLED',
        slotId: row.slot_id,
      }),
    );
    await changes.readFeeds();
    expect(await ledger.find(row.id)).toMatchObject({ status: 'CANCELLED' });
    await changes.stop();
  });

  it('applies a change once, however often it is reported, and sets an older one aside', async () => {
    const provider = fakeProvider();
    const { changes } = follower(provider);
    const row = await confirmedReservation();
    await changes.readFeeds();
    const moved = bookingChange('evt-move', row.id, new Date(clock - 1000).toISOString(), {
      slotId: 'slot-later',
      start: '2026-05-06T12:00:00.000Z',
      end: '2026-05-06T12:30:00.000Z',
    });
    // Reported twice (a redelivered push), then an older cancellation arrives late.
    provider.feed.push(moved, moved);
    provider.feed.push(
      bookingChange('evt-old-cancel', row.id, new Date(clock - 5000).toISOString(), {
        status: 'CANCELLED',
      }),
    );
    await changes.readFeeds();
    const after = await ledger.find(row.id);
    expect(after).toMatchObject({ status: 'CONFIRMED', slot_id: 'slot-later' });
    expect(after!.start_at.toISOString()).toBe('2026-05-06T12:00:00.000Z');
    expect(after!.slot_snapshot).toMatchObject({
      start: '2026-05-06T12:00:00.000Z',
      end: '2026-05-06T12:30:00.000Z',
    });
    const events = await ledger.events(row.id);
    expect(events.filter((e) => e.operation === 'CLINIC_MOVE')).toHaveLength(1);
    // The move is an event a client sees, though the status stays CONFIRMED.
    await expect
      .poll(async () =>
        (await ledger.eventsAfter(owner, null, 1000))
          .filter(({ reservation }) => reservation.id === row.id)
          .map(({ event }) => event.operation),
      )
      .toEqual(['RESERVE', 'CLINIC_MOVE']);
    expect(events.some((e) => e.operation === 'CLINIC_CANCEL')).toBe(false);
    expect((await ledger.changesOf(row.id)).map((c) => [c.change_id, c.outcome])).toEqual([
      ['evt-move', 'APPLIED'],
      ['evt-old-cancel', 'OUT_OF_ORDER'],
    ]);
    await changes.stop();
  });

  it('records a no-show, a change of a reservation it does not know, and drops the day of an opened slot', async () => {
    const provider = fakeProvider();
    const { changes, dropped } = follower(provider);
    const row = await confirmedReservation();
    await changes.readFeeds();
    provider.feed.push(
      bookingChange('evt-noshow', row.id, new Date(clock).toISOString(), { status: 'NO_SHOW' }),
      bookingChange('evt-stranger', crypto.randomUUID(), new Date(clock).toISOString(), {
        status: 'CANCELLED',
      }),
      {
        id: 'evt-slot',
        kind: 'SLOT_OPENED',
        source: 'POLL',
        occurredAt: new Date(clock).toISOString(),
        booking: null,
        slot: {
          id: 'slot-new',
          clinicId: 'c2',
          start: '2026-05-07T08:00:00.000Z',
          end: '2026-05-07T08:30:00.000Z',
          treatmentIds: ['physiotherapy'],
          practitioner: null,
          bookingUrl: null,
          capacity: null,
        },
      },
    );
    await changes.readFeeds();
    expect(await ledger.find(row.id)).toMatchObject({ status: 'NO_SHOW' });
    expect(dropped).toContain(`${connectionId}|c2|2026-05-07T08:00:00.000Z`);
    const recorded = await ledger.db
      .selectFrom('provider_changes')
      .select(['change_id', 'outcome'])
      .where('change_id', 'in', ['evt-stranger', 'evt-slot'])
      .orderBy('change_id')
      .execute();
    expect(recorded).toEqual([
      { change_id: 'evt-slot', outcome: 'APPLIED' },
      { change_id: 'evt-stranger', outcome: 'UNKNOWN_RESERVATION' },
    ]);
    await changes.stop();
  });

  it('finds a cancellation by sweeping confirmed reservations through look-ups, each once per interval', async () => {
    const provider = fakeProvider();
    const { changes } = follower(provider, []);
    const row = await confirmedReservation();
    provider.bookings.set(row.id, {
      reservationId: row.id,
      slotId: row.slot_id,
      status: 'CANCELLED',
      providerReference: row.provider_reference!,
      expiresAt: null,
      start: snapshot.start,
      end: snapshot.end,
    });
    await changes.sweep();
    expect((await ledger.find(row.id))!.status).toBe('CONFIRMED'); // not due yet
    clock += 61_000;
    await changes.sweep();
    expect(await ledger.find(row.id)).toMatchObject({
      status: 'CANCELLED',
      cancelled_by: 'PROVIDER',
    });
    expect(await ledger.changesOf(row.id)).toMatchObject([
      { source: 'LOOKUP', outcome: 'APPLIED' },
    ]);
    await changes.stop();
  });

  it('follows a booking the clinic moved and moved back, found by look-ups alone, and records nothing for a look-up that finds nothing new', async () => {
    const provider = fakeProvider();
    const { changes } = follower(provider, []);
    const row = await confirmedReservation();
    const at = (slotId: string, start: string, end: string): ProviderBooking => ({
      reservationId: row.id,
      slotId,
      status: 'BOOKED',
      providerReference: row.provider_reference!,
      expiresAt: null,
      start,
      end,
    });
    const sweepLater = async () => {
      clock += 61_000;
      await changes.sweep();
    };
    provider.bookings.set(row.id, at(row.slot_id, snapshot.start, snapshot.end));
    await sweepLater();
    expect(await ledger.changesOf(row.id)).toEqual([]); // as the ledger has it: nothing recorded
    provider.bookings.set(
      row.id,
      at('slot-b', '2026-05-05T09:00:00.000Z', '2026-05-05T09:30:00.000Z'),
    );
    await sweepLater();
    expect((await ledger.find(row.id))!.slot_id).toBe('slot-b');
    provider.bookings.set(row.id, at(row.slot_id, snapshot.start, snapshot.end));
    await sweepLater();
    const back = await ledger.find(row.id);
    expect(back!.slot_id).toBe(row.slot_id);
    expect(back!.start_at.toISOString()).toBe(snapshot.start);
    expect((await ledger.events(row.id)).filter((e) => e.operation === 'CLINIC_MOVE')).toHaveLength(
      2,
    );
    await changes.stop();
  });

  it('lets one instance read a feed at a time, and the next go on from where it stopped', async () => {
    const provider = fakeProvider();
    const first = follower(provider);
    const second = follower(provider);
    const row = await confirmedReservation();
    await first.changes.readFeeds();
    const readsBefore = provider.reads();
    await second.changes.readFeeds(); // the first holds the lease: the second does not read
    expect(provider.reads()).toBe(readsBefore);
    await first.changes.stop(); // gives the lease up
    provider.feed.push(
      bookingChange('evt-after-handover', row.id, new Date(clock).toISOString(), {
        status: 'CANCELLED',
      }),
    );
    await second.changes.readFeeds();
    expect((await ledger.find(row.id))!.status).toBe('CANCELLED');
    await second.changes.stop();
  });
});
