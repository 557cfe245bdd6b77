/** One weekly opening-hours range in local wall time, e.g. Mon–Fri 08:00–12:00. */
export interface OpeningHours {
  /** ISO weekdays the range applies to: 1 = Monday … 7 = Sunday. */
  days: readonly number[];
  /** Opening time, `HH:mm` local. */
  from: string;
  /** Closing time, `HH:mm` local; the last slot ends at or before it. */
  to: string;
}

export interface ServiceSeed {
  code: string;
  name: string;
  durationMinutes: number;
}

export interface PractitionerSeed {
  id: string;
  name: string;
  title: string;
  serviceCodes: readonly string[];
  /** Own working hours. Default: the clinic's opening hours. */
  hours?: readonly OpeningHours[];
}

export interface ClinicSeed {
  id: string;
  name: string;
  address: { street: string; postalCode: string; city: string };
  geo: { lat: number; lng: number };
  openingHours: readonly OpeningHours[];
  /**
   * How far ahead the clinic's book is open: slots exist for the local days today..today+N.
   * Clinics differ (primary care a few weeks, child health care months); the simulator's
   * `daysAhead` setting overrides every clinic's when set.
   */
  bookingHorizonDays: number;
  practitioners: readonly PractitionerSeed[];
}

/** One Cliniq customer (a clinic chain) with its own API key and base URL `/t/{id}/api/v1`. */
export interface TenantSeed {
  id: string;
  name: string;
  apiKey: string;
  services: readonly ServiceSeed[];
  clinics: readonly ClinicSeed[];
}

/** Cliniq's service catalogue; every tenant licenses the same codes. */
export const cliniqServices: readonly ServiceSeed[] = [
  { code: 'ALLM20', name: 'Läkarbesök allmänmedicin', durationMinutes: 20 },
  { code: 'SSK15', name: 'Sjuksköterskebesök', durationMinutes: 15 },
  { code: 'VACC10', name: 'Vaccination', durationMinutes: 10 },
  { code: 'FYS45', name: 'Fysioterapi', durationMinutes: 45 },
  { code: 'PSY45', name: 'Psykologsamtal', durationMinutes: 45 },
  { code: 'BVC30', name: 'BVC-besök', durationMinutes: 30 },
];

const weekdays = [1, 2, 3, 4, 5];
const weekdayHours: readonly OpeningHours[] = [
  { days: weekdays, from: '08:00', to: '12:00' },
  { days: weekdays, from: '13:00', to: '17:00' },
];
const withSaturday: readonly OpeningHours[] = [
  ...weekdayHours,
  { days: [6], from: '10:00', to: '14:00' },
];

