import { instantToLocal } from '@booking/provider-kit';
import { describe, expect, it } from 'vitest';
import { type FhirAppointment, type FhirSlot, fhirResources } from '../src/client/schemas.js';
import {
  bookingStatusOf,
  type CatalogueSchedule,
  holdExpiryExtensionUrl,
  patientIdentifier,
  personnummerSystem,
  referenceId,
  samordningsnummerSystem,
  serviceTypeSystem,
  slotStatusOf,
  toBookingFailure,
  toContractBooking,
  toContractClinic,
  toContractSlot,
  toContractTreatments,
  toFhirPatient,
  toUtc,
  treatmentIdsOf,
} from '../src/mapping.js';

const zone = 'Europe/Stockholm';
const serviceType = (code: string, display = code) => ({
  coding: [{ system: serviceTypeSystem, code, display }],
});

const schedule: CatalogueSchedule = {
  id: 'sched-1',
  clinicId: 'loc-1',
  practitioner: { id: 'role-1', name: 'Anna Lindqvist' },
  practitionerReference: { reference: 'PractitionerRole/role-1', display: 'Anna Lindqvist' },
  serviceTypes: [serviceType('124')],
  treatmentIds: ['general-practitioner'],
};

function slot(start: string, end: string, extra: Partial<FhirSlot> = {}): FhirSlot {
  return fhirResources.Slot.parse({
    resourceType: 'Slot',
    id: 'slot-1',
    meta: { versionId: '1' },
    schedule: { reference: 'Schedule/sched-1' },
    status: 'free',
    start,
    end,
    ...extra,
  });
}

function appointment(extra: Partial<FhirAppointment> = {}): FhirAppointment {
  return fhirResources.Appointment.parse({
    resourceType: 'Appointment',
    id: 'appt-1',
    meta: { versionId: '3' },
    status: 'booked',
    identifier: [{ system: 'urn:booking-platform:reservation', value: 'res-1' }],
    slot: [{ reference: 'Slot/slot-1' }],
    participant: [{ actor: { reference: 'Location/loc-1' }, status: 'accepted' }],
    ...extra,
  });
}

describe('times', () => {
  it('normalises instants with any offset to UTC around the spring change (29 March 2026)', () => {
    expect(toUtc('2026-03-28T08:00:00+01:00')).toBe('2026-03-28T07:00:00.000Z');
    expect(toUtc('2026-03-29T01:59:00+01:00')).toBe('2026-03-29T00:59:00.000Z');
    expect(toUtc('2026-03-29T03:00:00+02:00')).toBe('2026-03-29T01:00:00.000Z');
    expect(toUtc('2026-03-30T08:00:00+02:00')).toBe('2026-03-30T06:00:00.000Z');
    expect(toUtc('2026-03-30T06:00:00Z')).toBe('2026-03-30T06:00:00.000Z');
  });

  it('tells the two 02:30s of the autumn change (25 October 2026) apart by their offsets', () => {
    const summer = toUtc('2026-10-25T02:30:00+02:00');
    const winter = toUtc('2026-10-25T02:30:00+01:00');
    expect(summer).toBe('2026-10-25T00:30:00.000Z');
    expect(winter).toBe('2026-10-25T01:30:00.000Z');
    expect(instantToLocal(summer, zone)).toBe(instantToLocal(winter, zone));
  });

  it('keeps 08:00 local on both sides of each change, whichever way the server writes instants', () => {
    for (const [before, after] of [
      ['2026-03-27T08:00:00+01:00', '2026-03-30T06:00:00Z'],
      ['2026-10-23T06:00:00Z', '2026-10-26T08:00:00+01:00'],
    ] as const) {
      expect(instantToLocal(toUtc(before), zone).slice(11, 16)).toBe('08:00');
      expect(instantToLocal(toUtc(after), zone).slice(11, 16)).toBe('08:00');
    }
  });

  it('maps a slot that crosses into the repeated hour to an end after its start', () => {
    const crossing = toContractSlot(
      slot('2026-10-25T02:50:00+02:00', '2026-10-25T02:10:00+01:00'),
      schedule,
    );
    expect(crossing.start).toBe('2026-10-25T00:50:00.000Z');
    expect(crossing.end).toBe('2026-10-25T01:10:00.000Z');
  });
});

