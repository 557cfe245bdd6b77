import { hashString } from '@booking/simulator-kit';
import { DateTime } from 'luxon';
import { type CodeNames, generateTimeslots, type Timeslot } from './generateTimeslots.js';
import { formatTs, nowLocal } from './localTime.js';
import { findExtraTimeslot } from './openExtraTimeslot.js';
import { isValidSubjectOfCareId } from './personnummer.js';
import type { CareUnitSeed, FacilitySeed, PerformerSeed } from './seed.js';

/** The patient as MakeBooking describes them (`subject_of_care_info`). */
export interface SubjectOfCareInfo {
  firstName: string;
  middleName?: string | undefined;
  lastName: string;
  phone?: string | undefined;
  email?: string | undefined;
  address?: string | undefined;
  coaddress?: string | undefined;
}

export interface BookingRecord {
  bookingId: string;
  timeslot: Timeslot;
  /** 12-character personnummer, samordningsnummer or reserve number. */
  subjectOfCare: string;
  subjectInfo: SubjectOfCareInfo;
  purpose?: string | undefined;
  reason?: string | undefined;
  notification?: string | undefined;
  status: 'booked' | 'cancelled';
  createdAt: string;
}

/** What a change made by the clinic's staff did, or why it could not be made. */
export type ClinicOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; status: 404 | 409; message: string };

/** The timeslot fields a consumer names when it books or rebooks. */
export interface RequestedTimeslot {
  start?: string | undefined;
  end?: string | undefined;
  healthcareFacility: string;
  performer?: string | undefined;
  timeTypeId?: string | undefined;
  subjectOfCare?: string | undefined;
  purpose?: string | undefined;
  reason?: string | undefined;
  bookingId?: string | undefined;
}

/** A RIV-TA result: `resultCode` and `resultText` inside an HTTP 200, as MakeBooking & co answer. */
export interface ResultOutcome {
  resultCode: 'OK' | 'INFO' | 'ERROR';
  resultText?: string;
  bookingId?: string;
}

export interface TimeslotQuery {
  facility: FacilitySeed;
  /** Local midnight of the first and last day (inclusive). */
  firstDay: DateTime;
  lastDay: DateTime;
  performers: readonly string[];
  timeTypeId?: string | undefined;
  careTypeId?: string | undefined;
  /** A booking to rebook: its own timeslot counts as free for it. */
  rebookingOf?: string | undefined;
}

export interface CareUnitStoreOptions {
  clock: () => Date;
  /** Read on every call so `/_admin/config` changes apply at once. */
  settings: () => {
    /** Replaces every facility's own booking horizon when set. */
    daysAhead: number | undefined;
    cancelCutoffMinutes: number;
    bookingLeadMinutes: number;
    otherPatientsShare: number;
  };
  names: CodeNames;
  /** Issues booking ids unique across units, e.g. `TB00000001`. */
  nextBookingId: () => string;
  /** Seed for which timeslots other patients booked before the simulator started. */
  seed: number;
}

/** Longest `notification` kept; a longer one is cut and the booking answered with INFO. */
export const notificationLimit = 500;

/** The producer's own words, as real producers send them in `resultText` (Swedish). */
export const resultTexts = {
  slotTaken: 'Tiden är inte längre ledig.',
  slotUnknown: 'Tiden finns inte i tidboken.',
  slotPast: 'Tiden har redan passerat.',
  slotTooSoon: (minutes: number) =>
    `Tiden kan inte bokas senare än ${minutes} minuter före besöket.`,
  subjectMissing: 'Personnummer saknas.',
  subjectInvalid: 'Ogiltigt personnummer.',
  nameMissing: 'Patientens för- och efternamn krävs.',
  facilityUnknown: 'Okänd vårdenhet.',
  facilityMismatch: 'Tiden tillhör en annan vårdenhet.',
  actorMismatch: 'Inloggad person får endast boka tid åt sig själv.',
  bookingUnknown: 'Bokningen finns inte.',
  bookingCancelled: 'Bokningen är redan avbokad.',
  cancelTooLate: (minutes: number) =>
    `Avbokning kan inte göras senare än ${minutes} minuter före besöket.`,
  rebookTooLate: (minutes: number) =>
    `Ombokning kan inte göras senare än ${minutes} minuter före besöket.`,
  notificationCut: `Meddelandet har kortats till ${notificationLimit} tecken.`,
} as const;

