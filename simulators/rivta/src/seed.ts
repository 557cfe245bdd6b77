/** A weekly block of bookable time in local wall time, e.g. Mon–Fri 08:00–12:00 of LAK20. */
export interface ScheduleBlock {
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  days: readonly number[];
  /** First start, `HH:mm` local. */
  from: string;
  /** The last timeslot ends at or before this, `HH:mm` local (`24:00` for midnight). */
  to: string;
  /** Time type (tidstyp) of every timeslot in the block. */
  timeTypeId: string;
  /** Care type (vårdtyp) of every timeslot in the block. */
  careTypeId: string;
  /** Length of each timeslot. */
  slotMinutes: number;
}

/** A performer (HSA person id) and their weekly schedule at one healthcare facility. */
export interface PerformerSeed {
  hsaId: string;
  firstName: string;
  lastName: string;
  title: string;
  blocks: readonly ScheduleBlock[];
}

/** A healthcare facility (mottagning) with its own HSA id. */
export interface FacilitySeed {
  hsaId: string;
  name: string;
  /**
   * How far ahead the facility's book is open: timeslots exist for the local days
   * today..today+N. A vaccination clinic opens months ahead, a GP's reception weeks; the
   * simulator's `daysAhead` setting overrides every facility's when set.
   */
  bookingHorizonDays: number;
  performers: readonly PerformerSeed[];
}

/**
 * One care unit: a producer system reached through the national service platform at its
 * logical address (the unit's HSA id), owning one or more healthcare facilities.
 */
export interface CareUnitSeed {
  /** Logical address: the care unit's HSA id, e.g. `SE2321000016-1234`. */
  logicalAddress: string;
  name: string;
  facilities: readonly FacilitySeed[];
}

export interface CodeSeed {
  id: string;
  name: string;
}

/** The simulator's whole seed: units plus the code lists every unit shares. */
export interface RivtaSeed {
  units: readonly CareUnitSeed[];
  timeTypes: readonly CodeSeed[];
  careTypes: readonly CodeSeed[];
}

export const defaultTimeTypes: readonly CodeSeed[] = [
  { id: 'LAK20', name: 'Läkarbesök 20 min' },
  { id: 'SSK15', name: 'Sjuksköterskebesök 15 min' },
  { id: 'VACC10', name: 'Vaccination' },
  { id: 'BVC30', name: 'BVC-besök' },
  { id: 'BMM30', name: 'Barnmorskebesök' },
  { id: 'FYS45', name: 'Fysioterapi, nybesök' },
  // Not in the platform catalogue: the adapter must leave it out.
  { id: 'TEL10', name: 'Telefontid' },
];

export const defaultCareTypes: readonly CodeSeed[] = [
  { id: 'ALLM', name: 'Allmänmedicin' },
  { id: 'BHV', name: 'Barnhälsovård' },
  { id: 'MHV', name: 'Mödrahälsovård' },
  { id: 'REH', name: 'Rehabilitering' },
];

const weekdays = [1, 2, 3, 4, 5];
const block = (
  days: readonly number[],
  from: string,
  to: string,
  timeTypeId: string,
  careTypeId: string,
  slotMinutes: number,
): ScheduleBlock => ({ days, from, to, timeTypeId, careTypeId, slotMinutes });

