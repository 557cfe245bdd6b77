import { describe, expect, it } from 'vitest';
import { findTreatment } from '../../../packages/catalogue/src/index.js';
import type { Hold as VendorHold, Slot as VendorSlot } from '../src/__generated__/types.gen.js';
import {
  bookingFromVendorBooking,
  bookingFromVendorHold,
  serviceCodesFor,
  toBookingFailure,
  toContractChange,
  toContractClinic,
  toContractSlot,
  toContractTreatments,
  toVendorPatient,
  treatmentIdByServiceCode,
  treatmentIdsOf,
} from '../src/mapping.js';

const zone = 'Europe/Stockholm';

function slot(start: string, end: string, serviceCodes = ['ALLM20']): VendorSlot {
  return {
    id: `SL-CL1001-PR1101-${start.replace(/\D/g, '').slice(0, 12)}`,
    clinicId: 'CL1001',
    practitionerId: 'PR1101',
    practitionerName: 'Anna Lindqvist',
    serviceCodes,
    start,
    end,
  };
}

/** A Cliniq booking made through the API (the platform's), cancelled. */
const vendorBooking = {
  bookingId: 'BK-000002',
  slotId: 'SL-x',
  externalRef: 'res-2',
  status: 'cancelled',
  start: '2026-03-30T09:00:00',
  end: '2026-03-30T09:20:00',
  clinicId: 'CL1001',
  practitionerId: 'PR1101',
  channel: 'api',
  createdAt: '2026-03-25T09:00:00',
  updatedAt: '2026-03-25T10:00:00',
} as const;

describe('slot times: Cliniq local wall time → UTC', () => {
  it('reads winter time as UTC+1 the day before the spring change', () => {
    const mapped = toContractSlot(slot('2026-03-28T09:00:00', '2026-03-28T09:20:00'), zone);
    expect(mapped).toMatchObject({
      start: '2026-03-28T08:00:00.000Z',
      end: '2026-03-28T08:20:00.000Z',
    });
  });

  it('reads summer time as UTC+2 on 29 March 2026, the day the clocks go forward', () => {
    const mapped = toContractSlot(slot('2026-03-29T09:00:00', '2026-03-29T09:20:00'), zone);
    expect(mapped).toMatchObject({
      start: '2026-03-29T07:00:00.000Z',
      end: '2026-03-29T07:20:00.000Z',
    });
  });

  it('keeps a slot across the skipped hour (01:45 → 03:15 wall) 30 real minutes long', () => {
    const mapped = toContractSlot(slot('2026-03-29T01:45:00', '2026-03-29T03:15:00'), zone);
    expect(mapped).toMatchObject({
      start: '2026-03-29T00:45:00.000Z',
      end: '2026-03-29T01:15:00.000Z',
    });
  });

  it('reads summer time as UTC+2 before, and winter time as UTC+1 after, 25 October 2026', () => {
    expect(toContractSlot(slot('2026-10-24T10:00:00', '2026-10-24T10:20:00'), zone).start).toBe(
      '2026-10-24T08:00:00.000Z',
    );
    expect(toContractSlot(slot('2026-10-25T10:00:00', '2026-10-25T10:20:00'), zone).start).toBe(
      '2026-10-25T09:00:00.000Z',
    );
  });

  it('takes the earlier (summer-time) instant for a start in the repeated hour 02:00–03:00', () => {
    const mapped = toContractSlot(slot('2026-10-25T02:30:00', '2026-10-25T02:45:00'), zone);
    expect(mapped).toMatchObject({
      start: '2026-10-25T00:30:00.000Z',
      end: '2026-10-25T00:45:00.000Z',
    });
  });

  it('puts the end of a slot that crosses back from 02:50 CEST to 02:10 CET after its start', () => {
    const mapped = toContractSlot(slot('2026-10-25T02:50:00', '2026-10-25T02:10:00'), zone);
    expect(mapped).toMatchObject({
      start: '2026-10-25T00:50:00.000Z',
      end: '2026-10-25T01:10:00.000Z',
    });
  });

  it('refuses a slot whose end lies before its start as a bad response', () => {
    expect(() => toContractSlot(slot('2026-04-01T10:00:00', '2026-04-01T09:00:00'), zone)).toThrow(
      expect.objectContaining({ code: 'PROVIDER_BAD_RESPONSE' }),
    );
  });

  it('refuses an impossible date as a bad response', () => {
    expect(() => toContractSlot(slot('2026-02-30T10:00:00', '2026-02-30T10:20:00'), zone)).toThrow(
      expect.objectContaining({ code: 'PROVIDER_BAD_RESPONSE' }),
    );
  });

  it('maps practitioner and treatments and leaves deep-link fields empty', () => {
    const mapped = toContractSlot(
      slot('2026-04-01T10:00:00', '2026-04-01T10:20:00', ['ALLM20', 'XRAY99', 'VACC10']),
      zone,
    );
    expect(mapped).toMatchObject({
      clinicId: 'CL1001',
      treatmentIds: ['general-practitioner', 'vaccination'],
      practitioner: { id: 'PR1101', name: 'Anna Lindqvist' },
      bookingUrl: null,
      capacity: null,
    });
  });
});

