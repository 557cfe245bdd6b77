import { describe, expect, it } from 'vitest';
import { envelope, patient, payload, units, useTestSimulator } from './startSimulator.js';

const simulator = useTestSimulator();

const subject = `<tns:subject_of_care>${patient}</tns:subject_of_care>`;

describe('routing and refusals', () => {
  const facilitiesCall = `<tns:healthcare_facility>${units.kungsholmen}</tns:healthcare_facility>${subject}`;

  it('routes by LogicalAddress: an unknown address is a VP004 fault, a missing one VP003', async () => {
    const unknown = await simulator().call(
      'GetAllHealthcareFacilities',
      facilitiesCall,
      'SE0000000000-0000',
    );
    expect(unknown.status).toBe(500);
    expect(unknown.body.faultstring).toMatch(/^VP004 /);
    const missing = await simulator().post(
      'GetAllHealthcareFacilities',
      envelope(payload('GetAllHealthcareFacilities', facilitiesCall), null),
    );
    expect(missing.body.faultstring).toMatch(/^VP003 /);
    const other = await simulator().call(
      'GetAllHealthcareFacilities',
      facilitiesCall,
      units.gottsunda,
    );
    expect(other.body.faultstring).toBe('Okänd vårdenhet.');
  });

  it('still routes a RIVTABP20 consumer by its wsa:To header', async () => {
    const to = `<add:To xmlns:add="http://www.w3.org/2005/08/addressing">${units.kungsholmen}</add:To>`;
    const response = await simulator().post(
      'GetAllHealthcareFacilities',
      envelope(payload('GetAllHealthcareFacilities', facilitiesCall), null, to),
    );
    expect(response.status).toBe(200);
  });

  it('answers a request that fails schema validation with a Client fault, and counts it', async () => {
    const response = await simulator().call(
      'GetAllHealthcareFacilities',
      `<tns:healthcare_facility>${units.kungsholmen}</tns:healthcare_facility><tns:subject_of_care>1990-01-01-0017</tns:subject_of_care>`,
    );
    expect(response.status).toBe(500);
    expect(response.body.faultcode).toBe('soap:Client');
    expect(response.body.faultstring).toMatch(/does not validate.*pattern/);
    expect(simulator().simulator.state.stats.invalidRequests).toBe(1);
  });

  it('refuses malformed SOAP: wrong element, SOAPAction, SOAP 1.2, DTD, unknown mustUnderstand header, JSON', async () => {
    const good = envelope(payload('GetAllHealthcareFacilities', facilitiesCall), units.kungsholmen);
    const wrongElement = await simulator().post('GetAllTimeTypes', good);
    expect(wrongElement.body.faultstring).toMatch(
      /^Expected \{urn:riv:crm:scheduling:GetAllTimeTypesResponder:1\}GetAllTimeTypes/,
    );
    const wrongAction = await simulator().post('GetAllHealthcareFacilities', good, {
      soapaction: '"urn:other"',
    });
    expect(wrongAction.body.faultstring).toMatch(/SOAPAction/);
    const soap12 = await simulator().post(
      'GetAllHealthcareFacilities',
      good.replaceAll(
        'http://schemas.xmlsoap.org/soap/envelope/',
        'http://www.w3.org/2003/05/soap-envelope',
      ),
    );
    expect(soap12.body.faultcode).toBe('soap:VersionMismatch');
    const dtd = await simulator().post(
      'GetAllHealthcareFacilities',
      good.replace('?>', '?><!DOCTYPE x [<!ENTITY e "e">]>'),
    );
    expect(dtd.body.faultstring).toMatch(/DTD/);
    const mustUnderstand = await simulator().post(
      'GetAllHealthcareFacilities',
      envelope(
        payload('GetAllHealthcareFacilities', facilitiesCall),
        units.kungsholmen,
        '<x:Security xmlns:x="urn:example" soapenv:mustUnderstand="1"/>',
      ),
    );
    expect(mustUnderstand.body.faultcode).toBe('soap:MustUnderstand');
    const json = await simulator().post('GetAllHealthcareFacilities', '{}', {
      'content-type': 'application/json',
    });
    expect(json.status).toBe(500);
    const broken = await simulator().post('GetAllHealthcareFacilities', '<soapenv:Envelope');
    expect(broken.body.faultstring).toBe('Malformed XML.');
  });

  it('ignores extension elements of other namespaces, as the schemas allow (lax xs:any)', async () => {
    const response = await simulator().call(
      'GetAllHealthcareFacilities',
      `${facilitiesCall}<x:trace xmlns:x="urn:example:trace">abc</x:trace>`,
    );
    expect(response.status).toBe(200);
  });
});
