/** A weekday as Square writes it in `BusinessHoursPeriod.day_of_week`. */
export type Weekday = 'MON' | 'TUE' | 'WED' | 'THU' | 'FRI' | 'SAT' | 'SUN';

/** One weekly range of local wall time, e.g. Monday 08:00–17:00. */
export interface WeeklyPeriod {
  day: Weekday;
  /** `HH:mm` local. */
  from: string;
  /** `HH:mm` local; the last appointment ends at or before it. */
  to: string;
}

export interface LocationSeed {
  id: string;
  name: string;
  address: { line1: string; postalCode: string; locality: string };
  coordinates: { latitude: number; longitude: number };
  phone: string;
  /** Opening hours shown in `Location.business_hours`. */
  hours: readonly WeeklyPeriod[];
}

export interface TeamMemberSeed {
  id: string;
  displayName: string;
  description: string;
  /** Receptionists are team members too, but nobody books them. */
  isBookable: boolean;
  locationId: string;
  /** When the team member takes appointments, local wall time. */
  hours: readonly WeeklyPeriod[];
}

export interface VariationSeed {
  id: string;
  name: string;
  durationMinutes: number;
  priceSek: number;
  teamMemberIds: readonly string[];
  /** Square's `available_for_booking`. Default: true. */
  availableForBooking?: boolean;
}

/** A catalogue item of product type APPOINTMENTS_SERVICE with its bookable variations. */
export interface ServiceSeed {
  id: string;
  name: string;
  description: string;
  variations: readonly VariationSeed[];
}

/** A Square seller (merchant): one access token, its locations, staff and services. */
export interface SellerSeed {
  merchantId: string;
  businessName: string;
  /** The seller's access token, `Authorization: Bearer <token>`. */
  accessToken: string;
  /** The grid availabilities start on, from each working period's start. */
  slotIntervalMinutes: 15 | 30 | 60;
  locations: readonly LocationSeed[];
  teamMembers: readonly TeamMemberSeed[];
  services: readonly ServiceSeed[];
}

export const sellerZone = 'Europe/Stockholm';
export const catalogVersion = 1_767_225_600_000;

const week = (days: readonly Weekday[], from: string, to: string): WeeklyPeriod[] =>
  days.map((day) => ({ day, from, to }));
const monFri: Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI'];

