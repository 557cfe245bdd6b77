import { describe, expect, it } from 'vitest';
import { validateRequestEnvelope } from '../../../simulators/rivta/src/validateRequestEnvelope.js';
import { buildRequestEnvelope, type Requests } from '../src/client/buildRequestEnvelope.js';
import type { InteractionName } from '../src/client/interactions.js';
import { parseSoapEnvelope } from '../src/client/parseSoapEnvelope.js';

const unit = 'SE2321000016-1234';
const facility = 'SE2321000016-12A1';
const subjectOfCare = '199001010017';

/** One request of every interaction the adapter sends, optional fields filled where it fills them. */
const requests: { [N in InteractionName]: Requests[N] } = {
  GetAllHealthcareFacilities: { healthcareFacility: unit, subjectOfCare },
  GetAllTimeTypes: { healthcareFacility: facility, subjectOfCare },
  GetAllPerformers: { healthcareFacility: facility, subjectOfCare },
  GetAvailableTimeslots: {
    healthcareFacility: facility,
    startDateInclusive: '20261023',
    endDateInclusive: '20261026',
    performers: ['SE2321000016-L101'],
    timeTypeId: 'LAK20',
    subjectOfCare,
  },
  MakeBooking: {
    healthcareFacility: facility,
    startTimeInclusive: '20261025025000',
    endTimeExclusive: '20261025021000',
    performer: 'SE2321000016-L101',
    subjectOfCare,
    purpose: 'Vården:0b7c2d9e',
    timeTypeId: 'LAK20',
    subject: {
      phone: '070-1234567',
      email: 'test@example.se',
      firstName: 'Test',
      lastName: 'Patient',
    },
    notification: 'Hosta sedan två veckor',
  },
  CancelBooking: { healthcareFacility: facility, bookingId: 'BK00000001', message: 'Förhindrad' },
  GetBookingDetails: { healthcareFacility: facility, bookingId: 'BK00000001' },
  GetSubjectOfCareSchedule: { healthcareFacility: facility, subjectOfCare },
};

describe('buildRequestEnvelope', () => {
  for (const name of Object.keys(requests) as InteractionName[]) {
    it(`builds a ${name} request that validates against the official schemas`, () => {
      const xml = buildRequestEnvelope(name, unit, requests[name] as never);
      expect(validateRequestEnvelope(xml, name)).toEqual([]);
    });
  }

  it('builds the smallest requests too (optional elements left out, not empty)', () => {
    const xml = buildRequestEnvelope('GetAvailableTimeslots', unit, {
      healthcareFacility: facility,
      startDateInclusive: '20261023',
      endDateInclusive: '20261023',
      subjectOfCare,
    });
    expect(xml).not.toContain('performer');
    expect(xml).not.toContain('timeTypeID');
    expect(validateRequestEnvelope(xml, 'GetAvailableTimeslots')).toEqual([]);
  });

  it('routes by LogicalAddress and names the acting patient in the Actor header', () => {
    const xml = buildRequestEnvelope('MakeBooking', unit, requests.MakeBooking, {
      actorId: subjectOfCare,
      actorType: 'subject_of_care',
    });
    expect(xml).toContain(
      `<itr:LogicalAddress xmlns:itr="urn:riv:itintegration:registry:1">${unit}</itr:LogicalAddress>`,
    );
    expect(xml).toContain('<ih:actorType>subject_of_care</ih:actorType>');
    expect(validateRequestEnvelope(xml, 'MakeBooking')).toEqual([]);
  });

  it('escapes markup in patient text, which reads back unchanged', () => {
    const request = {
      ...requests.MakeBooking,
      subject: { firstName: 'Åsa & <Bo>', lastName: 'O\'Brien "Jr"' },
      notification: '</tns:notification><evil/>',
    };
    const xml = buildRequestEnvelope('MakeBooking', unit, request);
    expect(validateRequestEnvelope(xml, 'MakeBooking')).toEqual([]);
    const parsed = parseSoapEnvelope(xml);
    expect(parsed.kind === 'response' && parsed.payload).toMatchObject({
      subject_of_care_info: [{ firstName: ['Åsa & <Bo>'], lastName: ['O\'Brien "Jr"'] }],
      notification: ['</tns:notification><evil/>'],
    });
  });

  it('would be refused with an ISO time: the validator does check what the adapter sends', () => {
    const xml = buildRequestEnvelope('MakeBooking', unit, {
      ...requests.MakeBooking,
      startTimeInclusive: '2026-10-25T02:50:00',
    });
    expect(validateRequestEnvelope(xml, 'MakeBooking').join()).toMatch(/startTimeInclusive/);
  });
});
