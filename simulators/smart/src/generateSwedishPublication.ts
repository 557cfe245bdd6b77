import { hashString } from '@booking/simulator-kit';
import { DateTime } from 'luxon';
import type { SourceFile } from './publicationFile.js';
import {
  type ClinicSeed,
  clinics as defaultClinics,
  schedules as defaultSchedules,
  hl7ServiceTypeSystem,
  type ScheduleSeed,
  services,
  visitTypeSystem,
} from './swedishSeed.js';

/** Swedish clinics keep Swedish wall-clock time. */
export const stockholm = 'Europe/Stockholm';

/** Extension URLs of the SMART Scheduling Links specification. */
export const extensionUrls = {
  bookingDeepLink: 'http://fhir-registry.smarthealthit.org/StructureDefinition/booking-deep-link',
  bookingPhone: 'http://fhir-registry.smarthealthit.org/StructureDefinition/booking-phone',
  slotCapacity: 'http://fhir-registry.smarthealthit.org/StructureDefinition/slot-capacity',
} as const;

export interface SwedishPublicationOptions {
  /** The publisher's clock: slots start after it, up to each clinic's horizon (local days). */
  now: Date;
  /** The publisher's base URL ending in `/`, e.g. `http://127.0.0.1:4104/sverige/`; deep links point under it. */
  baseUrl: string;
  /**
   * Overrides every clinic's `bookingHorizonDays`: all slots are for the local days
   * today..today+`daysAhead`. Default: each clinic's own horizon.
   */
  daysAhead?: number;
  /** Picks which slots other patients have already booked; same seed, same bookings. */
  seed: number;
  /** Default: the built-in clinics (`swedishSeed.ts`). */
  clinics?: readonly ClinicSeed[];
  /** Default: the built-in schedules (`swedishSeed.ts`). */
  schedules?: readonly ScheduleSeed[];
}

/**
 * Horizon of a schedule whose clinic is not published (a withdrawn Location's calendar left
 * behind): no clinic says how far its book is open, so it keeps primary care's four weeks.
 */
const unpublishedClinicHorizonDays = 28;

/** How many local days after today a clinic's book is open: the override, else its own. */
function horizonOf(clinic: ClinicSeed | undefined, daysAhead: number | undefined): number {
  return daysAhead ?? clinic?.bookingHorizonDays ?? unpublishedClinicHorizonDays;
}

/** Share of single-patient slots already booked by other patients when published. */
const prebookedPercent = 12;

function minutesOf(hhmm: string): number {
  const [hours = 0, minutes = 0] = hhmm.split(':').map(Number);
  return hours * 60 + minutes;
}