/** Deterministic seed units: three regions, two to three facilities each. */
export const defaultUnits: readonly CareUnitSeed[] = [
  {
    logicalAddress: 'SE2321000016-1234',
    name: 'Vårdcentralen Kungsholmen',
    facilities: [
      {
        hsaId: 'SE2321000016-12A1',
        name: 'Vårdcentralen Kungsholmen, läkar- och sjuksköterskemottagning',
        // Primary care: four weeks.
        bookingHorizonDays: 28,
        performers: [
          {
            hsaId: 'SE2321000016-L101',
            firstName: 'Anna',
            lastName: 'Lindqvist',
            title: 'Leg. läkare',
            blocks: [
              block(weekdays, '08:00', '12:00', 'LAK20', 'ALLM', 20),
              block(weekdays, '13:00', '16:00', 'LAK20', 'ALLM', 20),
            ],
          },
          {
            hsaId: 'SE2321000016-S102',
            firstName: 'Erik',
            lastName: 'Johansson',
            title: 'Leg. sjuksköterska',
            blocks: [
              block(weekdays, '08:00', '12:00', 'SSK15', 'ALLM', 15),
              block([1, 3], '13:00', '15:00', 'VACC10', 'ALLM', 10),
              block([2, 4], '13:00', '14:00', 'TEL10', 'ALLM', 10),
            ],
          },
        ],
      },
      {
        hsaId: 'SE2321000016-12B2',
        name: 'Vårdcentralen Kungsholmen, vaccinationsmottagning',
        // Vaccinations (seasonal flu, travel, boosters): half a year ahead.
        bookingHorizonDays: 182,
        performers: [
          {
            hsaId: 'SE2321000016-S103',
            firstName: 'Sara',
            lastName: 'Ekström',
            title: 'Leg. sjuksköterska',
            // Open at weekends, so there are timeslots on both DST Sundays.
            blocks: [block([5, 6, 7], '09:00', '13:00', 'VACC10', 'ALLM', 10)],
          },
        ],
      },
    ],
  },
  {
    logicalAddress: 'SE2321000032-5678',
    name: 'Gottsunda vårdcentral',
    facilities: [
      {
        hsaId: 'SE2321000032-56A1',
        name: 'Gottsunda vårdcentral',
        bookingHorizonDays: 28,
        performers: [
          {
            hsaId: 'SE2321000032-L201',
            firstName: 'Johan',
            lastName: 'Berg',
            title: 'Leg. läkare',
            blocks: [block(weekdays, '08:30', '16:30', 'LAK20', 'ALLM', 20)],
          },
          {
            hsaId: 'SE2321000032-F202',
            firstName: 'Elin',
            lastName: 'Wallin',
            title: 'Leg. fysioterapeut',
            blocks: [block([1, 2, 4], '09:00', '15:00', 'FYS45', 'REH', 45)],
          },
        ],
      },
      {
        hsaId: 'SE2321000032-56B2',
        name: 'Gottsunda BVC',
        // Child health care check-ups follow the child's age: four months ahead.
        bookingHorizonDays: 120,
        performers: [
          {
            hsaId: 'SE2321000032-S203',
            firstName: 'Maria',
            lastName: 'Nilsson',
            title: 'Distriktssköterska',
            blocks: [block([1, 2, 3, 4], '08:00', '12:00', 'BVC30', 'BHV', 30)],
          },
        ],
      },
      {
        hsaId: 'SE2321000032-56C3',
        name: 'Gottsunda barnmorskemottagning',
        // Maternity care visits through a pregnancy: three months ahead.
        bookingHorizonDays: 90,
        performers: [
          {
            hsaId: 'SE2321000032-B204',
            firstName: 'Karin',
            lastName: 'Holm',
            title: 'Leg. barnmorska',
            blocks: [block([2, 3, 5], '09:00', '15:00', 'BMM30', 'MHV', 30)],
          },
        ],
      },
    ],
  },
  {
    logicalAddress: 'SE2321000255-9012',
    name: 'Vårdcentralen Möllevången',
    facilities: [
      {
        hsaId: 'SE2321000255-90A1',
        name: 'Vårdcentralen Möllevången',
        bookingHorizonDays: 28,
        performers: [
          {
            hsaId: 'SE2321000255-L301',
            firstName: 'Ahmed',
            lastName: 'Hassan',
            title: 'Leg. läkare',
            blocks: [block(weekdays, '08:00', '17:00', 'LAK20', 'ALLM', 20)],
          },
          {
            hsaId: 'SE2321000255-S302',
            firstName: 'Linnea',
            lastName: 'Björk',
            title: 'Leg. sjuksköterska',
            blocks: [
              block(weekdays, '08:00', '12:00', 'SSK15', 'ALLM', 15),
              block(weekdays, '13:00', '16:00', 'VACC10', 'ALLM', 10),
            ],
          },
        ],
      },
    ],
  },
];

export const defaultSeed: RivtaSeed = {
  units: defaultUnits,
  timeTypes: defaultTimeTypes,
  careTypes: defaultCareTypes,
};
