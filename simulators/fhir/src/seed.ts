/**
 * The built-in directory the simulator serves: two organisations (clinic chains) on one regional
 * FHIR server, their clinics, services and practitioners. Deterministic, so resource ids and the
 * seeded bookings repeat run to run.
 */

/** HL7's example service-type code system (R4 `service-type` value set). */
export const serviceTypeSystem = 'http://terminology.hl7.org/CodeSystem/service-type';

/** Core extension carrying a Location's IANA time zone; R4 has no element for it. */
export const timeZoneExtensionUrl = 'http://hl7.org/fhir/StructureDefinition/timezone';

/** HSA-id, the Swedish national identifier of care units and staff. */
export const hsaIdSystem = 'urn:oid:1.2.752.29.4.19';

export interface ServiceTypeSeed {
  code: string;
  display: string;
}

/** Service types in use, with HL7's displays. Psychiatry has no platform treatment on purpose. */
export const serviceTypes = {
  generalPractice: { code: '124', display: 'General Practice' },
  nursing: { code: '59', display: 'Nursing' },
  immunization: { code: '57', display: 'Immunization' },
  physiotherapy: { code: '65', display: 'Physiotherapy' },
  psychology: { code: '142', display: 'Psychology' },
  childHealth: { code: '58', display: 'Maternal & Child Health' },
  dental: { code: '88', display: 'General Dental' },
  psychiatry: { code: '141', display: 'Psychiatry (Requires Referral)' },
} as const satisfies Record<string, ServiceTypeSeed>;

/** One weekly range of working hours in local wall time, e.g. Mon–Fri 08:00–12:00. */
export interface WorkingHours {
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  days: readonly number[];
  /** `HH:mm` local. */
  from: string;
  /** `HH:mm` local; the last slot ends at or before it. */
  to: string;
}

export interface PractitionerSeed {
  /** Short key; ids derive from it: `Practitioner/pr-<key>`, `PractitionerRole/role-<key>`, `Schedule/sched-<key>`. */
  key: string;
  given: string;
  family: string;
  /** Role text, e.g. `Läkare`. */
  role: string;
  serviceTypes: readonly ServiceTypeSeed[];
  slotMinutes: number;
  hours: readonly WorkingHours[];
}

export interface LocationSeed {
  /** Logical id of the Location resource. */
  id: string;
  name: string;
  hsaId: string;
  address: { line: string; postalCode: string; city: string };
  position: { latitude: number; longitude: number };
  /**
   * How far ahead the location's book is open: its slots exist for the local days
   * today..today+N. Clinics differ by what they offer (primary care a few weeks, child health
   * months, dental recall a year); the simulator's `daysAhead` option replaces it when set.
   */
  bookingHorizonDays: number;
  practitioners: readonly PractitionerSeed[];
}

export interface OrganizationSeed {
  /** Logical id of the Organization resource; also the connection's `organization`. */
  id: string;
  name: string;
  hsaId: string;
  /** Zone written on the Location resources (timezone extension). */
  timeZone: string;
  /**
   * How this organisation's booking system writes Slot instants: with the local offset
   * (`2026-10-23T08:00:00+02:00`) or in UTC (`2026-10-23T06:00:00Z`). Both are valid FHIR.
   */
  instantStyle: 'offset' | 'utc';
  locations: readonly LocationSeed[];
}

const weekdays = [1, 2, 3, 4, 5];
const dayHours: readonly WorkingHours[] = [
  { days: weekdays, from: '08:00', to: '12:00' },
  { days: weekdays, from: '13:00', to: '17:00' },
];
const withSaturday: readonly WorkingHours[] = [
  ...dayHours,
  { days: [6], from: '10:00', to: '14:00' },
];
const partTime: readonly WorkingHours[] = [
  { days: [2, 4], from: '09:00', to: '12:00' },
  { days: [2, 4], from: '13:00', to: '16:00' },
];

