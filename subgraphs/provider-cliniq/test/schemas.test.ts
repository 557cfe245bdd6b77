import { describe, expect, it } from 'vitest';
import {
  bookingSchema,
  clinicSchema,
  holdSchema,
  pageSchema,
  slotSchema,
  slotStateSchema,
} from '../src/client/schemas.js';

const slot = {
  id: 'SL-CL1001-PR1101-202603300900',
  clinicId: 'CL1001',
  practitionerId: 'PR1101',
  practitionerName: 'Anna Lindqvist',
  serviceCodes: ['ALLM20'],
  start: '2026-03-30T09:00:00',
  end: '2026-03-30T09:20:00',
};

const clinic = {
  id: 'CL1001',
  name: 'Nordklinik Södermalm',
  address: { street: 'Götgatan 54', postalCode: '118 26', city: 'Stockholm' },
  geo: { lat: 59.3142, lng: 18.0736 },
  timezone: 'Europe/Stockholm',
  serviceCodes: ['ALLM20'],
};

describe('Cliniq response schemas', () => {
  it('accept what Cliniq documents, dropping fields they do not know', () => {
    expect(slotSchema.parse({ ...slot, room: '4B' })).toEqual(slot);
    expect(clinicSchema.parse(clinic)).toEqual(clinic);
  });

  it('reject a slot time with an offset: Cliniq times are wall-clock only', () => {
    expect(slotSchema.safeParse({ ...slot, start: '2026-03-30T09:00:00Z' }).success).toBe(false);
    expect(slotSchema.safeParse({ ...slot, end: '2026-03-30T09:20:00+02:00' }).success).toBe(false);
    expect(slotSchema.safeParse({ ...slot, start: '2026-03-30 09:00' }).success).toBe(false);
  });

  it('reject a slot without an id or with a numeric clinic id', () => {
    const { id: _id, ...withoutId } = slot;
    expect(slotSchema.safeParse(withoutId).success).toBe(false);
    expect(slotSchema.safeParse({ ...slot, clinicId: 1001 }).success).toBe(false);
  });

  it('reject an unknown slot status', () => {
    expect(slotStateSchema.safeParse({ ...slot, status: 'reserved' }).success).toBe(false);
    expect(slotStateSchema.parse({ ...slot, status: 'held' }).status).toBe('held');
  });

  it('reject a clinic with an unknown time zone or coordinates off the globe', () => {
    expect(clinicSchema.safeParse({ ...clinic, timezone: 'Europe/Atlantis' }).success).toBe(false);
    expect(clinicSchema.safeParse({ ...clinic, geo: { lat: 159.3, lng: 18 } }).success).toBe(false);
  });

  it('reject a page without totalPages', () => {
    const page = pageSchema(slotSchema);
    expect(
      page.safeParse({ data: [slot], page: 1, pageSize: 25, totalPages: 1, totalItems: 1 }).success,
    ).toBe(true);
    expect(page.safeParse({ data: [slot], page: 1, pageSize: 25, totalItems: 1 }).success).toBe(
      false,
    );
  });

  it('reject a hold or booking in a state Cliniq does not have', () => {
    const hold = {
      holdId: 'HD-000001',
      slotId: slot.id,
      externalRef: 'res-1',
      status: 'held',
      expiresAt: '2026-03-30T09:05:00',
      bookingId: null,
    };
    expect(holdSchema.safeParse(hold).success).toBe(true);
    expect(holdSchema.safeParse({ ...hold, status: 'pending' }).success).toBe(false);
    const booking = {
      bookingId: 'BK-000001',
      slotId: slot.id,
      externalRef: 'res-1',
      status: 'booked',
      start: slot.start,
      end: slot.end,
      clinicId: 'CL1001',
      practitionerId: 'PR1101',
      createdAt: '2026-03-25T09:00:00',
    };
    expect(bookingSchema.safeParse(booking).success).toBe(true);
    expect(bookingSchema.safeParse({ ...booking, status: 'confirmed' }).success).toBe(false);
  });
});
