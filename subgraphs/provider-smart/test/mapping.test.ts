import { findTreatment } from '@booking/catalogue';
import { describe, expect, it } from 'vitest';
import {
  bookingUrlFor,
  extensionUrls,
  hl7ServiceType,
  parseInstant,
  readSlotExtensions,
  referenceId,
  slotStatusOf,
  swedishVisitType,
  toContractClinic,
  treatmentIdByServiceType,
  treatmentsOf,
} from '../src/mapping.js';

const iso = (text: string) => {
  const ms = parseInstant(text);
  return ms === undefined ? undefined : new Date(ms).toISOString();
};

describe('parseInstant', () => {
  it('reads instants with Z, ±hh:mm, ±hhmm and the spec example’s ±hh offsets', () => {
    expect(iso('2021-03-08T14:00:00.000Z')).toBe('2021-03-08T14:00:00.000Z');
    expect(iso('2021-03-10T15:00:00-05:00')).toBe('2021-03-10T20:00:00.000Z');
    expect(iso('2021-03-10T15:00:00-0500')).toBe('2021-03-10T20:00:00.000Z');
    expect(iso('2021-03-10T15:00:00-05')).toBe('2021-03-10T20:00:00.000Z');
    expect(iso('2021-03-10T15:00-05:00')).toBe('2021-03-10T20:00:00.000Z');
    expect(iso('2026-10-26T08:00:00.123456789+01:00')).toBe('2026-10-26T07:00:00.123Z');
  });

  it('tells the two 02:30s of 25 October 2026 apart by their offsets', () => {
    // Stockholm repeats 02:00–03:00: first in summer time (+02:00), then in winter time (+01:00).
    expect(iso('2026-10-25T02:30:00+02:00')).toBe('2026-10-25T00:30:00.000Z');
    expect(iso('2026-10-25T02:30:00+01:00')).toBe('2026-10-25T01:30:00.000Z');
    expect(iso('2026-10-25T01:59:59+02:00')).toBe('2026-10-24T23:59:59.000Z');
    expect(iso('2026-10-25T03:00:00+01:00')).toBe('2026-10-25T02:00:00.000Z');
  });

  it('reads both sides of the spring change of 29 March 2026', () => {
    // 02:00 local does not exist: clocks go from 01:59:59+01:00 to 03:00:00+02:00, one second apart.
    const before = parseInstant('2026-03-29T01:59:59+01:00')!;
    const after = parseInstant('2026-03-29T03:00:00+02:00')!;
    expect(after - before).toBe(1000);
    expect(iso('2026-03-29T03:00:00+02:00')).toBe('2026-03-29T01:00:00.000Z');
  });

  it('refuses times without an offset and impossible dates', () => {
    expect(parseInstant('2026-10-25T02:30:00')).toBeUndefined();
    expect(parseInstant('2026-10-25')).toBeUndefined();
    expect(parseInstant('2021-02-30T10:00:00Z')).toBeUndefined();
    expect(parseInstant('2021-13-01T10:00:00Z')).toBeUndefined();
    expect(parseInstant('2021-01-01T24:00:00Z')).toBeUndefined();
    expect(parseInstant('2021-01-01T10:00:00+25:00')).toBeUndefined();
    expect(parseInstant('yesterday')).toBeUndefined();
  });
});

describe('bookingUrlFor', () => {
  it('adds source to a deep link that has a query, keeping it', () => {
    expect(bookingUrlFor('https://ehr-portal.example.org/bookings?slot=1000070', 'varden')).toBe(
      'https://ehr-portal.example.org/bookings?slot=1000070&source=varden',
    );
  });

  it('adds a query to a deep link without one, before any fragment', () => {
    expect(bookingUrlFor('https://portal.example.se/boka#tid', 'varden')).toBe(
      'https://portal.example.se/boka?source=varden#tid',
    );
  });

  it('replaces a source the publisher already put there, and encodes what needs it', () => {
    expect(bookingUrlFor('https://p.example/b?source=other&x=a%20b', 'vården app')).toBe(
      'https://p.example/b?source=v%C3%A5rden+app&x=a+b',
    );
  });

  it('hands out no link that is not http(s) or not a URL', () => {
    expect(bookingUrlFor('javascript:alert(1)', 'varden')).toBeNull();
    expect(bookingUrlFor('data:text/html,hi', 'varden')).toBeNull();
    expect(bookingUrlFor('/relative/path', 'varden')).toBeNull();
    expect(bookingUrlFor(undefined, 'varden')).toBeNull();
  });
});