/** The built-in sellers: fixed, so ids, tokens and seeded bookings repeat run to run. */
export const defaultSellers: readonly SellerSeed[] = [
  {
    merchantId: 'MLRORELSEFYS01',
    businessName: 'Rörelse Fysioterapi',
    accessToken: 'EAAAdev-rorelse-fysioterapi',
    slotIntervalMinutes: 30,
    locations: [
      {
        id: 'LSTHSODERMALM01',
        name: 'Rörelse Södermalm',
        address: { line1: 'Hornsgatan 64', postalCode: '118 21', locality: 'Stockholm' },
        coordinates: { latitude: 59.3172, longitude: 18.0593 },
        phone: '+46 8 640 12 00',
        hours: [...week(monFri, '08:00', '18:00'), ...week(['SAT', 'SUN'], '09:00', '15:00')],
      },
      {
        id: 'LSTHKUNGSHOLM01',
        name: 'Rörelse Kungsholmen',
        address: { line1: 'Fleminggatan 18', postalCode: '112 26', locality: 'Stockholm' },
        coordinates: { latitude: 59.3326, longitude: 18.0449 },
        phone: '+46 8 650 33 10',
        hours: week(monFri, '10:00', '19:00'),
      },
    ],
    teamMembers: [
      {
        id: 'TMelinsjoberg01',
        displayName: 'Elin Sjöberg',
        description: 'Leg. fysioterapeut, rygg och nacke',
        isBookable: true,
        locationId: 'LSTHSODERMALM01',
        hours: week(monFri, '08:00', '17:00'),
      },
      {
        id: 'TMoskarholm0001',
        displayName: 'Oskar Holm',
        description: 'Leg. fysioterapeut, idrottsskador; arbetar helger',
        isBookable: true,
        locationId: 'LSTHSODERMALM01',
        hours: week(['WED', 'THU', 'FRI', 'SAT', 'SUN'], '09:00', '15:00'),
      },
      {
        id: 'TMkarinek000001',
        displayName: 'Karin Ek',
        description: 'Receptionist',
        isBookable: false,
        locationId: 'LSTHSODERMALM01',
        hours: week(monFri, '08:00', '16:00'),
      },
      {
        id: 'TMlinneaberg001',
        displayName: 'Linnea Berg',
        description: 'Massageterapeut',
        isBookable: true,
        locationId: 'LSTHKUNGSHOLM01',
        hours: week(monFri, '10:00', '19:00'),
      },
    ],
    services: [
      {
        id: 'ITFYSNYBESOK0000000001',
        name: 'Fysioterapi nybesök',
        description: 'Första besöket: bedömning och behandlingsplan.',
        variations: [
          {
            id: 'IVFYSNYBESOK60000000001',
            name: '60 min',
            durationMinutes: 60,
            priceSek: 895,
            teamMemberIds: ['TMelinsjoberg01', 'TMoskarholm0001'],
          },
        ],
      },
      {
        id: 'ITFYSATERBESOK00000001',
        name: 'Fysioterapi återbesök',
        description: 'Uppföljande behandling.',
        variations: [
          {
            id: 'IVFYSATERBESOK3000000001',
            name: '30 min',
            durationMinutes: 30,
            priceSek: 595,
            teamMemberIds: ['TMelinsjoberg01', 'TMoskarholm0001'],
          },
        ],
      },
      {
        id: 'ITIDROTTSMASSAGE000001',
        name: 'Idrottsmassage',
        description: 'Djup massage för aktiva.',
        variations: [
          {
            id: 'IVIDROTTSMASSAGE30000001',
            name: '30 min',
            durationMinutes: 30,
            priceSek: 495,
            teamMemberIds: ['TMlinneaberg001'],
          },
          {
            id: 'IVIDROTTSMASSAGE60000001',
            name: '60 min',
            durationMinutes: 60,
            priceSek: 845,
            teamMemberIds: ['TMlinneaberg001'],
          },
        ],
      },
      {
        id: 'ITREHABGRUPP0000000001',
        name: 'Rehabträning i grupp',
        description: 'Bokas i receptionen, inte online.',
        variations: [
          {
            id: 'IVREHABGRUPP600000000001',
            name: '60 min',
            durationMinutes: 60,
            priceSek: 250,
            teamMemberIds: ['TMelinsjoberg01'],
            availableForBooking: false,
          },
        ],
      },
    ],
  },
  {
    merchantId: 'MLGBGMASSAGE01',
    businessName: 'Göteborgs Massageklinik',
    accessToken: 'EAAAdev-goteborgs-massageklinik',
    slotIntervalMinutes: 30,
    locations: [
      {
        id: 'LGBGLINNE000001',
        name: 'Massageklinik Linné',
        address: { line1: 'Linnégatan 21', postalCode: '413 04', locality: 'Göteborg' },
        coordinates: { latitude: 57.6952, longitude: 11.9522 },
        phone: '+46 31 14 22 80',
        hours: [...week(monFri, '09:00', '18:00'), ...week(['SAT'], '10:00', '16:00')],
      },
    ],
    teamMembers: [
      {
        id: 'TMamirahaddad01',
        displayName: 'Amira Haddad',
        description: 'Certifierad massageterapeut',
        isBookable: true,
        locationId: 'LGBGLINNE000001',
        hours: week(['MON', 'TUE', 'WED', 'THU'], '09:00', '18:00'),
      },
      {
        id: 'TMjonaslund0001',
        displayName: 'Jonas Lund',
        description: 'Massageterapeut, gravidmassage',
        isBookable: true,
        locationId: 'LGBGLINNE000001',
        hours: week(['TUE', 'WED', 'THU', 'FRI', 'SAT'], '10:00', '16:00'),
      },
    ],
    services: [
      {
        id: 'ITKLASSISKMASSAGE00001',
        name: 'Klassisk massage',
        description: 'Helkropps- eller delmassage.',
        variations: [
          {
            id: 'IVKLASSISKMASSAGE3000001',
            name: '30 min',
            durationMinutes: 30,
            priceSek: 450,
            teamMemberIds: ['TMamirahaddad01', 'TMjonaslund0001'],
          },
          {
            id: 'IVKLASSISKMASSAGE6000001',
            name: '60 min',
            durationMinutes: 60,
            priceSek: 790,
            teamMemberIds: ['TMamirahaddad01', 'TMjonaslund0001'],
          },
        ],
      },
      {
        id: 'ITGRAVIDMASSAGE000001',
        name: 'Gravidmassage',
        description: 'Massage i sidoläge.',
        variations: [
          {
            id: 'IVGRAVIDMASSAGE450000001',
            name: '45 min',
            durationMinutes: 45,
            priceSek: 690,
            teamMemberIds: ['TMjonaslund0001'],
          },
        ],
      },
    ],
  },
  {
    merchantId: 'MLKIROSKANE001',
    businessName: 'Kiropraktorhuset Skåne',
    accessToken: 'EAAAdev-kiropraktorhuset-skane',
    slotIntervalMinutes: 15,
    locations: [
      {
        id: 'LMLMSODRAFORST1',
        name: 'Kiropraktorhuset Malmö',
        address: { line1: 'Södra Förstadsgatan 34', postalCode: '211 43', locality: 'Malmö' },
        coordinates: { latitude: 55.5988, longitude: 13.0007 },
        phone: '+46 40 611 45 00',
        hours: week(monFri, '07:30', '20:00'),
      },
      {
        id: 'LLUNDSTORASOD01',
        name: 'Kiropraktorhuset Lund',
        address: { line1: 'Stora Södergatan 8', postalCode: '222 23', locality: 'Lund' },
        coordinates: { latitude: 55.7031, longitude: 13.1929 },
        phone: '+46 46 12 90 40',
        hours: week(['MON', 'WED', 'FRI'], '08:00', '17:00'),
      },
    ],
    teamMembers: [
      {
        id: 'TMhenrikstahl01',
        displayName: 'Henrik Ståhl',
        description: 'Leg. kiropraktor',
        isBookable: true,
        locationId: 'LMLMSODRAFORST1',
        hours: week(monFri, '07:30', '16:00'),
      },
      {
        id: 'TMmaxandersson1',
        displayName: 'Max Andersson',
        description: 'Leg. kiropraktor, kvällstider',
        isBookable: true,
        locationId: 'LMLMSODRAFORST1',
        hours: week(['TUE', 'THU'], '12:00', '20:00'),
      },
      {
        id: 'TMsofianyberg01',
        displayName: 'Sofia Nyberg',
        description: 'Leg. kiropraktor',
        isBookable: true,
        locationId: 'LLUNDSTORASOD01',
        hours: week(['MON', 'WED', 'FRI'], '08:00', '17:00'),
      },
    ],
    services: [
      {
        id: 'ITKIRONYBESOK00000001',
        name: 'Kiropraktik nybesök',
        description: 'Undersökning och första behandling.',
        variations: [
          {
            id: 'IVKIRONYBESOK450000001',
            name: '45 min',
            durationMinutes: 45,
            priceSek: 850,
            teamMemberIds: ['TMhenrikstahl01', 'TMmaxandersson1', 'TMsofianyberg01'],
          },
        ],
      },
      {
        id: 'ITKIROATERBESOK000001',
        name: 'Kiropraktik återbesök',
        description: 'Behandling.',
        variations: [
          {
            id: 'IVKIROATERBESOK20000001',
            name: '20 min',
            durationMinutes: 20,
            priceSek: 560,
            teamMemberIds: ['TMhenrikstahl01', 'TMmaxandersson1', 'TMsofianyberg01'],
          },
        ],
      },
    ],
  },
];