export type CareUnitStore = ReturnType<typeof createCareUnitStore>;

/**
 * One care unit's appointment book: its facilities' timeslots generated from weekly schedules,
 * and the bookings made in them. Every operation is synchronous, so the check that a timeslot is
 * free and the write that takes it can never be split by another request: one booking per
 * timeslot, however many arrive at once.
 */
export function createCareUnitStore(unit: CareUnitSeed, options: CareUnitStoreOptions) {
  const { clock, settings, names } = options;
  const bookings = new Map<string, BookingRecord>();
  /** Live bookings by timeslot key. */
  const occupied = new Map<string, BookingRecord>();
  const facilities = new Map(unit.facilities.map((facility) => [facility.hsaId, facility]));
  // Timeslots are a pure function of performer and day; generating them is the costly part of a
  // search, so they are cached per local day, and days before today are dropped.
  const slotCache = new Map<string, Map<string, readonly Timeslot[]>>();
  /** Extra times the clinic opened, by `day|facility|performer`; kept apart from the cache. */
  const extraSlots = new Map<string, Timeslot[]>();

  function daySlots(facility: FacilitySeed, performer: PerformerSeed, day: DateTime) {
    const dayKey = day.toFormat('yyyyMMdd');
    const generated = generatedDaySlots(facility, performer, day, dayKey);
    const extra = extraSlots.get(`${dayKey}|${facility.hsaId}|${performer.hsaId}`);
    if (!extra) return generated;
    return [...generated, ...extra].sort(
      (a, b) => a.startMs - b.startMs || (a.key < b.key ? -1 : 1),
    );
  }

  function generatedDaySlots(
    facility: FacilitySeed,
    performer: PerformerSeed,
    day: DateTime,
    dayKey: string,
  ) {
    let byPerformer = slotCache.get(dayKey);
    if (!byPerformer) {
      byPerformer = new Map();
      slotCache.set(dayKey, byPerformer);
    }
    const key = `${facility.hsaId}|${performer.hsaId}`;
    let slots = byPerformer.get(key);
    if (!slots) {
      slots = generateTimeslots(facility, performer, day, names);
      byPerformer.set(key, slots);
    }
    return slots;
  }

  /** Today and the last day of `facility`'s open book (local midnights). */
  function bookableDays(facility: FacilitySeed) {
    const today = nowLocal(clock).startOf('day');
    const todayKey = today.toFormat('yyyyMMdd');
    for (const key of slotCache.keys()) if (key < todayKey) slotCache.delete(key);
    for (const key of extraSlots.keys()) if (key.slice(0, 8) < todayKey) extraSlots.delete(key);
    const horizon = settings().daysAhead ?? facility.bookingHorizonDays;
    return { today, lastDay: today.plus({ days: horizon }) };
  }

  /** Other patients' bookings made before start-up: a fixed share, the same for the same seed. */
  function takenByOthers(slot: Timeslot): boolean {
    const share = settings().otherPatientsShare;
    return hashString(`${options.seed}|${slot.key}`) / 4294967296 < share;
  }

  /** Timeslots starting sooner than the booking lead are no longer offered nor bookable. */
  function tooSoon(slot: Timeslot): boolean {
    return slot.startMs < clock().getTime() + settings().bookingLeadMinutes * 60_000;
  }

  function isFree(slot: Timeslot, rebookingOf?: string): boolean {
    if (tooSoon(slot) || (!slot.openedAtClinic && takenByOthers(slot))) return false;
    const occupant = occupied.get(slot.key);
    return occupant === undefined || occupant.bookingId === rebookingOf;
  }

  /** The timeslot of the book at `facility` starting at `start` (a `TS`), if any. */
  function findTimeslot(
    facility: FacilitySeed,
    start: string,
    performer: string | undefined,
  ): Timeslot[] {
    const { today, lastDay } = bookableDays(facility);
    const day = today.set({
      year: Number(start.slice(0, 4)),
      month: Number(start.slice(4, 6)),
      day: Number(start.slice(6, 8)),
    });
    if (!day.isValid || day.toFormat('yyyyMMdd') !== start.slice(0, 8)) return [];
    if (day < today || day > lastDay) return [];
    return facility.performers
      .filter((p) => performer === undefined || p.hsaId === performer)
      .flatMap((p) => daySlots(facility, p, day).filter((slot) => slot.start === start));
  }

  function cutoffPassed(slot: Timeslot): boolean {
    return slot.startMs - clock().getTime() < settings().cancelCutoffMinutes * 60_000;
  }

  /** Picks the requested timeslot, or says in the producer's words why it cannot be booked. */
  function resolveRequested(
    requested: RequestedTimeslot,
    facility: FacilitySeed,
    rebookingOf?: string,
  ): Timeslot | ResultOutcome {
    if (requested.healthcareFacility !== facility.hsaId) {
      return { resultCode: 'ERROR', resultText: resultTexts.facilityMismatch };
    }
    if (!requested.start) return { resultCode: 'ERROR', resultText: resultTexts.slotUnknown };
    const candidates = findTimeslot(facility, requested.start, requested.performer).filter(
      (slot) =>
        (requested.end === undefined || slot.end === requested.end) &&
        (requested.timeTypeId === undefined || slot.timeTypeId === requested.timeTypeId),
    );
    if (candidates.length === 0) {
      return { resultCode: 'ERROR', resultText: resultTexts.slotUnknown };
    }
    const free = candidates.find((slot) => isFree(slot, rebookingOf));
    if (free) return free;
    const text = candidates.every((slot) => slot.startMs < clock().getTime())
      ? resultTexts.slotPast
      : candidates.every(tooSoon)
        ? resultTexts.slotTooSoon(settings().bookingLeadMinutes)
        : resultTexts.slotTaken;
    return { resultCode: 'ERROR', resultText: text };
  }

  function checkSubject(subject: string | undefined): ResultOutcome | undefined {
    if (!subject) return { resultCode: 'ERROR', resultText: resultTexts.subjectMissing };
    if (!isValidSubjectOfCareId(subject)) {
      return { resultCode: 'ERROR', resultText: resultTexts.subjectInvalid };
    }
    return undefined;
  }

  function cutNotification(notification: string | undefined) {
    if (notification === undefined || notification.length <= notificationLimit) {
      return { notification, cut: false };
    }
    return { notification: notification.slice(0, notificationLimit), cut: true };
  }

  return {
    unit,

    /** The facility with this HSA id in this unit. */
    facility(hsaId: string): FacilitySeed | undefined {
      return facilities.get(hsaId);
    },

    /** The unit's own HSA id stands for all its facilities; a facility's for itself. */
    facilitiesFor(hsaId: string): readonly FacilitySeed[] | undefined {
      if (hsaId === unit.logicalAddress) return unit.facilities;
      const facility = facilities.get(hsaId);
      return facility ? [facility] : undefined;
    },

    /** The first and last bookable day of a facility (local midnights). */
    bookableDays,

    /** Free future timeslots matching `query`, by start then key. */
    availableTimeslots(query: TimeslotQuery): Timeslot[] {
      const { today, lastDay } = bookableDays(query.facility);
      const first = DateTime.max(query.firstDay, today);
      const last = DateTime.min(query.lastDay, lastDay);
      const performers = query.facility.performers.filter(
        (p) => query.performers.length === 0 || query.performers.includes(p.hsaId),
      );
      const slots: Timeslot[] = [];
      for (let day = first; day <= last; day = day.plus({ days: 1 })) {
        for (const performer of performers) {
          for (const slot of daySlots(query.facility, performer, day)) {
            if (query.timeTypeId !== undefined && slot.timeTypeId !== query.timeTypeId) continue;
            if (query.careTypeId !== undefined && slot.careTypeId !== query.careTypeId) continue;
            if (isFree(slot, query.rebookingOf)) slots.push(slot);
          }
        }
      }
      return slots.sort((a, b) => a.startMs - b.startMs || (a.key < b.key ? -1 : 1));
    },

    /** MakeBooking: takes the timeslot for the subject of care, or says why not. */
    makeBooking(request: {
      facility: FacilitySeed;
      timeslot: RequestedTimeslot;
      subjectInfo: SubjectOfCareInfo;
      notification?: string | undefined;
    }): ResultOutcome {
      const subjectProblem = checkSubject(request.timeslot.subjectOfCare);
      if (subjectProblem) return subjectProblem;
      if (!request.subjectInfo.firstName.trim() || !request.subjectInfo.lastName.trim()) {
        return { resultCode: 'ERROR', resultText: resultTexts.nameMissing };
      }
      const slot = resolveRequested(request.timeslot, request.facility);
      if (!('key' in slot)) return slot;
      const { notification, cut } = cutNotification(request.notification);
      const record: BookingRecord = {
        bookingId: options.nextBookingId(),
        timeslot: slot,
        subjectOfCare: request.timeslot.subjectOfCare!,
        subjectInfo: request.subjectInfo,
        purpose: request.timeslot.purpose,
        reason: request.timeslot.reason,
        notification,
        status: 'booked',
        createdAt: formatTs(clock()),
      };
      bookings.set(record.bookingId, record);
      occupied.set(slot.key, record);
      return cut
        ? {
            resultCode: 'INFO',
            resultText: resultTexts.notificationCut,
            bookingId: record.bookingId,
          }
        : { resultCode: 'OK', bookingId: record.bookingId };
    },

    /** UpdateBooking: moves a booking to another timeslot (same booking id), or updates its details. */
    updateBooking(request: {
      timeslot: RequestedTimeslot;
      subjectInfo?: SubjectOfCareInfo | undefined;
      notification?: string | undefined;
    }): ResultOutcome {
      const record = request.timeslot.bookingId
        ? bookings.get(request.timeslot.bookingId)
        : undefined;
      if (record?.status !== 'booked') {
        return { resultCode: 'ERROR', resultText: resultTexts.bookingUnknown };
      }
      const facility = facilities.get(request.timeslot.healthcareFacility);
      if (!facility) return { resultCode: 'ERROR', resultText: resultTexts.facilityUnknown };
      const moving =
        request.timeslot.start !== undefined && request.timeslot.start !== record.timeslot.start;
      if (moving && cutoffPassed(record.timeslot)) {
        return {
          resultCode: 'ERROR',
          resultText: resultTexts.rebookTooLate(settings().cancelCutoffMinutes),
        };
      }
      const slot = resolveRequested(request.timeslot, facility, record.bookingId);
      if (!('key' in slot)) return slot;
      const { notification, cut } = cutNotification(request.notification);
      occupied.delete(record.timeslot.key);
      record.timeslot = slot;
      occupied.set(slot.key, record);
      if (request.subjectInfo) record.subjectInfo = request.subjectInfo;
      if (request.timeslot.purpose !== undefined) record.purpose = request.timeslot.purpose;
      if (request.timeslot.reason !== undefined) record.reason = request.timeslot.reason;
      if (notification !== undefined) record.notification = notification;
      return cut
        ? { resultCode: 'INFO', resultText: resultTexts.notificationCut }
        : { resultCode: 'OK' };
    },

    /** CancelBooking: frees the timeslot. A repeat answers INFO. */
    cancelBooking(facility: FacilitySeed, bookingId: string): ResultOutcome {
      const record = bookings.get(bookingId);
      if (!record || record.timeslot.facilityHsaId !== facility.hsaId) {
        return { resultCode: 'ERROR', resultText: resultTexts.bookingUnknown };
      }
      if (record.status === 'cancelled') {
        return { resultCode: 'INFO', resultText: resultTexts.bookingCancelled };
      }
      if (cutoffPassed(record.timeslot)) {
        return {
          resultCode: 'ERROR',
          resultText: resultTexts.cancelTooLate(settings().cancelCutoffMinutes),
        };
      }
      record.status = 'cancelled';
      if (occupied.get(record.timeslot.key) === record) occupied.delete(record.timeslot.key);
      return { resultCode: 'OK' };
    },

    /** A live booking at `facility`; cancelled bookings are gone from the book. */
    bookingDetails(facility: FacilitySeed, bookingId: string): BookingRecord | undefined {
      const record = bookings.get(bookingId);
      return record?.status === 'booked' && record.timeslot.facilityHsaId === facility.hsaId
        ? record
        : undefined;
    },

    /** The subject's live bookings at `facility` from today on, by start. */
    schedule(facility: FacilitySeed, subjectOfCare: string): BookingRecord[] {
      const { today } = bookableDays(facility);
      return [...bookings.values()]
        .filter(
          (record) =>
            record.status === 'booked' &&
            record.subjectOfCare === subjectOfCare &&
            record.timeslot.facilityHsaId === facility.hsaId &&
            record.timeslot.startMs >= today.toMillis(),
        )
        .sort((a, b) => a.timeslot.startMs - b.timeslot.startMs);
    },

    /** Whether the booking may still be cancelled or moved (`cancel_booking_allowed`). */
    changeAllowed(record: BookingRecord): boolean {
      return !cutoffPassed(record.timeslot);
    },

    /** Every booking made here, for `/_admin/bookings`. */
    allBookings(): readonly BookingRecord[] {
      return [...bookings.values()];
    },

    /**
     * Staff cancel a booking in their own system. The consumers' cut-off does not bind them:
     * a clinic can cancel up to the visit. The timeslot is free again at once.
     */
    cancelAtClinic(bookingId: string): ClinicOutcome<BookingRecord> {
      const record = bookings.get(bookingId);
      if (!record) return { ok: false, status: 404, message: resultTexts.bookingUnknown };
      if (record.status === 'cancelled') {
        return { ok: false, status: 409, message: resultTexts.bookingCancelled };
      }
      record.status = 'cancelled';
      if (occupied.get(record.timeslot.key) === record) occupied.delete(record.timeslot.key);
      return { ok: true, value: record };
    },

    /**
     * Staff move a booking to a free timeslot of its facility starting at `start`, keeping the
     * booking id, as UpdateBooking does: the same performer and time type when that one is
     * free, else the same time type, else any free timeslot at that start.
     */
    moveAtClinic(bookingId: string, start: Date): ClinicOutcome<BookingRecord> {
      const record = bookings.get(bookingId);
      if (!record) return { ok: false, status: 404, message: resultTexts.bookingUnknown };
      if (record.status === 'cancelled') {
        return { ok: false, status: 409, message: resultTexts.bookingCancelled };
      }
      const facility = facilities.get(record.timeslot.facilityHsaId);
      const was = record.timeslot;
      const free = facility
        ? findTimeslot(facility, formatTs(start), undefined).filter(
            (slot) => slot.key !== was.key && isFree(slot),
          )
        : [];
      const rank = (slot: Timeslot) =>
        (slot.timeTypeId === was.timeTypeId ? 0 : 2) +
        (slot.performerHsaId === was.performerHsaId ? 0 : 1);
      const target = free.sort((a, b) => rank(a) - rank(b))[0];
      if (!target) return { ok: false, status: 409, message: resultTexts.slotTaken };
      occupied.delete(was.key);
      record.timeslot = target;
      occupied.set(target.key, record);
      return { ok: true, value: record };
    },

    /**
     * Staff open an extra time at `facility` at or after `from` (default: the first time
     * consumers may still book), see `findExtraTimeslot`.
     */
    openAtClinic(facility: FacilitySeed, from?: Date): ClinicOutcome<Timeslot> {
      const earliest = clock().getTime() + settings().bookingLeadMinutes * 60_000;
      const slot = findExtraTimeslot({
        facility,
        fromMs: Math.max(from?.getTime() ?? earliest, earliest),
        lastDay: bookableDays(facility).lastDay,
        slotsOf: (performer, day) => daySlots(facility, performer, day),
        names,
      });
      if (!slot)
        return { ok: false, status: 409, message: 'No room in the book for an extra time.' };
      const dayKey = slot.start.slice(0, 8);
      const key = `${dayKey}|${facility.hsaId}|${slot.performerHsaId}`;
      extraSlots.set(key, [...(extraSlots.get(key) ?? []), slot]);
      return { ok: true, value: slot };
    },
  };
}