describe('catalogue', () => {
  it('maps HL7 service types to catalogue treatments and drops unknown codes and systems', () => {
    expect(
      treatmentIdsOf([
        serviceType('124'),
        serviceType('141'),
        { coding: [{ system: 'http://snomed.info/sct', code: '124' }] },
        serviceType('57'),
        serviceType('124'),
      ]),
    ).toEqual(['general-practitioner', 'vaccination']);
  });

  it('reads ids from relative, absolute and versioned references of the right type only', () => {
    expect(referenceId('Location/loc-1', 'Location')).toBe('loc-1');
    expect(referenceId('https://fhir.example/R4/Location/loc-1', 'Location')).toBe('loc-1');
    expect(referenceId('Location/loc-1/_history/4', 'Location')).toBe('loc-1');
    expect(referenceId('PractitionerRole/loc-1', 'Location')).toBeUndefined();
    expect(referenceId(undefined, 'Location')).toBeUndefined();
  });

  it('makes a clinic of a Location: address, position, zone from the extension, services offered there', () => {
    const location = fhirResources.Location.parse({
      resourceType: 'Location',
      id: 'loc-1',
      name: 'Hälsa Nord Södermalm',
      address: { line: ['Götgatan 48'], postalCode: '118 26', city: 'Stockholm' },
      position: { latitude: 59.31, longitude: 18.07 },
      extension: [
        { url: 'http://hl7.org/fhir/StructureDefinition/timezone', valueCode: 'Europe/Helsinki' },
      ],
    });
    const services = [
      { location: 'loc-1', code: '59' },
      { location: 'loc-1', code: '124' },
      { location: 'loc-2', code: '65' },
    ].map(({ location, code }, n) =>
      fhirResources.HealthcareService.parse({
        resourceType: 'HealthcareService',
        id: `hs-${n}`,
        location: [{ reference: `Location/${location}` }],
        type: [serviceType(code)],
      }),
    );
    expect(toContractClinic(location, services, zone)).toEqual({
      id: 'loc-1',
      name: 'Hälsa Nord Södermalm',
      address: { line: 'Götgatan 48', postalCode: '118 26', city: 'Stockholm' },
      location: { latitude: 59.31, longitude: 18.07 },
      timeZone: 'Europe/Helsinki',
      treatmentIds: ['general-practitioner', 'nurse-visit'],
    });
    const bare = fhirResources.Location.parse({ resourceType: 'Location', id: 'loc-9' });
    expect(toContractClinic(bare, [], zone)).toMatchObject({
      name: 'loc-9',
      address: null,
      location: null,
      timeZone: zone,
    });
  });

  it('lists each treatment once with the service type’s code and display', () => {
    const services = ['124', '124', '141', '65'].map((code, n) =>
      fhirResources.HealthcareService.parse({
        resourceType: 'HealthcareService',
        id: `hs-${n}`,
        type: [serviceType(code, `Display ${code}`)],
      }),
    );
    expect(toContractTreatments(services)).toEqual([
      {
        id: 'general-practitioner',
        providerCode: '124',
        name: 'Display 124',
        durationMinutes: null,
      },
      { id: 'physiotherapy', providerCode: '65', name: 'Display 65', durationMinutes: null },
    ]);
  });
});

describe('slots', () => {
  it('takes a slot’s own service types over its schedule’s', () => {
    const own = toContractSlot(
      slot('2026-10-20T08:00:00+02:00', '2026-10-20T08:15:00+02:00', {
        serviceType: [serviceType('57')],
      }),
      schedule,
    );
    expect(own.treatmentIds).toEqual(['vaccination']);
    const inherited = toContractSlot(
      slot('2026-10-20T08:00:00+02:00', '2026-10-20T08:15:00+02:00'),
      schedule,
    );
    expect(inherited).toEqual({
      id: 'slot-1',
      clinicId: 'loc-1',
      start: '2026-10-20T06:00:00.000Z',
      end: '2026-10-20T06:15:00.000Z',
      treatmentIds: ['general-practitioner'],
      practitioner: { id: 'role-1', name: 'Anna Lindqvist' },
      bookingUrl: null,
      capacity: null,
    });
  });

  it('maps Slot.status to FREE, HELD and BOOKED, a lapsed platform hold to FREE, an error to nothing', () => {
    const at = (status: FhirSlot['status']) =>
      slot('2026-10-20T08:00:00Z', '2026-10-20T08:20:00Z', { status });
    expect(slotStatusOf(at('free'), false)).toBe('FREE');
    expect(slotStatusOf(at('busy-tentative'), false)).toBe('HELD');
    expect(slotStatusOf(at('busy-tentative'), true)).toBe('FREE');
    expect(slotStatusOf(at('busy'), false)).toBe('BOOKED');
    expect(slotStatusOf(at('busy-unavailable'), false)).toBe('BOOKED');
    expect(slotStatusOf(at('entered-in-error'), false)).toBeNull();
  });
});