/** The built-in tenants: deterministic, so slot ids and seeded bookings repeat run to run. */
export const defaultTenants: readonly TenantSeed[] = [
  {
    id: 'nordklinik',
    name: 'Nordklinik',
    apiKey: 'dev-key-nordklinik',
    services: cliniqServices,
    clinics: [
      {
        id: 'CL1001',
        name: 'Nordklinik Södermalm',
        address: { street: 'Götgatan 54', postalCode: '118 26', city: 'Stockholm' },
        geo: { lat: 59.3142, lng: 18.0736 },
        openingHours: withSaturday,
        // Primary care: four weeks ahead.
        bookingHorizonDays: 28,
        practitioners: [
          {
            id: 'PR1101',
            name: 'Anna Lindqvist',
            title: 'Leg. läkare',
            serviceCodes: ['ALLM20', 'VACC10'],
          },
          {
            id: 'PR1102',
            name: 'Erik Johansson',
            title: 'Leg. sjuksköterska',
            serviceCodes: ['SSK15', 'VACC10', 'BVC30'],
          },
          {
            id: 'PR1103',
            name: 'Sara Ekström',
            title: 'Leg. fysioterapeut',
            serviceCodes: ['FYS45'],
          },
        ],
      },
      {
        id: 'CL1002',
        name: 'Nordklinik Vasastan',
        address: { street: 'Odengatan 65', postalCode: '113 22', city: 'Stockholm' },
        geo: { lat: 59.3457, lng: 18.0445 },
        openingHours: weekdayHours,
        // A psychologist's book is open further ahead than a GP's.
        bookingHorizonDays: 42,
        practitioners: [
          { id: 'PR1201', name: 'Johan Berg', title: 'Leg. läkare', serviceCodes: ['ALLM20'] },
          {
            id: 'PR1202',
            name: 'Maria Nilsson',
            title: 'Leg. psykolog',
            serviceCodes: ['PSY45'],
            // Part-time: shows that a practitioner's hours may differ from the clinic's.
            hours: [
              { days: [1, 2, 4], from: '09:00', to: '12:00' },
              { days: [1, 2, 4], from: '13:00', to: '16:00' },
            ],
          },
        ],
      },
      {
        id: 'CL1003',
        name: 'Nordklinik Uppsala Centrum',
        address: { street: 'Kungsgatan 41', postalCode: '753 21', city: 'Uppsala' },
        geo: { lat: 59.8586, lng: 17.6454 },
        openingHours: weekdayHours,
        bookingHorizonDays: 28,
        practitioners: [
          {
            id: 'PR1301',
            name: 'Karin Holm',
            title: 'Leg. läkare',
            serviceCodes: ['ALLM20', 'VACC10'],
          },
          {
            id: 'PR1302',
            name: 'Lars Sandberg',
            title: 'Leg. sjuksköterska',
            serviceCodes: ['SSK15', 'VACC10'],
          },
          {
            id: 'PR1303',
            name: 'Elin Wallin',
            title: 'Leg. fysioterapeut',
            serviceCodes: ['FYS45'],
          },
        ],
      },
    ],
  },
  {
    id: 'vastkusten',
    name: 'Västkustens Vårdcentraler',
    apiKey: 'dev-key-vastkusten',
    services: cliniqServices,
    clinics: [
      {
        id: 'CL2001',
        name: 'Västkustens Vårdcentral Linné',
        address: { street: 'Linnégatan 21', postalCode: '413 04', city: 'Göteborg' },
        geo: { lat: 57.6953, lng: 11.9521 },
        openingHours: withSaturday,
        // Child health care (BVC) check-ups are booked months ahead.
        bookingHorizonDays: 90,
        practitioners: [
          { id: 'PR2101', name: 'Fredrik Olsson', title: 'Leg. läkare', serviceCodes: ['ALLM20'] },
          {
            id: 'PR2102',
            name: 'Emma Karlsson',
            title: 'Leg. sjuksköterska',
            serviceCodes: ['SSK15', 'VACC10', 'BVC30'],
          },
        ],
      },
      {
        id: 'CL2002',
        name: 'Västkustens Vårdcentral Majorna',
        address: { street: 'Karl Johansgatan 37', postalCode: '414 59', city: 'Göteborg' },
        geo: { lat: 57.6929, lng: 11.9166 },
        openingHours: weekdayHours,
        // Physiotherapy and psychology: eight weeks.
        bookingHorizonDays: 56,
        practitioners: [
          {
            id: 'PR2201',
            name: 'Ingrid Persson',
            title: 'Leg. läkare',
            serviceCodes: ['ALLM20', 'VACC10'],
          },
          {
            id: 'PR2202',
            name: 'Oskar Lund',
            title: 'Leg. fysioterapeut',
            serviceCodes: ['FYS45'],
          },
          {
            id: 'PR2203',
            name: 'Sofia Andersson',
            title: 'Leg. psykolog',
            serviceCodes: ['PSY45'],
          },
        ],
      },
      {
        id: 'CL2003',
        name: 'Västkustens Vårdcentral Möllevången',
        address: { street: 'Bergsgatan 20', postalCode: '214 22', city: 'Malmö' },
        geo: { lat: 55.594, lng: 13.0047 },
        openingHours: weekdayHours,
        bookingHorizonDays: 28,
        practitioners: [
          { id: 'PR2301', name: 'Ahmed Hassan', title: 'Leg. läkare', serviceCodes: ['ALLM20'] },
          {
            id: 'PR2302',
            name: 'Linnea Björk',
            title: 'Leg. sjuksköterska',
            serviceCodes: ['SSK15', 'VACC10'],
          },
        ],
      },
    ],
  },
];
