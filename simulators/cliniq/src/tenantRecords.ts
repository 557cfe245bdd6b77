import type { DateTime } from 'luxon';
import type { Slot } from './generateSlots.js';
import { formatLocal } from './localTime.js';

/*
 * What a Cliniq tenant keeps (patients, holds, bookings) and the views its API answers with:
 * Cliniq's own field names, local times without offsets.
 */

export interface Patient {
  personalIdentityNumber: string;
  firstName: string;
  lastName: string;
  email?: string | undefined;
  phone?: string | undefined;
}

export interface HoldRecord {
  holdId: string;
  slot: Slot;
  externalRef: string;
  status: 'held' | 'confirmed' | 'released' | 'expired';
  createdAt: DateTime;
  expiresAt: DateTime;
  bookingId?: string;
}

/**
 * `cancelled`: by a client of the API; `cancelled_by_clinic`: by the clinic's staff; `no_show`: the
 * clinic recorded that the patient did not come.
 */
export type BookingStatus = 'booked' | 'cancelled' | 'cancelled_by_clinic' | 'no_show';

export interface BookingRecord {
  bookingId: string;
  /** The booked time; the clinic may move the booking to another one. */
  slot: Slot;
  externalRef: string;
  status: BookingStatus;
  createdAt: DateTime;
  /** The last change of status or time. */
  updatedAt: DateTime;
  /** Absent for the seeded bookings of "other patients". */
  patient?: Patient;
  note?: string | undefined;
  /** `seed`: made by another patient before the simulator started; `api`: made through the API. */
  origin: 'seed' | 'api';
}

export interface SlotView {
  id: string;
  clinicId: string;
  practitionerId: string;
  practitionerName: string;
  serviceCodes: string[];
  start: string;
  end: string;
}

export type SlotStatus = 'free' | 'held' | 'booked';

export interface HoldView {
  holdId: string;
  slotId: string;
  externalRef: string;
  status: HoldRecord['status'];
  expiresAt: string;
  bookingId: string | null;
}

/** The booking as Cliniq shows it: never the patient's identity. */
export interface BookingView {
  bookingId: string;
  slotId: string;
  externalRef: string;
  status: BookingStatus;
  start: string;
  end: string;
  clinicId: string;
  practitionerId: string;
  /** `api`: made through this API; `web`: by the patient on Cliniq's own booking site. */
  channel: 'api' | 'web';
  createdAt: string;
  updatedAt: string;
}

export function slotView(slot: Slot): SlotView {
  return {
    id: slot.id,
    clinicId: slot.clinicId,
    practitionerId: slot.practitionerId,
    practitionerName: slot.practitionerName,
    serviceCodes: [...slot.serviceCodes],
    start: slot.start,
    end: slot.end,
  };
}

export function holdView(hold: HoldRecord): HoldView {
  return {
    holdId: hold.holdId,
    slotId: hold.slot.id,
    externalRef: hold.externalRef,
    status: hold.status,
    expiresAt: formatLocal(hold.expiresAt),
    bookingId: hold.bookingId ?? null,
  };
}

export function bookingView(booking: BookingRecord): BookingView {
  return {
    bookingId: booking.bookingId,
    slotId: booking.slot.id,
    externalRef: booking.externalRef,
    status: booking.status,
    start: booking.slot.start,
    end: booking.slot.end,
    clinicId: booking.slot.clinicId,
    practitionerId: booking.slot.practitionerId,
    channel: booking.origin === 'api' ? 'api' : 'web',
    createdAt: formatLocal(booking.createdAt),
    updatedAt: formatLocal(booking.updatedAt),
  };
}