export const defaultOrganizations: readonly OrganizationSeed[] = [
  {
    id: 'halsanord',
    name: 'Hälsa Nord Vårdcentraler',
    hsaId: 'SE2321000032-HN0001',
    timeZone: 'Europe/Stockholm',
    instantStyle: 'offset',
    locations: [
      {
        id: 'loc-sodermalm',
        name: 'Hälsa Nord Södermalm',
        hsaId: 'SE2321000032-HN0101',
        address: { line: 'Götgatan 48', postalCode: '118 26', city: 'Stockholm' },
        position: { latitude: 59.3134, longitude: 18.0739 },
        // Primary care (doctor, nurse): four weeks.
        bookingHorizonDays: 28,
        practitioners: [
          {
            key: 'lindqvist',
            given: 'Anna',
            family: 'Lindqvist',
            role: 'Läkare',
            serviceTypes: [serviceTypes.generalPractice],
            slotMinutes: 20,
            hours: dayHours,
          },
          {
            key: 'berg',
            given: 'Johan',
            family: 'Berg',
            role: 'Sjuksköterska',
            serviceTypes: [serviceTypes.nursing, serviceTypes.immunization],
            slotMinutes: 15,
            hours: dayHours,
          },
        ],
      },
      {
        id: 'loc-uppsala',
        name: 'Hälsa Nord Uppsala',
        hsaId: 'SE2321000032-HN0102',
        address: { line: 'Kungsgatan 41', postalCode: '753 21', city: 'Uppsala' },
        position: { latitude: 59.8586, longitude: 17.645 },
        // Physiotherapy books a treatment series ahead, further than the doctor and psychologist.
        bookingHorizonDays: 56,
        practitioners: [
          {
            key: 'holm',
            given: 'Sara',
            family: 'Holm',
            role: 'Läkare',
            serviceTypes: [serviceTypes.generalPractice],
            slotMinutes: 20,
            hours: dayHours,
          },
          {
            key: 'ekstrom',
            given: 'Maria',
            family: 'Ekström',
            role: 'Fysioterapeut',
            serviceTypes: [serviceTypes.physiotherapy],
            slotMinutes: 45,
            hours: dayHours,
          },
          {
            key: 'nyberg',
            given: 'Karin',
            family: 'Nyberg',
            role: 'Psykolog',
            serviceTypes: [serviceTypes.psychology],
            slotMinutes: 45,
            hours: partTime,
          },
        ],
      },
      {
        id: 'loc-vasteras',
        name: 'Hälsa Nord Västerås',
        hsaId: 'SE2321000032-HN0103',
        address: { line: 'Stora Torget 3', postalCode: '722 15', city: 'Västerås' },
        position: { latitude: 59.6099, longitude: 16.5448 },
        // Primary care: four weeks.
        bookingHorizonDays: 28,
        practitioners: [
          {
            key: 'sandberg',
            given: 'Erik',
            family: 'Sandberg',
            role: 'Läkare',
            serviceTypes: [serviceTypes.generalPractice],
            slotMinutes: 30,
            hours: withSaturday,
          },
        ],
      },
    ],
  },
  {
    id: 'sydvarden',
    name: 'Sydvården',
    hsaId: 'SE2321000065-SV0001',
    timeZone: 'Europe/Stockholm',
    instantStyle: 'utc',
    locations: [
      {
        id: 'loc-mollevangen',
        name: 'Sydvården Möllevången',
        hsaId: 'SE2321000065-SV0101',
        address: { line: 'Bergsgatan 20', postalCode: '214 22', city: 'Malmö' },
        position: { latitude: 55.5916, longitude: 13.0087 },
        // Child health (BVC) books the programme's visits and vaccinations months ahead.
        bookingHorizonDays: 120,
        practitioners: [
          {
            key: 'persson',
            given: 'Lars',
            family: 'Persson',
            role: 'Läkare',
            serviceTypes: [serviceTypes.generalPractice],
            slotMinutes: 20,
            hours: dayHours,
          },
          {
            key: 'hassan',
            given: 'Amina',
            family: 'Hassan',
            role: 'BVC-sjuksköterska',
            serviceTypes: [serviceTypes.childHealth, serviceTypes.immunization],
            slotMinutes: 30,
            hours: dayHours,
          },
        ],
      },
      {
        id: 'loc-lund',
        name: 'Sydvården Lund',
        hsaId: 'SE2321000065-SV0102',
        address: { line: 'Stora Södergatan 8', postalCode: '222 23', city: 'Lund' },
        position: { latitude: 55.7047, longitude: 13.191 },
        // Dental recall: next year's check-up is booked at this one.
        bookingHorizonDays: 365,
        practitioners: [
          {
            key: 'wallin',
            given: 'Peter',
            family: 'Wallin',
            role: 'Tandläkare',
            serviceTypes: [serviceTypes.dental],
            slotMinutes: 30,
            hours: dayHours,
          },
          {
            key: 'olsson',
            given: 'Helena',
            family: 'Olsson',
            role: 'Psykiater',
            serviceTypes: [serviceTypes.psychiatry],
            slotMinutes: 45,
            hours: dayHours,
          },
        ],
      },
    ],
  },
];

/** Patients of the seeded bookings by "other clients": fictional people, numbers with valid checksums. */
export const otherPatients: readonly {
  id: string;
  personnummer: string;
  given: string;
  family: string;
}[] = [
  { id: 'pat-seed-1', personnummer: '194910112384', given: 'Greta', family: 'Andersson' },
  { id: 'pat-seed-2', personnummer: '196903212394', given: 'Nils', family: 'Karlsson' },
  { id: 'pat-seed-3', personnummer: '198112289874', given: 'Lina', family: 'Johansson' },
];
