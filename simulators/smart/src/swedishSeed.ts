/** One weekly range of bookable time in local wall time, e.g. Mon–Fri 08:00–12:00. */
export interface WeeklyHours {
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  readonly days: readonly number[];
  /** `HH:mm`, local. */
  readonly from: string;
  /** `HH:mm`, local; the last slot ends at or before it. */
  readonly to: string;
}

/** A clinic, published as a FHIR Location. */
export interface ClinicSeed {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly phone: string;
  readonly address: {
    readonly line: string;
    readonly postalCode: string;
    readonly city: string;
    /** Municipality (`kommun`), published as `address.district`. */
    readonly municipality: string;
    /** County code (ISO 3166-2:SE without `SE-`), published as `address.state`. */
    readonly county: string;
  };
  /** Omitted for a clinic that has not geocoded itself (the specification allows it). */
  readonly position?: { readonly latitude: number; readonly longitude: number };
  /** Publishes its slot times in UTC (`Z`) instead of local offsets: both are valid. */
  readonly utcTimes?: boolean;
  /** Misspells the booking-phone extension URL, as real publishers have done. */
  readonly misspelledPhoneExtension?: boolean;
  /**
   * How far ahead the clinic's book is open: its slots are for the local days today..today+N.
   * Clinics differ (primary care a few weeks, hearing tests half a year); the simulator's
   * `daysAhead` setting overrides every clinic's when set.
   */
  readonly bookingHorizonDays: number;
}

/** A visit type of the publisher's own code system, with any HL7 service-type coding too. */
export interface ServiceSeed {
  readonly code: string;
  readonly display: string;
  /** `http://terminology.hl7.org/CodeSystem/service-type` code for the same service, if one fits. */
  readonly hl7?: { readonly code: string; readonly display: string };
}

/** A calendar: one practitioner (or none: drop-in) offering services at one clinic. */
export interface ScheduleSeed {
  readonly id: string;
  readonly locationId: string;
  readonly practitioner?: { readonly id: string; readonly name: string };
  readonly serviceCodes: readonly string[];
  readonly slotMinutes: number;
  readonly hours: readonly WeeklyHours[];
  /** Patients per slot (drop-in sessions take several). Default: 1. */
  readonly capacity?: number;
}

/** The publisher's own code system for visit types. */
export const visitTypeSystem = 'https://fhir.vardbokning.example.se/CodeSystem/besokstyp';
export const hl7ServiceTypeSystem = 'http://terminology.hl7.org/CodeSystem/service-type';

export const services: readonly ServiceSeed[] = [
  {
    code: 'lakarbesok',
    display: 'Läkarbesök',
    hl7: { code: '124', display: 'General Practice' },
  },
  { code: 'sjukskoterskebesok', display: 'Sjuksköterskebesök' },
  { code: 'vaccination', display: 'Vaccination', hl7: { code: '57', display: 'Immunization' } },
  { code: 'fysioterapi', display: 'Fysioterapi' },
  { code: 'psykolog', display: 'Psykologsamtal' },
  { code: 'bvc', display: 'BVC-besök' },
  { code: 'barnmorska', display: 'Barnmorskebesök' },
  // Not in the platform's catalogue: an adapter has to leave it out, not guess.
  { code: 'horselundersokning', display: 'Hörselundersökning' },
];

const weekdays = [1, 2, 3, 4, 5];
const dayTime: readonly WeeklyHours[] = [
  { days: weekdays, from: '08:00', to: '12:00' },
  { days: weekdays, from: '13:00', to: '17:00' },
];

export const clinics: readonly ClinicSeed[] = [
  {
    id: 'sthlm-sodermalm',
    name: 'Vårdcentralen Södermalm',
    phone: '+46 8 555 101 00',
    address: {
      line: 'Hornsgatan 54',
      postalCode: '118 21',
      city: 'Stockholm',
      municipality: 'Stockholm',
      county: 'AB',
    },
    position: { latitude: 59.3171, longitude: 18.0593 },
    // Primary care: four weeks. The vaccination drop-in follows the rest of the book.
    bookingHorizonDays: 28,
  },
  {
    id: 'gbg-haga',
    name: 'Hagakliniken Göteborg',
    description: 'Ingång från Sprängkullsgatan, en trappa upp.',
    phone: '+46 31 555 202 00',
    address: {
      line: 'Sprängkullsgatan 19',
      postalCode: '411 23',
      city: 'Göteborg',
      municipality: 'Göteborg',
      county: 'O',
    },
    position: { latitude: 57.6992, longitude: 11.9569 },
    // Physiotherapy courses are booked eight weeks ahead.
    bookingHorizonDays: 56,
  },
  {
    id: 'malmo-mollevangen',
    name: 'Möllevångens Hälsocentral',
    phone: '+46 40 555 303 00',
    address: {
      line: 'Bergsgatan 20',
      postalCode: '214 22',
      city: 'Malmö',
      municipality: 'Malmö',
      county: 'M',
    },
    position: { latitude: 55.5917, longitude: 13.0007 },
    misspelledPhoneExtension: true,
    // A psychologist's book is open six weeks ahead, further than a GP's.
    bookingHorizonDays: 42,
  },
  {
    id: 'uppsala-centrum',
    name: 'Uppsala Centrum Vård',
    phone: '+46 18 555 404 00',
    address: {
      line: 'Kungsgatan 60',
      postalCode: '753 21',
      city: 'Uppsala',
      municipality: 'Uppsala',
      county: 'C',
    },
    position: { latitude: 59.8586, longitude: 17.6454 },
    // Child health (BVC) and maternity check-ups are planned months ahead.
    bookingHorizonDays: 120,
  },
  {
    id: 'linkoping-agatan',
    name: 'Ågatans Vårdcentral Linköping',
    phone: '+46 13 555 505 00',
    address: {
      line: 'Ågatan 40',
      postalCode: '582 22',
      city: 'Linköping',
      municipality: 'Linköping',
      county: 'E',
    },
    position: { latitude: 58.4108, longitude: 15.6214 },
    utcTimes: true,
    // Hearing tests are booked half a year ahead. The GP's book opens as far (one horizon per
    // clinic), so this clinic is a third of the publication's size: a year would double it.
    bookingHorizonDays: 182,
  },
  {
    id: 'umea-alidhem',
    name: 'Alidhems Hälsocentral Umeå',
    phone: '+46 90 555 606 00',
    address: {
      line: 'Axtorpsvägen 2',
      postalCode: '903 37',
      city: 'Umeå',
      municipality: 'Umeå',
      county: 'AC',
    },
    bookingHorizonDays: 28,
  },
];