describe('service codes → platform treatments', () => {
  it.each([
    ['ALLM20', 'general-practitioner'],
    ['SSK15', 'nurse-visit'],
    ['VACC10', 'vaccination'],
    ['FYS45', 'physiotherapy'],
    ['PSY45', 'psychologist'],
    ['BVC30', 'child-health'],
  ])('maps %s to %s', (code, treatmentId) => {
    expect(treatmentIdsOf([code])).toEqual([treatmentId]);
    expect(serviceCodesFor(treatmentId)).toEqual([code]);
  });

  it('drops codes the catalogue has no treatment for', () => {
    expect(treatmentIdsOf(['TAND30', 'ALLM20', 'ALLM20'])).toEqual(['general-practitioner']);
    expect(serviceCodesFor('dental-checkup')).toEqual([]);
  });

  it('maps only to ids that exist in the platform catalogue', () => {
    for (const id of Object.values(treatmentIdByServiceCode))
      expect(findTreatment(id)?.id).toBe(id);
  });

  it("lists the tenant's known services with Cliniq's names and durations", () => {
    const treatments = toContractTreatments([
      { code: 'FYS45', name: 'Fysioterapi', durationMinutes: 45 },
      { code: 'LAB05', name: 'Provtagning', durationMinutes: 5 },
    ]);
    expect(treatments).toEqual([
      { id: 'physiotherapy', providerCode: 'FYS45', name: 'Fysioterapi', durationMinutes: 45 },
    ]);
  });
});

describe('clinics', () => {
  it('maps address, coordinates, zone and offered treatments', () => {
    const clinic = toContractClinic({
      id: 'CL2003',
      name: 'Västkustens Vårdcentral Möllevången',
      address: { street: 'Bergsgatan 20', postalCode: '214 22', city: 'Malmö' },
      geo: { lat: 55.594, lng: 13.0047 },
      timezone: 'Europe/Stockholm',
      serviceCodes: ['ALLM20', 'SSK15', 'LAB05'],
    });
    expect(clinic).toEqual({
      id: 'CL2003',
      name: 'Västkustens Vårdcentral Möllevången',
      address: { line: 'Bergsgatan 20', postalCode: '214 22', city: 'Malmö' },
      location: { latitude: 55.594, longitude: 13.0047 },
      timeZone: 'Europe/Stockholm',
      treatmentIds: ['general-practitioner', 'nurse-visit'],
    });
  });
});

describe('bookings and holds', () => {
  const hold: VendorHold = {
    holdId: 'HD-000001',
    slotId: 'SL-CL1001-PR1101-202603300900',
    externalRef: 'res-1',
    status: 'held',
    expiresAt: '2026-03-30T09:05:00',
    bookingId: null,
  };

  it('maps a live hold to HELD with its expiry converted to UTC', () => {
    expect(bookingFromVendorHold(hold)).toEqual({
      reservationId: 'res-1',
      slotId: 'SL-CL1001-PR1101-202603300900',
      status: 'HELD',
      providerReference: 'HD-000001',
      expiresAt: '2026-03-30T07:05:00.000Z',
    });
  });

  it('takes the earlier instant for an expiry in the repeated hour, never overstating the hold', () => {
    expect(bookingFromVendorHold({ ...hold, expiresAt: '2026-10-25T02:10:00' }).expiresAt).toBe(
      '2026-10-25T00:10:00.000Z',
    );
  });

  it('maps a confirmed hold to the booking it became, and lapsed or released holds to CANCELLED', () => {
    expect(
      bookingFromVendorHold({ ...hold, status: 'confirmed', bookingId: 'BK-000007' }),
    ).toMatchObject({ status: 'BOOKED', providerReference: 'BK-000007' });
    expect(bookingFromVendorHold({ ...hold, status: 'expired' }).status).toBe('CANCELLED');
    expect(bookingFromVendorHold({ ...hold, status: 'released' }).status).toBe('CANCELLED');
  });

  it('maps a booking by its externalRef, with its time in the clinic’s zone, without an expiry', () => {
    const booking = bookingFromVendorBooking(vendorBooking, 'Europe/Stockholm');
    expect(booking).toEqual({
      reservationId: 'res-2',
      slotId: 'SL-x',
      status: 'CANCELLED',
      providerReference: 'BK-000002',
      expiresAt: null,
      start: '2026-03-30T07:00:00.000Z',
      end: '2026-03-30T07:20:00.000Z',
    });
  });

  it.each([
    ['booked', 'BOOKED'],
    ['cancelled', 'CANCELLED'],
    ['cancelled_by_clinic', 'CANCELLED'],
    ['no_show', 'NO_SHOW'],
  ] as const)('maps the booking status %s to %s', (status, expected) => {
    expect(bookingFromVendorBooking({ ...vendorBooking, status }, 'Europe/Stockholm').status).toBe(
      expected,
    );
  });

  it("renames the patient's fields to Cliniq's and leaves out empty contact details", () => {
    const patient = toVendorPatient({
      personalIdentityNumber: '199001011234',
      givenName: 'Testa',
      familyName: 'Testsson',
      email: null,
      phone: '0701234567',
    });
    expect(patient).toEqual({
      personalIdentityNumber: '199001011234',
      firstName: 'Testa',
      lastName: 'Testsson',
      phone: '0701234567',
    });
  });
});

