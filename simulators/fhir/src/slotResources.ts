import type { Appointment, Resource, Slot } from '@medplum/fhirtypes';
import { DateTime } from 'luxon';
import {
  practitionerName,
  practitionerRoleId,
  scheduleId,
  serviceTypeConcept,
} from './directoryResources.js';
import {
  type LocationSeed,
  type OrganizationSeed,
  otherPatients,
  type PractitionerSeed,
} from './seed.js';

export interface SlotResourceOptions {
  /** Mixed into every slot's fate, so another seed books other slots. */
  seed: number;
  /** Stamped as `Appointment.created` on the seeded bookings. */
  now: Date;
}

/** Share of slots other clients had booked before the simulator started. */
const bookedShare = 0.1;
/** Share of slots the clinic blocked (`busy-unavailable`: meetings, training). */
const blockedShare = 0.03;

/** A number in [0, 1) that depends only on `seed` and `key` (FNV-1a, then a murmur3 finaliser). */
export function fate(seed: number, key: string): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 4294967296;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant as the organisation writes it: local time with its offset, or UTC. */
function instant(
  ms: number,
  offsetMinutes: number,
  style: OrganizationSeed['instantStyle'],
): string {
  if (style === 'utc') return `${new Date(ms).toISOString().slice(0, 19)}Z`;
  const wall = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${wall}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** `slot-<practitioner key>-<local yyyyMMddHHmm>`: the id names the slot's practitioner and local day. */
const slotIdPattern = /^slot-(.+)-(\d{4})(\d\d)(\d\d)\d{4}$/;

/**
 * The practitioner key and local day (`yyyy-MM-dd`) a seeded slot's id names, or undefined for an
 * id the seed never makes: what a request for a slot not loaded yet needs loaded.
 */
export function slotIdDay(id: string): { practitionerKey: string; day: string } | undefined {
  const match = slotIdPattern.exec(id);
  if (!match) return undefined;
  const [, practitionerKey = '', year, month, date] = match;
  return { practitionerKey, day: `${year}-${month}-${date}` };
}

/** The id of the seeded Appointment that books a slot: `appt-` in place of `slot-`. */
const seededAppointmentId = (slotId: string) => `appt-${slotId.slice('slot-'.length)}`;

/** The slot a seeded Appointment's id names, or undefined for any other Appointment's id. */
export function seededAppointmentSlotId(appointmentId: string): string | undefined {
  return appointmentId.startsWith('appt-')
    ? `slot-${appointmentId.slice('appt-'.length)}`
    : undefined;
}

/** Local digits `yyyyMMddHHmm` of an instant, for stable ids. */
function localDigits(ms: number, offsetMinutes: number): string {
  return new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 16).replace(/[-T:]/g, '');
}

function atLocal(day: DateTime, hhmm: string): DateTime {
  const [hour, minute] = hhmm.split(':').map(Number);
  return day.set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 });
}

function practitionerDaySlots(
  organization: OrganizationSeed,
  locationId: string,
  practitioner: PractitionerSeed,
  day: DateTime,
  options: SlotResourceOptions,
): Resource[] {
  const resources: Resource[] = [];
  const serviceType = practitioner.serviceTypes.map(serviceTypeConcept);
  for (const hours of practitioner.hours) {
    if (!hours.days.includes(day.weekday)) continue;
    // Wall-clock opening hours: 08:00 stays 08:00 on both sides of a DST change.
    const opens = atLocal(day, hours.from);
    const closesAt = atLocal(day, hours.to);
    const closes = closesAt.toMillis();
    const lengthMs = practitioner.slotMinutes * 60_000;
    // Offsets change at night, not within opening hours; luxon is asked per slot only if they do.
    const steady = opens.offset === closesAt.offset;
    const offsetAt = (ms: number) =>
      steady ? opens.offset : DateTime.fromMillis(ms, { zone: day.zone }).offset;
    for (let startMs = opens.toMillis(); startMs + lengthMs <= closes; startMs += lengthMs) {
      const offset = offsetAt(startMs);
      const id = `slot-${practitioner.key}-${localDigits(startMs, offset)}`;
      const draw = fate(options.seed, id);
      const status: Slot['status'] =
        draw < bookedShare
          ? 'busy'
          : draw < bookedShare + blockedShare
            ? 'busy-unavailable'
            : 'free';
      const slot: Slot = {
        resourceType: 'Slot',
        id,
        serviceType,
        schedule: { reference: `Schedule/${scheduleId(practitioner)}` },
        status,
        start: instant(startMs, offset, organization.instantStyle),
        end: instant(startMs + lengthMs, offsetAt(startMs + lengthMs), organization.instantStyle),
        ...(status === 'busy-unavailable' && { comment: 'Blockerad tid' }),
      };
      resources.push(slot);
      if (status !== 'busy') continue;
      const patient =
        otherPatients[Math.floor(fate(options.seed, `patient-${id}`) * otherPatients.length)];
      const booking: Appointment = {
        resourceType: 'Appointment',
        id: seededAppointmentId(id),
        identifier: [{ system: `urn:booking-web:${organization.id}`, value: id }],
        status: 'booked',
        serviceType,
        slot: [{ reference: `Slot/${id}` }],
        start: slot.start,
        end: slot.end,
        created: options.now.toISOString(),
        participant: [
          { actor: { reference: `Patient/${patient?.id ?? 'pat-seed-1'}` }, status: 'accepted' },
          {
            actor: {
              reference: `PractitionerRole/${practitionerRoleId(practitioner)}`,
              display: practitionerName(practitioner),
            },
            status: 'accepted',
          },
          { actor: { reference: `Location/${locationId}` }, status: 'accepted' },
        ],
      };
      resources.push(booking);
    }
  }
  return resources;
}

/**
 * The slots of one location's practitioners on one local day (`day`, a local midnight in the
 * organisation's zone), from their weekly working hours. About one in ten is already `busy` with
 * another client's Appointment, a few are `busy-unavailable`; which ones depends only on the seed
 * and the slot, so a day made later, or made again after a reset, has the same slots.
 */
export function locationDaySlots(
  organization: OrganizationSeed,
  location: LocationSeed,
  day: DateTime,
  options: SlotResourceOptions,
): Resource[] {
  return location.practitioners.flatMap((practitioner) =>
    practitionerDaySlots(organization, location.id, practitioner, day, options),
  );
}

/**
 * The slots of every location for the local days `firstDay`..`lastDay` (inclusive, in each
 * organisation's zone): `locationDaySlots` of each day, for fixtures that want a whole range.
 */
export function slotResources(
  organizations: readonly OrganizationSeed[],
  firstDay: string,
  lastDay: string,
  options: SlotResourceOptions,
): Resource[] {
  const resources: Resource[] = [];
  for (const organization of organizations) {
    const zone = organization.timeZone;
    const last = DateTime.fromISO(lastDay, { zone });
    for (let day = DateTime.fromISO(firstDay, { zone }); day <= last; day = day.plus({ days: 1 })) {
      for (const location of organization.locations) {
        resources.push(...locationDaySlots(organization, location, day, options));
      }
    }
  }
  return resources;
}