describe('service types', () => {
  it('maps every known service type to a treatment of the platform catalogue', () => {
    for (const id of Object.values(treatmentIdByServiceType))
      expect(findTreatment(id)).toBeDefined();
  });

  it('maps the spec example’s COVID-19 immunization schedule to vaccination once', () => {
    const mapped = treatmentsOf([
      {
        coding: [
          { system: hl7ServiceType, code: '57', display: 'Immunization' },
          {
            system: 'http://fhir-registry.smarthealthit.org/CodeSystem/service-type',
            code: 'covid19-immunization',
            display: 'COVID-19 Immunization Appointment',
          },
        ],
      },
    ]);
    expect(mapped).toEqual([
      { treatmentId: 'vaccination', providerCode: '57', name: 'Immunization' },
    ]);
  });

  it('maps several service types of one schedule, the publisher’s own codes first', () => {
    const mapped = treatmentsOf([
      {
        coding: [
          { system: swedishVisitType, code: 'sjukskoterskebesok', display: 'Sjuksköterskebesök' },
        ],
      },
      {
        coding: [
          { system: swedishVisitType, code: 'vaccination', display: 'Vaccination' },
          { system: hl7ServiceType, code: '57', display: 'Immunization' },
        ],
      },
    ]);
    expect(mapped.map((t) => [t.treatmentId, t.providerCode])).toEqual([
      ['nurse-visit', 'sjukskoterskebesok'],
      ['vaccination', 'vaccination'],
    ]);
  });

  it('leaves out codes the catalogue has no treatment for, and codes of unknown systems', () => {
    expect(
      treatmentsOf([
        { coding: [{ system: swedishVisitType, code: 'horselundersokning' }] },
        { coding: [{ system: 'urn:other', code: 'lakarbesok' }] },
        { text: 'Läkarbesök' },
      ]),
    ).toEqual([]);
    expect(treatmentsOf(undefined)).toEqual([]);
  });

  it('falls back to the catalogue’s name when the coding has no display', () => {
    expect(treatmentsOf([{ coding: [{ system: hl7ServiceType, code: '124' }] }])[0]?.name).toBe(
      'Läkarbesök, allmänmedicin',
    );
  });
});

describe('slot extensions', () => {
  it('reads deep link, phone and capacity, and counts unknown and mistyped extensions', () => {
    const read = readSlotExtensions([
      { url: extensionUrls.bookingDeepLink, valueUrl: 'https://p.example/b?slot=1' },
      // The misspelling some publishers have shipped: unknown, not an error.
      { url: extensionUrls.bookingPhone.replace('phone', 'hhone'), valueString: '000' },
      { url: extensionUrls.slotCapacity, valueInteger: '100' },
      { url: extensionUrls.slotCapacity, valueInteger: 100 },
      { url: 'urn:vendor:colour', valueString: 'blue' },
    ]);
    expect(read).toEqual({
      deepLink: 'https://p.example/b?slot=1',
      capacity: 100,
      unknown: 2,
      invalid: 1,
    });
  });
});

describe('references and statuses', () => {
  it('reads ids from relative, absolute and versioned references of the right type only', () => {
    expect(referenceId('Location/0', 'Location')).toBe('0');
    expect(referenceId('https://x.example/fhir/Location/abc.1/_history/2', 'Location')).toBe(
      'abc.1',
    );
    expect(referenceId('PractitionerRole/pr-1', 'Location')).toBeUndefined();
    expect(referenceId('Location/', 'Location')).toBeUndefined();
    expect(referenceId(undefined, 'Location')).toBeUndefined();
  });

  it('maps FHIR slot statuses to contract states', () => {
    expect(slotStatusOf('free')).toBe('FREE');
    expect(slotStatusOf('busy-tentative')).toBe('HELD');
    expect(slotStatusOf('busy')).toBe('BOOKED');
    expect(slotStatusOf('busy-unavailable')).toBe('BOOKED');
    expect(slotStatusOf('entered-in-error')).toBeUndefined();
  });
});

describe('toContractClinic', () => {
  it('joins address lines, keeps the position, and uses the publisher’s zone', () => {
    expect(
      toContractClinic(
        {
          resourceType: 'Location',
          id: 'c1',
          name: 'Vårdcentralen',
          address: { line: ['Hornsgatan 54', ' 2 tr '], city: 'Stockholm', postalCode: '118 21' },
          position: { latitude: 59.3, longitude: 18.06 },
        },
        ['general-practitioner'],
        'Europe/Stockholm',
      ),
    ).toEqual({
      id: 'c1',
      name: 'Vårdcentralen',
      address: { line: 'Hornsgatan 54, 2 tr', postalCode: '118 21', city: 'Stockholm' },
      location: { latitude: 59.3, longitude: 18.06 },
      timeZone: 'Europe/Stockholm',
      treatmentIds: ['general-practitioner'],
    });
  });

  it('leaves out an address without a street or a city', () => {
    const clinic = toContractClinic(
      { resourceType: 'Location', id: 'c2', name: 'X', address: { city: 'Umeå' } },
      [],
      'Europe/Stockholm',
    );
    expect(clinic.address).toBeNull();
    expect(clinic.location).toBeNull();
  });
});