describe('changes of Cliniq’s feed → contract changes', () => {
  const zoneOf = () => 'Europe/Stockholm';
  const slot = {
    id: 'SL-CL1001-PR1101-202603300900',
    clinicId: 'CL1001',
    practitionerId: 'PR1101',
    practitionerName: 'Anna Lindqvist',
    serviceCodes: ['ALLM20'],
    start: '2026-03-30T09:00:00',
    end: '2026-03-30T09:20:00',
  };
  const change = (overrides: object) => ({
    sequence: 7,
    type: 'booking_cancelled' as const,
    changedAt: '2026-03-25T10:00:00',
    changedBy: 'clinic' as const,
    ...overrides,
  });

  it('reports a platform booking the clinic changed as BOOKING_UPDATED, with Cliniq’s time and number', () => {
    const booking = { ...vendorBooking, status: 'cancelled_by_clinic' as const };
    expect(toContractChange(change({ booking }), zoneOf, 0)).toEqual({
      id: '0.7',
      kind: 'BOOKING_UPDATED',
      source: 'POLL',
      occurredAt: '2026-03-25T09:00:00.000Z',
      booking: expect.objectContaining({
        reservationId: 'res-2',
        status: 'CANCELLED',
        start: '2026-03-30T07:00:00.000Z',
      }),
      slot: null,
    });
  });

  it.each([
    ['a change the API made (the platform knows its own)', { changedBy: 'api' }],
    ['a patient’s own web booking', { booking: { ...vendorBooking, channel: 'web' } }],
  ])('leaves out %s', (_, overrides) => {
    expect(
      toContractChange(change({ booking: vendorBooking, ...overrides }), zoneOf, 0),
    ).toBeNull();
  });

  it('reports times that opened or closed as SLOT_OPENED and SLOT_CLOSED, whoever made them, numbered within the epoch', () => {
    const opened = toContractChange(
      change({ type: 'slot_opened', changedBy: 'api', slot }),
      zoneOf,
      2,
    );
    expect(opened).toMatchObject({
      id: '2.7',
      kind: 'SLOT_OPENED',
      booking: null,
      slot: {
        id: slot.id,
        start: '2026-03-30T07:00:00.000Z',
        treatmentIds: ['general-practitioner'],
      },
    });
    expect(toContractChange(change({ type: 'slot_closed', slot }), zoneOf, 0)?.kind).toBe(
      'SLOT_CLOSED',
    );
  });
});

describe('vendor errors → contract error codes', () => {
  it.each([
    [409, 'slot_taken', 'SLOT_UNAVAILABLE'],
    [409, 'slot_in_past', 'SLOT_UNAVAILABLE'],
    [404, 'slot_not_found', 'SLOT_UNAVAILABLE'],
    [410, 'hold_expired', 'HOLD_EXPIRED'],
    [410, 'hold_released', 'HOLD_EXPIRED'],
    [404, 'hold_not_found', 'NOT_FOUND'],
    [404, 'booking_not_found', 'NOT_FOUND'],
    [409, 'too_late_to_cancel', 'NOT_CANCELLABLE'],
    [400, 'invalid_request', 'INVALID_INPUT'],
    [409, 'something_new', 'SLOT_UNAVAILABLE'],
    [404, 'not_found', 'NOT_FOUND'],
  ] as const)('%i %s → %s', (status, error, code) => {
    expect(toBookingFailure(status, { error, message: 'x' }).error?.code).toBe(code);
  });

  it('names the contract field of an invalid patient, and never passes on the vendor message', () => {
    const result = toBookingFailure(422, {
      error: 'invalid_patient',
      message: 'patient.personalIdentityNumber: 19900101-1234 is not 12 digits',
      field: 'personalIdentityNumber',
    });
    expect(result.booking).toBeNull();
    expect(result.error).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'patient.personalIdentityNumber',
    });
    expect(result.error?.message).not.toContain('1990');
    expect(
      toBookingFailure(422, { error: 'invalid_patient', field: 'lastName' }).error?.field,
    ).toBe('patient.familyName');
  });

  it('reports a reservation id reused for another slot as invalid input on reservationId', () => {
    expect(toBookingFailure(409, { error: 'idempotency_conflict' }).error).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'reservationId',
    });
  });
});
