import { createRandom, hashString } from '@booking/simulator-kit';
import { DateTime } from 'luxon';
import { type ChangedBy, type ChangeType, createChangeFeed } from './createChangeFeed.js';
import { failure, type Outcome, success } from './errors.js';
import { findOpening } from './findOpening.js';
import {
  generateDaySlots,
  generateSlots,
  type Practitioner,
  practitionersOf,
  type Slot,
} from './generateSlots.js';
import { cliniqZone, formatLocal, nowLocal } from './localTime.js';
import type { TenantSeed } from './seed.js';
import {
  type BookingRecord,
  type BookingView,
  bookingView,
  type HoldRecord,
  type HoldView,
  holdView,
  type Patient,
  type SlotStatus,
  type SlotView,
  slotView,
} from './tenantRecords.js';

export interface SlotQuery {
  from: DateTime;
  to: DateTime;
  clinicIds: readonly string[];
  serviceCode?: string | undefined;
  practitionerId?: string | undefined;
}

export interface TenantStoreOptions {
  /** Business time: decides "today", past slots, hold expiry and the cancellation cut-off. */
  clock: () => Date;
  /**
   * Read on every call so `/_admin/config` changes apply at once. `daysAhead`, when set, replaces
   * every clinic's own booking horizon.
   */
  settings: () => { holdTtlSeconds: number; daysAhead: number | undefined };
  /** Issues ids that are unique across tenants, e.g. `nextId('BK')` → `BK-000001`. */
  nextId: (prefix: 'BK' | 'HD') => string;
  /** Seed for the "other patients" bookings. */
  seed: number;
}

type Occupant = { kind: 'hold'; hold: HoldRecord } | { kind: 'booking'; booking: BookingRecord };

/** Share of the generated slots that other patients have already booked at start-up. */
const seededBookingRate = 0.12;
const cancellationCutoffMinutes = 60;

export type TenantStore = ReturnType<typeof createTenantStore>;

/**
 * One tenant's booking state and its state machine (hold → confirm, book → cancel). Every
 * operation is synchronous, so the check that a slot is free and the write that takes it can
 * never be split by another request.
 */
