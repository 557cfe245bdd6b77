import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XmlDocument, XsdValidator } from 'libxml2-wasm';
import { describe, expect, it } from 'vitest';
import { correctAnchoredPatterns } from '../src/createSchemaValidator.js';
import { standardsDirFromEnvironment } from '../src/environment.js';
import { validateRequestEnvelope } from '../src/validateRequestEnvelope.js';
import { envelope, payload } from './startSimulator.js';

const standardsDir = standardsDirFromEnvironment();

function makeBooking(start: string, subject: string): string {
  return envelope(
    payload(
      'MakeBooking',
      `<tns:healthcare_facility_med>SE2321000016-12A1</tns:healthcare_facility_med>
       <tns:requestedTimeslot>
         <core:startTimeInclusive>${start}</core:startTimeInclusive>
         <core:healthcare_facility>SE2321000016-12A1</core:healthcare_facility>
         <core:subject_of_care>${subject}</core:subject_of_care>
       </tns:requestedTimeslot>
       <tns:subject_of_care_info>
         <core11:firstName>Test</core11:firstName>
         <core11:lastName>Patient</core11:lastName>
       </tns:subject_of_care_info>`,
    ),
    'SE2321000016-1234',
  );
}

describe('the official schemas, compiled with libxml2', () => {
  it('reject every real personnummer as published: ^ and $ are literals in XML Schema patterns', () => {
    const core = readFileSync(join(standardsDir, 'core_components/crm_scheduling_1.1.xsd'), 'utf8');
    const pattern = /<xs:pattern value="(\^\[0-9\][^"]*\$)"\/>/.exec(core)?.[1];
    expect(pattern).toBe('^[0-9]{8}[0-9pPtTfF][0-9]{3}$');
    const schema = XmlDocument.fromString(
      `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="id"><xs:simpleType>
         <xs:restriction base="xs:string"><xs:pattern value="${pattern}"/></xs:restriction>
       </xs:simpleType></xs:element></xs:schema>`,
    );
    const validator = XsdValidator.fromDoc(schema);
    const accepts = (id: string) => {
      const doc = XmlDocument.fromString(`<id>${id}</id>`);
      try {
        validator.validate(doc);
        return true;
      } catch {
        return false;
      } finally {
        doc.dispose();
      }
    };
    expect(accepts('199001010017')).toBe(false);
    expect(accepts('^199001010017$')).toBe(true);
    validator.dispose();
    schema.dispose();
  });

  it('drops the anchors of anchored patterns only, leaving the TS pattern and everything else alone', () => {
    const xsd =
      '<xs:pattern value="^[0-9]{8}[0-9pPtTfF][0-9]{3}$"/><xs:pattern value="[1-9]{1}[0-9]{3}"/><xs:documentation>^a$</xs:documentation>';
    expect(correctAnchoredPatterns(xsd)).toBe(
      '<xs:pattern value="[0-9]{8}[0-9pPtTfF][0-9]{3}"/><xs:pattern value="[1-9]{1}[0-9]{3}"/><xs:documentation>^a$</xs:documentation>',
    );
  });

  it('accept a well-formed MakeBooking once corrected, personnummer and reserve number alike', () => {
    expect(
      validateRequestEnvelope(
        makeBooking('20261026080000', '199001010017'),
        'MakeBooking',
        standardsDir,
      ),
    ).toEqual([]);
    expect(
      validateRequestEnvelope(
        makeBooking('20261026080000', '19900101T017'),
        'MakeBooking',
        standardsDir,
      ),
    ).toEqual([]);
  });

  it('reject an ISO timestamp, a 10-digit personnummer and a missing mandatory name', () => {
    const iso = validateRequestEnvelope(
      makeBooking('2026-10-26T08:00:00', '199001010017'),
      'MakeBooking',
      standardsDir,
    );
    expect(iso.join()).toMatch(/startTimeInclusive.*pattern/);
    const short = validateRequestEnvelope(
      makeBooking('20261026080000', '9001010017'),
      'MakeBooking',
      standardsDir,
    );
    expect(short.join()).toMatch(/subject_of_care.*pattern/);
    const nameless = makeBooking('20261026080000', '199001010017').replace(
      '<core11:lastName>Patient</core11:lastName>',
      '',
    );
    expect(validateRequestEnvelope(nameless, 'MakeBooking', standardsDir).join()).toMatch(
      /lastName/,
    );
  });

  it('reject an element in the wrong namespace: the 1.1 extension subject_of_care of GetAvailableTimeslots', () => {
    const inner = (subject: string) =>
      `<tns:healthcare_facility>SE2321000016-12A1</tns:healthcare_facility>
       <tns:startDateInclusive>20261026</tns:startDateInclusive>
       <tns:endDateInclusive>20261026</tns:endDateInclusive>${subject}`;
    const right = envelope(
      payload(
        'GetAvailableTimeslots',
        inner('<ext:subject_of_care>199001010017</ext:subject_of_care>'),
      ),
      'SE2321000016-1234',
    );
    const wrong = envelope(
      payload(
        'GetAvailableTimeslots',
        inner('<tns:subject_of_care>199001010017</tns:subject_of_care>'),
      ),
      'SE2321000016-1234',
    );
    expect(validateRequestEnvelope(right, 'GetAvailableTimeslots', standardsDir)).toEqual([]);
    expect(
      validateRequestEnvelope(wrong, 'GetAvailableTimeslots', standardsDir).length,
    ).toBeGreaterThan(0);
  });
});
