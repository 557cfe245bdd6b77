import { describe, expect, it } from 'vitest';
import { resultTexts } from '../../../simulators/rivta/src/createCareUnitStore.js';
import {
  classifyCancelRefusal,
  classifyRefusal,
  defaultTreatmentMap,
  purposeOf,
  reservationIdOf,
  timeTypesFor,
  toContractBooking,
  toContractClinic,
  toContractSlot,
  toContractTreatments,
  toSubjectOfCareInfo,
} from '../src/mapping.js';

const timeslot = {
  healthcare_facility: 'SE2321000016-12A1',
  performer: 'SE2321000016-L101',
  startTimeInclusive: '20261025025000',
  endTimeExclusive: '20261025021000',
  timeTypeID: 'LAK20',
};

describe('mapping', () => {
  it('maps time types to the catalogue, dropping unknown codes', () => {
    expect(timeTypesFor('general-practitioner', defaultTreatmentMap)).toEqual(['LAK20', 'LAK30']);
    expect(
      toContractTreatments(
        [
          { timeTypeId: 'LAK20', timeTypeName: 'Läkarbesök 20 min' },
          { timeTypeId: 'TEL10', timeTypeName: 'Telefontid' },
          { timeTypeId: 'LAK20', timeTypeName: 'Läkarbesök 20 min' },
        ],
        defaultTreatmentMap,
      ),
    ).toEqual([
      {
        id: 'general-practitioner',
        providerCode: 'LAK20',
        name: 'Läkarbesök 20 min',
        durationMinutes: null,
      },
    ]);
    expect(
      toContractTreatments([{ timeTypeId: 'X', timeTypeName: 'X' }], { X: 'not-in-catalogue' }),
    ).toEqual([]);
  });

  it('a facility becomes a clinic in Stockholm time with its configured address', () => {
    const clinic = toContractClinic(
      {
        hsaId: 'F1',
        name: undefined,
        timeTypes: [{ timeTypeId: 'VACC10', timeTypeName: 'Vaccination' }],
      },
      {
        name: 'Mottagningen',
        address: { line: 'Gatan 1', city: 'Stad' },
        location: { latitude: 59, longitude: 18 },
      },
      defaultTreatmentMap,
    );
    expect(clinic).toEqual({
      id: 'F1',
      name: 'Mottagningen',
      address: { line: 'Gatan 1', postalCode: null, city: 'Stad' },
      location: { latitude: 59, longitude: 18 },
      timeZone: 'Europe/Stockholm',
      treatmentIds: ['vaccination'],
    });
    expect(
      toContractClinic({ hsaId: 'F2', name: 'Två', timeTypes: [] }, undefined, defaultTreatmentMap),
    ).toMatchObject({
      name: 'Två',
      address: null,
      location: null,
    });
  });

  it('a timeslot crossing the repeated autumn hour becomes a 20-minute slot', () => {
    const slot = toContractSlot(
      timeslot,
      defaultTreatmentMap,
      new Map([['SE2321000016-L101', 'Anna Lindqvist']]),
    );
    expect(slot).toEqual({
      id: 'SE2321000016-12A1|SE2321000016-L101|20261025025000|20261025021000|LAK20',
      clinicId: 'SE2321000016-12A1',
      start: '2026-10-25T00:50:00.000Z',
      end: '2026-10-25T01:10:00.000Z',
      treatmentIds: ['general-practitioner'],
      practitioner: { id: 'SE2321000016-L101', name: 'Anna Lindqvist' },
      bookingUrl: null,
      capacity: null,
    });
    expect(
      toContractSlot({ ...timeslot, performerName: 'A. L.' }, defaultTreatmentMap).practitioner
        ?.name,
    ).toBe('A. L.');
    expect(() =>
      toContractSlot({ ...timeslot, startTimeInclusive: undefined }, defaultTreatmentMap),
    ).toThrow(expect.objectContaining({ code: 'PROVIDER_BAD_RESPONSE' }));
  });

  it('carries the reservation id in the purpose, and reads it back', () => {
    expect(purposeOf('r-1')).toBe('Vården:r-1');
    expect(reservationIdOf('Vården:r-1')).toBe('r-1');
    expect(reservationIdOf('Kontroll')).toBeUndefined();
    expect(reservationIdOf(undefined)).toBeUndefined();
    expect(toContractBooking({ ...timeslot, bookingId: 'BK1' }, 'r-1', 'BOOKED')).toMatchObject({
      providerReference: 'SE2321000016-12A1|BK1',
      status: 'BOOKED',
      reservationId: 'r-1',
    });
  });

  it('recognises the producer’s refusals, in its words', () => {
    expect(classifyRefusal(resultTexts.slotTaken)).toBe('timeslot');
    expect(classifyRefusal(resultTexts.slotUnknown)).toBe('timeslot');
    expect(classifyRefusal(resultTexts.slotPast)).toBe('timeslot');
    expect(classifyRefusal(resultTexts.slotTooSoon(120))).toBe('timeslot');
    expect(classifyRefusal(resultTexts.subjectInvalid)).toBe('subject');
    expect(classifyRefusal(resultTexts.subjectMissing)).toBe('subject');
    expect(classifyRefusal(resultTexts.nameMissing)).toBe('name');
    expect(classifyRefusal('The requested timeslot is not available')).toBe('timeslot');
    expect(classifyRefusal('Internt fel')).toBe('other');
    expect(classifyRefusal(undefined)).toBe('other');
    expect(classifyCancelRefusal(resultTexts.bookingUnknown)).toBe('unknown');
    expect(classifyCancelRefusal(resultTexts.cancelTooLate(60))).toBe('too-late');
    expect(classifyCancelRefusal('Systemfel')).toBe('other');
  });

  it('sends the patient’s names and contact details, never an empty element', () => {
    expect(
      toSubjectOfCareInfo({
        personalIdentityNumber: '199001010017',
        givenName: 'Test',
        familyName: 'Patient',
        email: null,
      }),
    ).toEqual({ firstName: 'Test', lastName: 'Patient', email: undefined, phone: undefined });
  });
});
