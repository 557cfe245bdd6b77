import { describe, expect, it } from 'vitest';
import { EnvelopeError, parseSoapEnvelope } from '../src/client/parseSoapEnvelope.js';
import {
  availableTimeslotsSchema,
  makeBookingSchema,
  timeslotSchema,
} from '../src/client/schemas.js';

const soap = 'http://schemas.xmlsoap.org/soap/envelope/';
const responder = 'urn:riv:crm:scheduling:GetAvailableTimeslotsResponder:1';
const core = 'urn:riv:crm:scheduling:1';

const timeslot = (prefix: string) =>
  `<${prefix}startTimeInclusive>20261026080000</${prefix}startTimeInclusive><${prefix}endTimeExclusive>20261026082000</${prefix}endTimeExclusive><${prefix}healthcare_facility>SE2321000016-12A1</${prefix}healthcare_facility><${prefix}performer>0012</${prefix}performer>`;

describe('parseSoapEnvelope', () => {
  it('resolves namespaces whatever prefixes the producer picked', () => {
    const cxf = `<?xml version="1.0"?><soap:Envelope xmlns:soap="${soap}"><soap:Body><ns2:GetAvailableTimeslotsResponse xmlns:ns2="${responder}" xmlns:ns3="${core}"><ns2:timeslotDetail>${timeslot('ns3:')}</ns2:timeslotDetail></ns2:GetAvailableTimeslotsResponse></soap:Body></soap:Envelope>`;
    const defaults = `<Envelope xmlns="${soap}"><Body><GetAvailableTimeslotsResponse xmlns="${responder}"><timeslotDetail><c:startTimeInclusive xmlns:c="${core}">20261026080000</c:startTimeInclusive><c:endTimeExclusive xmlns:c="${core}">20261026082000</c:endTimeExclusive><healthcare_facility xmlns="${core}">SE2321000016-12A1</healthcare_facility><performer xmlns="${core}">0012</performer></timeslotDetail></GetAvailableTimeslotsResponse></Body></Envelope>`;
    for (const text of [cxf, defaults]) {
      const parsed = parseSoapEnvelope(text);
      expect(parsed).toMatchObject({
        kind: 'response',
        namespace: responder,
        name: 'GetAvailableTimeslotsResponse',
      });
      if (parsed.kind !== 'response') throw new Error('not a response');
      const [slot] = availableTimeslotsSchema.parse(parsed.payload).timeslotDetail;
      // Kept as text: "0012" is an id, not the number 12.
      expect(slot).toMatchObject({ startTimeInclusive: '20261026080000', performer: '0012' });
    }
  });

  it('drops extension elements of other namespaces', () => {
    const text = `<s:Envelope xmlns:s="${soap}"><s:Body><r:GetAvailableTimeslotsResponse xmlns:r="${responder}" xmlns:c="${core}"><r:timeslotDetail>${timeslot('c:')}</r:timeslotDetail><x:extra xmlns:x="urn:example">1</x:extra></r:GetAvailableTimeslotsResponse></s:Body></s:Envelope>`;
    const parsed = parseSoapEnvelope(text);
    expect(parsed.kind === 'response' && Object.keys(parsed.payload)).toEqual(['timeslotDetail']);
  });

  it('reads a SOAP fault, its code without prefix', () => {
    const text = `<soap:Envelope xmlns:soap="${soap}"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>VP004 No Logical Adress found</faultstring></soap:Fault></soap:Body></soap:Envelope>`;
    expect(parseSoapEnvelope(text)).toEqual({
      kind: 'fault',
      faultCode: 'Client',
      faultString: 'VP004 No Logical Adress found',
    });
  });

  it('refuses DTDs, malformed XML, SOAP 1.2, undeclared prefixes and empty bodies', () => {
    const body = `<soap:Body><x:y xmlns:x="urn:x"/></soap:Body>`;
    const cases = [
      `<!DOCTYPE x [<!ENTITY e "boom">]><soap:Envelope xmlns:soap="${soap}">${body}</soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${soap}"><soap:Body>`,
      `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">${body}</soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${soap}"><soap:Body><q:y/></soap:Body></soap:Envelope>`,
      `<soap:Envelope xmlns:soap="${soap}"><soap:Body/></soap:Envelope>`,
      'not xml at all',
    ];
    for (const text of cases) expect(() => parseSoapEnvelope(text), text).toThrow(EnvelopeError);
  });
});

describe('response schemas', () => {
  const tree = {
    startTimeInclusive: ['20261026080000'],
    endTimeExclusive: ['20261026082000'],
    healthcare_facility: ['F'],
    cancel_booking_allowed: ['false'],
  };

  it('read a timeslot, booleans as booleans', () => {
    expect(timeslotSchema.parse(tree)).toMatchObject({
      healthcare_facility: 'F',
      cancel_booking_allowed: false,
    });
  });

  it('refuse a malformed TS, a repeated single element and a missing mandatory one', () => {
    expect(
      timeslotSchema.safeParse({ ...tree, startTimeInclusive: ['2026-10-26T08:00'] }).success,
    ).toBe(false);
    expect(timeslotSchema.safeParse({ ...tree, healthcare_facility: ['F', 'G'] }).success).toBe(
      false,
    );
    expect(makeBookingSchema.safeParse({ bookingId: ['BK1'] }).success).toBe(false);
    expect(makeBookingSchema.safeParse({ resultCode: ['MAYBE'] }).success).toBe(false);
    expect(makeBookingSchema.parse({ resultCode: ['ERROR'], resultText: ['Nej'] })).toEqual({
      bookingId: undefined,
      resultCode: 'ERROR',
      resultText: 'Nej',
    });
  });
});
