import { describeGeneratedClient } from '@booking/provider-contract-tests';
import { describe, expect, it } from 'vitest';
import * as client from '../src/__generated__/client.gen.js';
import {
  zBooking,
  zHold,
  zListSlotsOperationResponse,
  zSlot,
  zSlotState,
} from '../src/__generated__/zod.gen.js';
import { clinicPage, cliniqError } from '../src/client/createCliniqClient.js';

describeGeneratedClient('Cliniq', client, new URL('../package.json', import.meta.url));

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
const page = { page: 1, pageSize: 25, totalPages: 1, totalItems: 1 };

describe("Cliniq's answers, as the generated schemas read them", () => {
  it('accepts what Cliniq answers, dropping fields it does not know', () => {
    expect(zSlot.parse({ ...slot, room: '4B' })).toEqual(slot);
    expect(clinicPage.parse({ ...page, data: [clinic] }).data).toEqual([clinic]);
  });

  it('rejects a slot time with an offset: Cliniq times are wall-clock only', () => {
    expect(zSlot.safeParse({ ...slot, start: '2026-03-30T09:00:00Z' }).success).toBe(false);
    expect(zSlot.safeParse({ ...slot, end: '2026-03-30T09:20:00+02:00' }).success).toBe(false);
    expect(zSlot.safeParse({ ...slot, start: '2026-03-30 09:00' }).success).toBe(false);
  });

  it('rejects a slot without an id, with a numeric clinic id or an unknown status', () => {
    const { id: _id, ...withoutId } = slot;
    expect(zSlot.safeParse(withoutId).success).toBe(false);
    expect(zSlot.safeParse({ ...slot, clinicId: 1001 }).success).toBe(false);
    expect(zSlotState.safeParse({ ...slot, status: 'reserved' }).success).toBe(false);
    expect(zSlotState.parse({ ...slot, status: 'held' }).status).toBe('held');
  });

  it('rejects a clinic with an unknown time zone or coordinates off the globe', () => {
    const parse = (changed: object) => clinicPage.safeParse({ ...page, data: [changed] }).success;
    expect(parse({ ...clinic, timezone: 'Europe/Atlantis' })).toBe(false);
    expect(parse({ ...clinic, geo: { lat: 159.3, lng: 18 } })).toBe(false);
  });

  it('rejects a page without totalPages', () => {
    expect(zListSlotsOperationResponse.safeParse({ ...page, data: [slot] }).success).toBe(true);
    const { totalPages: _, ...partial } = page;
    expect(zListSlotsOperationResponse.safeParse({ ...partial, data: [slot] }).success).toBe(false);
  });

  it('rejects a hold or booking in a state Cliniq does not have', () => {
    const hold = {
      holdId: 'HD-000001',
      slotId: slot.id,
      externalRef: 'res-1',
      status: 'held',
      expiresAt: '2026-03-30T09:05:00',
      bookingId: null,
    };
    expect(zHold.safeParse(hold).success).toBe(true);
    expect(zHold.safeParse({ ...hold, status: 'pending' }).success).toBe(false);
    const booking = {
      bookingId: 'BK-000001',
      slotId: slot.id,
      externalRef: 'res-1',
      status: 'booked',
      start: slot.start,
      end: slot.end,
      clinicId: 'CL1001',
      practitionerId: 'PR1101',
      channel: 'api',
      createdAt: '2026-03-25T09:00:00',
      updatedAt: '2026-03-25T09:00:00',
    };
    expect(zBooking.safeParse(booking).success).toBe(true);
    expect(zBooking.safeParse({ ...booking, status: 'confirmed' }).success).toBe(false);
  });

  it('reads an error code the document does not list, to be translated by its status', () => {
    expect(cliniqError.parse({ error: 'slot_frozen' })).toEqual({ error: 'slot_frozen' });
    expect(cliniqError.safeParse({ message: 'no code' }).success).toBe(false);
  });
});