export const schedules: readonly ScheduleSeed[] = [
  {
    id: 'sch-sodermalm-lakare-1',
    locationId: 'sthlm-sodermalm',
    practitioner: { id: 'pr-anna-lindqvist', name: 'Anna Lindqvist' },
    serviceCodes: ['lakarbesok'],
    slotMinutes: 20,
    hours: dayTime,
  },
  {
    id: 'sch-sodermalm-ssk-1',
    locationId: 'sthlm-sodermalm',
    practitioner: { id: 'pr-erik-holm', name: 'Erik Holm' },
    serviceCodes: ['sjukskoterskebesok', 'vaccination'],
    slotMinutes: 15,
    hours: [...dayTime, { days: [6], from: '10:00', to: '14:00' }],
  },
  {
    id: 'sch-sodermalm-vaccin-dropin',
    locationId: 'sthlm-sodermalm',
    serviceCodes: ['vaccination'],
    slotMinutes: 30,
    hours: [{ days: [2, 4], from: '15:00', to: '18:00' }],
    capacity: 6,
  },
  {
    id: 'sch-haga-lakare-1',
    locationId: 'gbg-haga',
    practitioner: { id: 'pr-sara-nilsson', name: 'Sara Nilsson' },
    serviceCodes: ['lakarbesok'],
    slotMinutes: 20,
    hours: dayTime,
  },
  {
    id: 'sch-haga-fysio-1',
    locationId: 'gbg-haga',
    practitioner: { id: 'pr-johan-berg', name: 'Johan Berg' },
    serviceCodes: ['fysioterapi'],
    slotMinutes: 45,
    hours: [{ days: [1, 2, 3, 4], from: '07:30', to: '16:30' }],
  },
  {
    id: 'sch-mollevangen-psykolog-1',
    locationId: 'malmo-mollevangen',
    practitioner: { id: 'pr-leila-haddad', name: 'Leila Haddad' },
    serviceCodes: ['psykolog'],
    slotMinutes: 45,
    hours: [{ days: [1, 3, 5], from: '09:00', to: '16:00' }],
  },
  {
    id: 'sch-mollevangen-lakare-1',
    locationId: 'malmo-mollevangen',
    practitioner: { id: 'pr-per-svensson', name: 'Per Svensson' },
    serviceCodes: ['lakarbesok'],
    slotMinutes: 20,
    hours: dayTime,
  },
  {
    id: 'sch-uppsala-bvc-1',
    locationId: 'uppsala-centrum',
    practitioner: { id: 'pr-maria-ek', name: 'Maria Ek' },
    serviceCodes: ['bvc'],
    slotMinutes: 30,
    hours: [{ days: weekdays, from: '08:30', to: '15:30' }],
  },
  {
    id: 'sch-uppsala-barnmorska-1',
    locationId: 'uppsala-centrum',
    practitioner: { id: 'pr-karin-lund', name: 'Karin Lund' },
    serviceCodes: ['barnmorska'],
    slotMinutes: 30,
    hours: [{ days: [1, 2, 4], from: '09:00', to: '15:00' }],
  },
  {
    id: 'sch-agatan-lakare-1',
    locationId: 'linkoping-agatan',
    practitioner: { id: 'pr-oskar-dahl', name: 'Oskar Dahl' },
    serviceCodes: ['lakarbesok'],
    slotMinutes: 20,
    hours: dayTime,
  },
  {
    id: 'sch-agatan-horsel-1',
    locationId: 'linkoping-agatan',
    practitioner: { id: 'pr-ida-strom', name: 'Ida Ström' },
    serviceCodes: ['horselundersokning'],
    slotMinutes: 30,
    hours: [{ days: [3], from: '09:00', to: '12:00' }],
  },
  {
    id: 'sch-alidhem-lakare-1',
    locationId: 'umea-alidhem',
    practitioner: { id: 'pr-nils-sandberg', name: 'Nils Sandberg' },
    serviceCodes: ['lakarbesok', 'sjukskoterskebesok'],
    slotMinutes: 20,
    hours: dayTime,
  },
  {
    // The clinic closed and its Location was withdrawn, but this calendar was left behind: a
    // dangling reference, as in real publications. Consumers must skip it, not crash.
    id: 'sch-kista-lakare-1',
    locationId: 'sthlm-kista',
    practitioner: { id: 'pr-lars-ek', name: 'Lars Ek' },
    serviceCodes: ['lakarbesok'],
    slotMinutes: 20,
    hours: [{ days: [1], from: '08:00', to: '10:00' }],
  },
];