export function createTenantStore(tenant: TenantSeed, options: TenantStoreOptions) {
  const { clock, settings, nextId } = options;
  const practitioners: readonly Practitioner[] = practitionersOf(tenant);
  const holds = new Map<string, HoldRecord>();
  const bookings = new Map<string, BookingRecord>();
  const latestHoldByRef = new Map<string, HoldRecord>();
  const bookingByRef = new Map<string, BookingRecord>();
  const occupants = new Map<string, Occupant>();
  const changes = createChangeFeed();
  /** Times the clinic opened besides its opening hours, per local day and practitioner. */
  const opened = new Map<string, Map<string, Slot[]>>();
  // Slots are a pure function of practitioner and day, and building luxon times is the costly
  // part of a listing. A day is generated when first asked for, however far ahead, never before:
  // a year-long horizon costs nothing until somebody looks there. Cached per local day; days
  // before today are dropped.
  const slotCache = new Map<string, Map<string, readonly Slot[]>>();

  function daySlots(practitioner: Practitioner, day: DateTime): readonly Slot[] {
    const key = day.toISODate() ?? '';
    let byPractitioner = slotCache.get(key);
    if (!byPractitioner) {
      byPractitioner = new Map();
      slotCache.set(key, byPractitioner);
    }
    let slots = byPractitioner.get(practitioner.id);
    if (!slots) {
      slots = generateDaySlots(practitioner, day);
      byPractitioner.set(practitioner.id, slots);
      seedOtherPatients(slots);
    }
    const extra = opened.get(key)?.get(practitioner.id);
    return extra ? [...slots, ...extra].sort((a, b) => a.startMs - b.startMs) : slots;
  }

  /** Today, local; forgets the generated days before it. */
  function localToday(): DateTime {
    const today = nowLocal(clock).startOf('day');
    const todayKey = today.toISODate() ?? '';
    for (const key of slotCache.keys()) if (key < todayKey) slotCache.delete(key);
    for (const key of opened.keys()) if (key < todayKey) opened.delete(key);
    return today;
  }

  /** The last local day of a practitioner's clinic's open book. */
  function lastDayOf(practitioner: Practitioner, today: DateTime): DateTime {
    return today.plus({ days: settings().daysAhead ?? practitioner.horizonDays });
  }

  function isPast(slot: Slot): boolean {
    return slot.startMs < clock().getTime();
  }

  /** Expiry is lazy: checked whenever a hold is touched, using the injected clock. */
  function expireIfDue(hold: HoldRecord): void {
    if (hold.status !== 'held' || clock().getTime() < hold.expiresAt.toMillis()) return;
    hold.status = 'expired';
    const occupant = occupants.get(hold.slot.id);
    if (occupant?.kind === 'hold' && occupant.hold === hold) occupants.delete(hold.slot.id);
  }

  function occupantOf(slotId: string): Occupant | undefined {
    const occupant = occupants.get(slotId);
    if (occupant?.kind === 'hold') {
      expireIfDue(occupant.hold);
      return occupants.get(slotId);
    }
    return occupant;
  }

  /** Resolves an id to a generated slot inside its clinic's open book, else `undefined`. */
  function findSlot(slotId: string): Slot | undefined {
    const today = localToday();
    for (const practitioner of practitioners) {
      const lastDay = lastDayOf(practitioner, today);
      const prefix = `SL-${practitioner.clinicId}-${practitioner.id}-`;
      if (!slotId.startsWith(prefix)) continue;
      const digits = slotId.slice(prefix.length);
      if (!/^\d{12}$/.test(digits)) return undefined;
      const start = DateTime.fromFormat(digits, 'yyyyMMddHHmm', { zone: cliniqZone });
      if (!start.isValid) return undefined;
      const day = start.startOf('day');
      if (day.toMillis() < today.toMillis() || day.toMillis() > lastDay.toMillis())
        return undefined;
      return daySlots(practitioner, day).find((slot) => slot.id === slotId);
    }
    return undefined;
  }

  /** Appends a change to the feed, with the booking or slot as it is now. */
  function record(
    type: ChangeType,
    changedBy: ChangedBy,
    subject: { booking: BookingRecord } | { slot: Slot },
  ): void {
    changes.append({
      type,
      changedBy,
      changedAt: nowLocal(clock),
      ...('booking' in subject ? { booking: bookingView(subject.booking) } : {}),
      ...('slot' in subject ? { slot: slotView(subject.slot) } : {}),
    });
  }

  /** Gives a booking's time (`slot`) back: free again, and in the feed unless it has passed. */
  function release(booking: BookingRecord, changedBy: ChangedBy, slot = booking.slot): void {
    const occupant = occupants.get(slot.id);
    if (occupant?.kind === 'booking' && occupant.booking === booking) {
      occupants.delete(slot.id);
      if (!isPast(slot)) record('slot_opened', changedBy, { slot });
    }
  }

  function insertBooking(
    slot: Slot,
    externalRef: string,
    origin: BookingRecord['origin'],
    patient?: Patient,
    note?: string,
  ): BookingRecord {
    const now = nowLocal(clock);
    const booking: BookingRecord = {
      // Other patients' bookings appear as their days are generated, in no fixed order: their ids
      // come from the slot, so the API's own bookings are numbered the same in every run.
      bookingId: origin === 'seed' ? `BK-W${slot.id.slice('SL'.length)}` : nextId('BK'),
      slot,
      externalRef,
      status: 'booked',
      createdAt: now,
      updatedAt: now,
      origin,
      ...(patient ? { patient } : {}),
      ...(note !== undefined ? { note } : {}),
    };
    bookings.set(booking.bookingId, booking);
    bookingByRef.set(externalRef, booking);
    occupants.set(slot.id, { kind: 'booking', booking });
    // Seeded bookings were there before anyone looked: they are not changes.
    if (origin === 'api') {
      record('booking_created', 'api', { booking });
      record('slot_closed', 'api', { slot });
    }
    return booking;
  }

  function confirm(hold: HoldRecord, patient: Patient, note?: string): BookingRecord {
    const booking = insertBooking(hold.slot, hold.externalRef, 'api', patient, note);
    hold.status = 'confirmed';
    hold.bookingId = booking.bookingId;
    return booking;
  }

  /**
   * Other patients' bookings in a newly generated day: a fixed share of its slots, drawn per slot
   * from the seed, so the same slots are taken whenever and in whatever order days are generated.
   */
  function seedOtherPatients(slots: readonly Slot[]): void {
    for (const slot of slots) {
      const taken = createRandom(options.seed ^ hashString(slot.id))() < seededBookingRate;
      if (taken && !isPast(slot)) insertBooking(slot, `cliniq-web-${slot.id}`, 'seed');
    }
  }

  /** A booking the clinic can still change: it exists and is booked. */
  function bookedAtClinic(bookingId: string): Outcome<BookingRecord> {
    const booking = bookings.get(bookingId);
    if (!booking) return failure(404, 'booking_not_found', `No booking ${bookingId}.`);
    if (booking.status !== 'booked') {
      return failure(409, 'booking_not_booked', `Booking ${bookingId} is ${booking.status}.`);
    }
    return success(200, booking);
  }

  const store = {
    tenant,
    practitioners,
    holds,
    bookings,

    /** Free, future slots matching the query, ordered by start then id. */
    listSlots(query: SlotQuery): Slot[] {
      const today = localToday();
      const chosen = practitioners.filter(
        (p) =>
          (query.clinicIds.length === 0 || query.clinicIds.includes(p.clinicId)) &&
          (query.practitionerId === undefined || p.id === query.practitionerId) &&
          (query.serviceCode === undefined || p.serviceCodes.includes(query.serviceCode)),
      );
      if (chosen.length === 0) return [];
      const from = query.from.toMillis();
      const to = query.to.toMillis();
      const lastDays = new Map(chosen.map((p) => [p.id, lastDayOf(p, today).toMillis()]));
      const firstDay = DateTime.max(query.from.startOf('day'), today);
      // `to` is exclusive: a window ending at midnight does not reach into the next day.
      const endDay = DateTime.min(
        query.to.minus({ milliseconds: 1 }).startOf('day'),
        DateTime.fromMillis(Math.max(...lastDays.values()), { zone: today.zone }),
      );
      // Each practitioner's days stop at their clinic's horizon.
      const openDaySlots = (practitioner: Practitioner, day: DateTime) =>
        day.toMillis() > lastDays.get(practitioner.id)! ? [] : daySlots(practitioner, day);
      return generateSlots(chosen, firstDay, endDay, openDaySlots).filter(
        (slot) =>
          slot.startMs >= from &&
          slot.startMs < to &&
          !isPast(slot) &&
          occupantOf(slot.id) === undefined,
      );
    },

    getSlot(slotId: string): Outcome<SlotView & { status: SlotStatus }> {
      const slot = findSlot(slotId);
      if (!slot) return failure(404, 'slot_not_found', `No slot ${slotId}.`);
      const occupant = occupantOf(slotId);
      const status: SlotStatus =
        occupant === undefined ? 'free' : occupant.kind === 'hold' ? 'held' : 'booked';
      return success(200, { ...slotView(slot), status });
    },

    createHold(slotId: string, externalRef: string): Outcome<HoldView> {
      const slot = findSlot(slotId);
      if (!slot) return failure(404, 'slot_not_found', `No slot ${slotId}.`);
      const previous = latestHoldByRef.get(externalRef);
      if (previous) expireIfDue(previous);
      if (previous && (previous.status === 'held' || previous.status === 'confirmed')) {
        return previous.slot.id === slotId
          ? success(200, holdView(previous))
          : failure(409, 'idempotency_conflict', `externalRef ${externalRef} holds another slot.`);
      }
      if (bookingByRef.has(externalRef)) {
        return failure(
          409,
          'idempotency_conflict',
          `externalRef ${externalRef} is already booked.`,
        );
      }
      if (isPast(slot)) return failure(409, 'slot_in_past', `Slot ${slotId} has already started.`);
      if (occupantOf(slotId)) return failure(409, 'slot_taken', `Slot ${slotId} is taken.`);
      const now = nowLocal(clock);
      const hold: HoldRecord = {
        holdId: nextId('HD'),
        slot,
        externalRef,
        status: 'held',
        createdAt: now,
        expiresAt: now.plus({ seconds: settings().holdTtlSeconds }),
      };
      holds.set(hold.holdId, hold);
      latestHoldByRef.set(externalRef, hold);
      occupants.set(slotId, { kind: 'hold', hold });
      return success(201, holdView(hold));
    },

    getHold(holdId: string): Outcome<HoldView> {
      const hold = holds.get(holdId);
      if (!hold) return failure(404, 'hold_not_found', `No hold ${holdId}.`);
      expireIfDue(hold);
      return success(200, holdView(hold));
    },

    findHolds(externalRef: string): HoldView[] {
      const hold = latestHoldByRef.get(externalRef);
      if (!hold) return [];
      expireIfDue(hold);
      return [holdView(hold)];
    },

    confirmHold(holdId: string, patient: Patient, note?: string): Outcome<BookingView> {
      const hold = holds.get(holdId);
      if (!hold) return failure(404, 'hold_not_found', `No hold ${holdId}.`);
      expireIfDue(hold);
      switch (hold.status) {
        case 'confirmed':
          return success(200, bookingView(bookings.get(hold.bookingId ?? '')!));
        case 'expired':
          return failure(
            410,
            'hold_expired',
            `Hold ${holdId} expired at ${formatLocal(hold.expiresAt)}.`,
          );
        case 'released':
          return failure(410, 'hold_released', `Hold ${holdId} was released.`);
        case 'held':
          return success(201, bookingView(confirm(hold, patient, note)));
      }
    },

    releaseHold(holdId: string): Outcome<undefined> {
      const hold = holds.get(holdId);
      if (!hold) return failure(404, 'hold_not_found', `No hold ${holdId}.`);
      expireIfDue(hold);
      if (hold.status === 'confirmed') {
        return failure(409, 'hold_confirmed', `Hold ${holdId} is confirmed; cancel the booking.`);
      }
      if (hold.status === 'held') {
        hold.status = 'released';
        occupants.delete(hold.slot.id);
      }
      return success(204, undefined);
    },

    createBooking(
      slotId: string,
      externalRef: string,
      patient: Patient,
      note?: string,
    ): Outcome<BookingView> {
      const existing = bookingByRef.get(externalRef);
      if (existing) {
        return existing.slot.id === slotId
          ? success(200, bookingView(existing))
          : failure(409, 'idempotency_conflict', `externalRef ${externalRef} booked another slot.`);
      }
      const slot = findSlot(slotId);
      if (!slot) return failure(404, 'slot_not_found', `No slot ${slotId}.`);
      const hold = latestHoldByRef.get(externalRef);
      if (hold) expireIfDue(hold);
      if (hold?.status === 'held') {
        // The caller held this slot under the same reference: booking it consumes the hold.
        return hold.slot.id === slotId
          ? success(201, bookingView(confirm(hold, patient, note)))
          : failure(409, 'idempotency_conflict', `externalRef ${externalRef} holds another slot.`);
      }
      if (isPast(slot)) return failure(409, 'slot_in_past', `Slot ${slotId} has already started.`);
      if (occupantOf(slotId)) return failure(409, 'slot_taken', `Slot ${slotId} is taken.`);
      return success(201, bookingView(insertBooking(slot, externalRef, 'api', patient, note)));
    },

    getBooking(bookingId: string): Outcome<BookingView> {
      const booking = bookings.get(bookingId);
      if (!booking) return failure(404, 'booking_not_found', `No booking ${bookingId}.`);
      return success(200, bookingView(booking));
    },

    findBookings(externalRef: string): BookingView[] {
      const booking = bookingByRef.get(externalRef);
      return booking ? [bookingView(booking)] : [];
    },

    cancelBooking(bookingId: string): Outcome<BookingView> {
      const booking = bookings.get(bookingId);
      if (!booking) return failure(404, 'booking_not_found', `No booking ${bookingId}.`);
      if (booking.status === 'cancelled' || booking.status === 'cancelled_by_clinic') {
        return success(200, bookingView(booking));
      }
      if (booking.status === 'no_show') {
        return failure(409, 'too_late_to_cancel', `Booking ${bookingId} was a no-show.`);
      }
      const cutoff = booking.slot.startMs - cancellationCutoffMinutes * 60_000;
      if (clock().getTime() > cutoff) {
        return failure(
          409,
          'too_late_to_cancel',
          `Bookings can be cancelled until ${cancellationCutoffMinutes} minutes before the start.`,
        );
      }
      booking.status = 'cancelled';
      booking.updatedAt = nowLocal(clock);
      record('booking_cancelled', 'api', { booking });
      release(booking, 'api');
      return success(200, bookingView(booking));
    },

    /** The newest change's sequence number, and the kept changes after `sequence` (see the feed). */
    changes,

    /** The clinic's staff cancel a booking: its time is free again. */
    clinicCancel(bookingId: string): Outcome<BookingView> {
      const booking = bookedAtClinic(bookingId);
      if (!booking.ok) return booking;
      booking.body.status = 'cancelled_by_clinic';
      booking.body.updatedAt = nowLocal(clock);
      record('booking_cancelled', 'clinic', { booking: booking.body });
      release(booking.body, 'clinic');
      return success(200, bookingView(booking.body));
    },

    /** The clinic's staff record that the patient did not come; the time stays used. */
    clinicNoShow(bookingId: string): Outcome<BookingView> {
      const booking = bookedAtClinic(bookingId);
      if (!booking.ok) return booking;
      booking.body.status = 'no_show';
      booking.body.updatedAt = nowLocal(clock);
      record('booking_no_show', 'clinic', { booking: booking.body });
      return success(200, bookingView(booking.body));
    },

    /**
     * The clinic's staff move a booking to a free time starting at `start` at the same clinic,
     * with the same practitioner when they are free then, else with another one.
     */
    clinicMove(bookingId: string, start: DateTime): Outcome<BookingView> {
      const found = bookedAtClinic(bookingId);
      if (!found.ok) return found;
      const booking = found.body;
      const startMs = start.toMillis();
      const day = start.setZone(cliniqZone).startOf('day').toMillis();
      const today = localToday();
      const candidates = practitioners
        .filter((p) => p.clinicId === booking.slot.clinicId)
        .sort(
          (a, b) =>
            Number(b.id === booking.slot.practitionerId) -
            Number(a.id === booking.slot.practitionerId),
        );
      const target = candidates
        .filter((p) => day >= today.toMillis() && day <= lastDayOf(p, today).toMillis())
        .flatMap((p) =>
          daySlots(p, DateTime.fromMillis(day, { zone: cliniqZone })).filter(
            (slot) => slot.startMs === startMs,
          ),
        )
        .find((slot) => !isPast(slot) && occupantOf(slot.id) === undefined);
      if (!target) {
        return failure(
          409,
          'slot_taken',
          `No free time at ${formatLocal(start)} at ${booking.slot.clinicId}.`,
        );
      }
      const previous = booking.slot;
      booking.slot = target;
      booking.updatedAt = nowLocal(clock);
      occupants.set(target.id, { kind: 'booking', booking });
      record('booking_moved', 'clinic', { booking });
      release(booking, 'clinic', previous);
      record('slot_closed', 'clinic', { slot: target });
      return success(200, bookingView(booking));
    },

    /** The clinic opens a new time at or after `start` (see `findOpening`). */
    clinicOpen(clinicId: string, start: DateTime = nowLocal(clock)): Outcome<SlotView> {
      const atClinic = practitioners.filter((p) => p.clinicId === clinicId);
      if (atClinic.length === 0) return failure(404, 'clinic_not_found', `No clinic ${clinicId}.`);
      const today = localToday();
      const slot = findOpening({
        practitioners: atClinic,
        fromMs: Math.max(start.toMillis(), clock().getTime()),
        bookEndMs: (p) => lastDayOf(p, today).plus({ days: 1 }).toMillis(),
        slotsOn: daySlots,
      });
      if (!slot) {
        return failure(
          409,
          'no_free_time',
          `${clinicId} has no room for a new time in its open book.`,
        );
      }
      const key = DateTime.fromMillis(slot.startMs, { zone: cliniqZone }).toISODate() ?? '';
      const byPractitioner = opened.get(key) ?? new Map<string, Slot[]>();
      opened.set(key, byPractitioner);
      byPractitioner.set(slot.practitionerId, [
        ...(byPractitioner.get(slot.practitionerId) ?? []),
        slot,
      ]);
      record('slot_opened', 'clinic', { slot });
      return success(200, slotView(slot));
    },

    /** Every booking and hold, current as of now (expired holds marked), for the admin view. */
    snapshot() {
      for (const hold of holds.values()) expireIfDue(hold);
      return {
        bookings: [...bookings.values()].map((b) => ({ ...bookingView(b), origin: b.origin })),
        holds: [...holds.values()].map(holdView),
      };
    },
  };
  return store;
}
