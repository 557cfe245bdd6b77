import { describe, expect, it } from 'vitest';
import { createSchemaValidator } from '../src/createSchemaValidator.js';
import { standardsDirFromEnvironment } from '../src/environment.js';
import { interactions } from '../src/interactions.js';
import { buildFault, buildResponse, SoapFault } from '../src/soapMessages.js';

const validator = createSchemaValidator(standardsDirFromEnvironment());
const makeBooking = interactions.get('MakeBooking')!;

describe('buildResponse', () => {
  it('writes a response that validates, with the producer’s generated prefixes', () => {
    const xml = buildResponse(
      makeBooking,
      { 'ns2:bookingId': 'BK1', 'ns2:resultCode': 'OK', 'ns2:resultText': undefined },
      validator,
    );
    expect(xml).toContain(
      '<ns2:MakeBookingResponse xmlns:ns2="urn:riv:crm:scheduling:MakeBookingResponder:1"',
    );
    expect(xml).toContain('<ns2:bookingId>BK1</ns2:bookingId><ns2:resultCode>OK</ns2:resultCode>');
    expect(xml).not.toContain('resultText');
  });

  it('throws instead of sending a response that does not validate: that is a simulator bug', () => {
    expect(() => buildResponse(makeBooking, { 'ns2:bookingId': 'BK1' }, validator)).toThrow(
      /MakeBookingResponse does not validate/,
    );
    expect(() =>
      buildResponse(makeBooking, { 'ns2:resultCode': 'OK', 'ns2:bookingId': 'BK1' }, validator),
    ).toThrow(/does not validate/);
    expect(() => buildResponse(makeBooking, { 'ns2:resultCode': 'MAYBE' }, validator)).toThrow();
  });

  it('writes a SOAP 1.1 fault with unqualified faultcode and escaped faultstring', () => {
    expect(buildFault(new SoapFault('Client', 'a < b & c'))).toContain(
      '<soap:Fault><faultcode>soap:Client</faultcode><faultstring>a &lt; b &amp; c</faultstring></soap:Fault>',
    );
  });
});