/** The instant of a local wall-clock minute of `day`, or undefined when DST skips it. */
function instantOf(day: DateTime, minuteOfDay: number): number | undefined {
  const hour = Math.floor(minuteOfDay / 60);
  const minute = minuteOfDay % 60;
  const value = day.set({ hour, minute });
  return value.hour === hour && value.minute === minute ? value.toMillis() : undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Stockholm's UTC offset in minutes at `ms`; offsets change on whole hours only, so cached per hour. */
function createOffsetLookup(): (ms: number) => number {
  const cache = new Map<number, number>();
  return (ms) => {
    const hour = Math.floor(ms / 3_600_000);
    let offset = cache.get(hour);
    if (offset === undefined) {
      offset = DateTime.fromMillis(hour * 3_600_000, { zone: stockholm }).offset;
      cache.set(hour, offset);
    }
    return offset;
  };
}

/** `2026-10-26T08:00:00.000+01:00`: the instant in local time with its offset, as FHIR `instant`. */
function formatWithOffset(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function locationResource(clinic: ClinicSeed): Record<string, unknown> {
  return {
    resourceType: 'Location',
    id: clinic.id,
    name: clinic.name,
    ...(clinic.description && { description: clinic.description }),
    telecom: [{ system: 'phone', value: clinic.phone }],
    address: {
      line: [clinic.address.line],
      city: clinic.address.city,
      district: clinic.address.municipality,
      state: clinic.address.county,
      postalCode: clinic.address.postalCode,
      country: 'SE',
    },
    ...(clinic.position && { position: clinic.position }),
  };
}

function scheduleResource(
  schedule: ScheduleSeed,
  clinic: ClinicSeed | undefined,
): Record<string, unknown> {
  return {
    resourceType: 'Schedule',
    id: schedule.id,
    active: true,
    serviceType: schedule.serviceCodes.map((code) => {
      const service = services.find((s) => s.code === code);
      return {
        coding: [
          { system: visitTypeSystem, code, display: service?.display ?? code },
          ...(service?.hl7
            ? [
                {
                  system: hl7ServiceTypeSystem,
                  code: service.hl7.code,
                  display: service.hl7.display,
                },
              ]
            : []),
        ],
      };
    }),
    actor: [
      { reference: `Location/${schedule.locationId}`, ...(clinic && { display: clinic.name }) },
      ...(schedule.practitioner
        ? [
            {
              reference: `PractitionerRole/${schedule.practitioner.id}`,
              display: schedule.practitioner.name,
            },
          ]
        : []),
    ],
  };
}

/** ISO week of a local date, e.g. `2026-W43`, the slot file it belongs to. */
function isoWeekOf(day: DateTime): string {
  return `${day.weekYear}-W${pad(day.weekNumber)}`;
}

/**
 * The Swedish publication as NDJSON files: `locations.ndjson`, `schedules.ndjson` and one slot
 * file per ISO week (`slots-2026-W43.ndjson`), as the specification's example splits them. Slots
 * follow weekly opening hours in Stockholm wall time, so a practitioner's first slot of a weekday
 * is at the same local time on both sides of a DST change; local times that DST skips get none.
 * Times carry the local offset, except at clinics marked `utcTimes`, which publish UTC (`Z`).
 * Slots other patients have booked are published as `busy`, as the specification recommends.
 */
export function generateSwedishPublication(options: SwedishPublicationOptions): SourceFile[] {
  const clinics = options.clinics ?? defaultClinics;
  const schedules = options.schedules ?? defaultSchedules;
  const clinicById = new Map(clinics.map((clinic) => [clinic.id, clinic]));
  const portalUrl = new URL('portal/boka', options.baseUrl).toString();
  const calendars = schedules.map((schedule) => {
    const clinic = clinicById.get(schedule.locationId);
    const idPrefix = `${schedule.id}-`;
    return {
      schedule,
      clinic,
      horizon: horizonOf(clinic, options.daysAhead),
      idPrefix,
      // Form-encoded once per schedule: the local digits that complete an id need no encoding.
      deepLinkPrefix: `${portalUrl}?${new URLSearchParams({ slot: idPrefix })}`,
    };
  });
  const nowMs = options.now.getTime();
  const offsetAt = createOffsetLookup();

  const weeks = new Map<string, { lines: string[]; counties: Set<string> }>();
  const lastIndex = Math.max(0, ...calendars.map((calendar) => calendar.horizon));
  // Zone arithmetic is slow: one `plus` a day, each day's the next one's start.
  let next = DateTime.fromJSDate(options.now, { zone: stockholm }).startOf('day');
  for (let index = 0; index <= lastIndex; index += 1) {
    const day = next;
    next = day.plus({ days: 1 });
    const date = `${day.year}${pad(day.month)}${pad(day.day)}`;
    const weekName = isoWeekOf(day);
    const week = weeks.get(weekName) ?? { lines: [], counties: new Set<string>() };
    // Resolving the zone per slot is slow: on a day without a DST change, wall minutes map to
    // instants by plain arithmetic from local midnight, all with midnight's offset.
    const midnight = day.toMillis();
    const steady = day.offset === next.offset;
    const at = (minute: number) => (steady ? midnight + minute * 60_000 : instantOf(day, minute));
    const offsetOf = steady ? () => day.offset : offsetAt;
    for (const { schedule, clinic, horizon, idPrefix, deepLinkPrefix } of calendars) {
      if (index > horizon) continue;
      for (const range of schedule.hours) {
        if (!range.days.includes(day.weekday)) continue;
        const opening = minutesOf(range.from);
        const closing = minutesOf(range.to);
        for (
          let minute = opening;
          minute + schedule.slotMinutes <= closing;
          minute += schedule.slotMinutes
        ) {
          const startMs = at(minute);
          if (startMs === undefined || startMs < nowMs) continue;
          const endMs = startMs + schedule.slotMinutes * 60_000;
          const local = `${date}${pad(Math.floor(minute / 60))}${pad(minute % 60)}`;
          const slot = {
            id: `${idPrefix}${local}`,
            deepLink: `${deepLinkPrefix}${local}`,
            schedule,
            clinic,
            startMs,
            endMs,
            offsetOf,
          };
          week.lines.push(JSON.stringify(slotResource(slot, options.seed)));
          if (clinic) week.counties.add(clinic.address.county);
        }
      }
    }
    weeks.set(weekName, week);
  }

  const statesOf = (ids: Iterable<string>) =>
    [...new Set([...ids].flatMap((id) => clinicById.get(id)?.address.county ?? []))].sort();
  return [
    {
      name: 'locations.ndjson',
      type: 'Location',
      extension: { state: statesOf(clinics.map((c) => c.id)) },
      lines: clinics.map((clinic) => JSON.stringify(locationResource(clinic))),
    },
    {
      name: 'schedules.ndjson',
      type: 'Schedule',
      extension: { state: statesOf(schedules.map((s) => s.locationId)) },
      lines: schedules.map((schedule) =>
        JSON.stringify(scheduleResource(schedule, clinicById.get(schedule.locationId))),
      ),
    },
    ...[...weeks.entries()]
      .filter(([, week]) => week.lines.length > 0)
      .map(
        ([name, week]): SourceFile => ({
          name: `slots-${name}.ndjson`,
          type: 'Slot',
          extension: { state: [...week.counties].sort() },
          lines: week.lines,
        }),
      ),
  ];
}

/** One slot as published; `seed` decides whether other patients have already booked it. */
function slotResource(
  slot: {
    id: string;
    schedule: ScheduleSeed;
    clinic: ClinicSeed | undefined;
    startMs: number;
    endMs: number;
    /** The portal's booking page for this slot, e.g. `…/sverige/portal/boka?slot=<id>`. */
    deepLink: string;
    /** Stockholm's UTC offset in minutes at an instant. */
    offsetOf: (ms: number) => number;
  },
  seed: number,
): Record<string, unknown> {
  const { id, deepLink, schedule, clinic, startMs, endMs, offsetOf } = slot;
  const format = (ms: number) =>
    clinic?.utcTimes ? new Date(ms).toISOString() : formatWithOffset(ms, offsetOf(ms));
  const capacity = schedule.capacity ?? 1;
  const draw = hashString(`${seed}:${id}`) % 100;
  // Drop-in sessions fill up gradually; single appointments are either taken or not.
  const taken =
    capacity > 1 ? Math.floor((draw / 100) * capacity) : draw < prebookedPercent ? 1 : 0;
  const remaining = capacity - taken;
  const phoneUrl = clinic?.misspelledPhoneExtension
    ? extensionUrls.bookingPhone.replace('booking-phone', 'booking-hhone')
    : extensionUrls.bookingPhone;
  return {
    resourceType: 'Slot',
    id,
    schedule: { reference: `Schedule/${schedule.id}` },
    status: remaining > 0 ? 'free' : 'busy',
    start: format(startMs),
    end: format(endMs),
    extension: [
      { url: extensionUrls.bookingDeepLink, valueUrl: deepLink },
      ...(clinic ? [{ url: phoneUrl, valueString: clinic.phone }] : []),
      ...(remaining > 0 ? [{ url: extensionUrls.slotCapacity, valueInteger: remaining }] : []),
    ],
  };
}