describe('bookings', () => {
  const now = Date.parse('2026-10-19T08:00:00Z');
  const hold = (expires: string) =>
    appointment({
      status: 'pending',
      extension: [{ url: holdExpiryExtensionUrl, valueInstant: expires }],
    });

  it('maps pending to HELD with its expiry, booked to BOOKED, cancelled to CANCELLED, noshow to NO_SHOW', () => {
    expect(toContractBooking(hold('2026-10-19T10:05:00+02:00'), now)).toEqual({
      reservationId: 'res-1',
      slotId: 'slot-1',
      status: 'HELD',
      providerReference: 'appt-1',
      expiresAt: '2026-10-19T08:05:00.000Z',
      start: null,
      end: null,
    });
    expect(bookingStatusOf(appointment(), now)).toBe('BOOKED');
    expect(bookingStatusOf(appointment({ status: 'fulfilled' }), now)).toBe('BOOKED');
    expect(bookingStatusOf(appointment({ status: 'cancelled' }), now)).toBe('CANCELLED');
    expect(bookingStatusOf(appointment({ status: 'noshow' }), now)).toBe('NO_SHOW');
    expect(toContractBooking(appointment(), now).expiresAt).toBeNull();
  });

  it('reports the Appointment’s own start and end in UTC: the time the clinic moved it to', () => {
    const moved = appointment({
      slot: [{ reference: 'Slot/slot-2' }],
      start: '2026-10-22T09:00:00+02:00',
      end: '2026-10-22T09:20:00+02:00',
    });
    expect(toContractBooking(moved, now)).toMatchObject({
      slotId: 'slot-2',
      start: '2026-10-22T07:00:00.000Z',
      end: '2026-10-22T07:20:00.000Z',
    });
  });

  it('reads a platform hold past its expiry as CANCELLED', () => {
    expect(bookingStatusOf(hold('2026-10-19T07:59:59Z'), now)).toBe('CANCELLED');
    expect(bookingStatusOf(appointment({ status: 'pending' }), now)).toBe('HELD');
  });
});

describe('patients', () => {
  it('uses the personnummer system, or samordningsnummer when the day is 61 or more', () => {
    expect(patientIdentifier('199001010017')).toEqual({
      system: personnummerSystem,
      value: '199001010017',
    });
    expect(patientIdentifier('199001610013').system).toBe(samordningsnummerSystem);
    expect(patientIdentifier('199001600013').system).toBe(personnummerSystem);
  });

  it('makes a Patient with identifier, name and the contact details given', () => {
    expect(
      toFhirPatient({
        personalIdentityNumber: '199001010017',
        givenName: 'Test',
        familyName: 'Patient',
        email: 'test@example.se',
      }),
    ).toEqual({
      resourceType: 'Patient',
      identifier: [{ system: personnummerSystem, value: '199001010017' }],
      name: [{ use: 'official', family: 'Patient', given: ['Test'] }],
      telecom: [{ system: 'email', value: 'test@example.se', use: 'home' }],
    });
  });
});

describe('failures', () => {
  const outcome = (expression?: string) => ({
    resourceType: 'OperationOutcome' as const,
    issue: [
      { severity: 'error', code: 'invalid', ...(expression && { expression: [expression] }) },
    ],
  });

  it('maps 404/410 to SLOT_UNAVAILABLE for a slot and NOT_FOUND for a booking, 409/412 to SLOT_UNAVAILABLE', () => {
    expect(toBookingFailure(404, outcome(), 'slot').error?.code).toBe('SLOT_UNAVAILABLE');
    expect(toBookingFailure(410, outcome(), 'booking').error?.code).toBe('NOT_FOUND');
    expect(toBookingFailure(412, outcome(), 'slot').error?.code).toBe('SLOT_UNAVAILABLE');
    expect(toBookingFailure(409, outcome(), 'booking').error?.code).toBe('SLOT_UNAVAILABLE');
  });

  it('maps 400/422 to INVALID_INPUT, pointing at the patient when the server does', () => {
    expect(toBookingFailure(422, outcome('Patient.name[0].family'), 'slot').error).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'patient',
    });
    expect(toBookingFailure(400, outcome(), 'slot').error).toMatchObject({
      code: 'INVALID_INPUT',
      field: null,
    });
  });
});
