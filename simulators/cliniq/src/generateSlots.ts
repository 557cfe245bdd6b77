import type { DateTime } from 'luxon';
import type { OpeningHours, TenantSeed } from './seed.js';

/** A bookable time of one practitioner, as generated from opening hours. */
export interface Slot {
  id: string;
  clinicId: string;
  practitionerId: string;
  practitionerName: string;
  serviceCodes: readonly string[];
  start: DateTime;
  end: DateTime;
}

/** A practitioner with the clinic and the slot length resolved, ready for slot generation. */
export interface Practitioner {
  id: string;
  clinicId: string;
  name: string;
  title: string;
  serviceCodes: readonly string[];
  slotMinutes: number;
  hours: readonly OpeningHours[];
}

/** Cliniq only knows these slot lengths; anything else is rounded up to the next one. */
const slotGrid = [15, 20, 30, 45] as const;

/** The slot length that fits the longest of the services, rounded up to Cliniq's grid. */
export function slotMinutesFor(
  serviceCodes: readonly string[],
  services: TenantSeed['services'],
): number {
  const longest = Math.max(
    0,
    ...serviceCodes.map((code) => services.find((s) => s.code === code)?.durationMinutes ?? 0),
  );
  return slotGrid.find((minutes) => minutes >= longest) ?? Math.ceil(longest / 15) * 15;
}

/** Flattens a tenant's clinics into practitioners with their hours and slot length resolved. */
export function practitionersOf(tenant: TenantSeed): Practitioner[] {
  return tenant.clinics.flatMap((clinic) =>
    clinic.practitioners.map((p) => ({
      id: p.id,
      clinicId: clinic.id,
      name: p.name,
      title: p.title,
      serviceCodes: p.serviceCodes,
      slotMinutes: slotMinutesFor(p.serviceCodes, tenant.services),
      hours: p.hours ?? clinic.openingHours,
    })),
  );
}

/** Cliniq's stable slot id: clinic, practitioner and the local start time's digits. */
export function slotIdOf(clinicId: string, practitionerId: string, start: DateTime): string {
  return `SL-${clinicId}-${practitionerId}-${start.toFormat('yyyyMMddHHmm')}`;
}

function minutesOf(hhmm: string): number {
  const [hours = 0, minutes = 0] = hhmm.split(':').map(Number);
  return hours * 60 + minutes;
}

/** The slots of one practitioner on one local calendar day (`day` is local midnight). */
export function generateDaySlots(practitioner: Practitioner, day: DateTime): Slot[] {
  const slots: Slot[] = [];
  const length = practitioner.slotMinutes;
  for (const range of practitioner.hours) {
    if (!range.days.includes(day.weekday)) continue;
    const closing = minutesOf(range.to);
    for (let minute = minutesOf(range.from); minute + length <= closing; minute += length) {
      // Set as wall-clock parts rather than added to midnight, so on a DST day 08:00 stays 08:00.
      const start = day.set({ hour: Math.floor(minute / 60), minute: minute % 60 });
      slots.push({
        id: slotIdOf(practitioner.clinicId, practitioner.id, start),
        clinicId: practitioner.clinicId,
        practitionerId: practitioner.id,
        practitionerName: practitioner.name,
        serviceCodes: practitioner.serviceCodes,
        start,
        end: start.plus({ minutes: length }),
      });
    }
  }
  return slots;
}

/** All slots of the practitioners on the local days `firstDay`..`lastDay` (inclusive), by start then id. */
export function generateSlots(
  practitioners: readonly Practitioner[],
  firstDay: DateTime,
  lastDay: DateTime,
): Slot[] {
  const slots: Slot[] = [];
  for (let day = firstDay.startOf('day'); day <= lastDay; day = day.plus({ days: 1 })) {
    for (const practitioner of practitioners) slots.push(...generateDaySlots(practitioner, day));
  }
  return slots.sort(
    (a, b) => a.start.toMillis() - b.start.toMillis() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
