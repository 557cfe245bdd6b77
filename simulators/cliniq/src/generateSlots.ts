import type { DateTime } from 'luxon';
import { formatLocal } from './localTime.js';
import type { OpeningHours, TenantSeed } from './seed.js';

/** A bookable time of one practitioner, as generated from opening hours. */
export interface Slot {
  id: string;
  clinicId: string;
  practitionerId: string;
  practitionerName: string;
  serviceCodes: readonly string[];
  /** Local wall time as Cliniq writes it, e.g. `2026-03-29T09:30:00`. */
  start: string;
  end: string;
  /** The same moments as instants, for comparing with the clock. */
  startMs: number;
  endMs: number;
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
  /** The clinic's booking horizon: slots exist for the local days today..today+N. */
  horizonDays: number;
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
      horizonDays: clinic.bookingHorizonDays,
    })),
  );
}

function minutesOf(hhmm: string): number {
  const [hours = 0, minutes = 0] = hhmm.split(':').map(Number);
  return hours * 60 + minutes;
}

function clockText(minuteOfDay: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(minuteOfDay / 60))}:${pad(minuteOfDay % 60)}`;
}

/**
 * The instant of a wall-clock minute of `day`, or `undefined` when that wall time does not exist
 * (the hour skipped when DST starts). Set as wall-clock parts so DST is honoured.
 */
function instantOf(day: DateTime, minuteOfDay: number): number | undefined {
  const hour = Math.floor((minuteOfDay % 1440) / 60);
  const minute = minuteOfDay % 60;
  const value = day.plus({ days: Math.floor(minuteOfDay / 1440) }).set({ hour, minute });
  return value.hour === hour && value.minute === minute ? value.toMillis() : undefined;
}

/** The slots of one practitioner on one local calendar day (`day` is local midnight). */
export function generateDaySlots(practitioner: Practitioner, day: DateTime): Slot[] {
  const slots: Slot[] = [];
  const length = practitioner.slotMinutes;
  const date = day.toFormat('yyyy-MM-dd');
  // Cliniq's stable slot id: clinic, practitioner and the local start time's digits.
  const idPrefix = `SL-${practitioner.clinicId}-${practitioner.id}-${date.replaceAll('-', '')}`;
  for (const range of practitioner.hours) {
    if (!range.days.includes(day.weekday)) continue;
    const opening = minutesOf(range.from);
    const closing = minutesOf(range.to);
    // Opening hours are wall time: 08:00 stays 08:00 on a DST day. Resolving the zone per slot is
    // slow, so it is done once per range unless the range itself spans a switch.
    const openAt = instantOf(day, opening);
    const closeAt = instantOf(day, closing);
    const steady =
      openAt !== undefined &&
      closeAt !== undefined &&
      closeAt - openAt === (closing - opening) * 60_000;
    const at = (minute: number) =>
      steady ? openAt + (minute - opening) * 60_000 : instantOf(day, minute);
    for (let minute = opening; minute + length <= closing; minute += length) {
      const startMs = at(minute);
      if (startMs === undefined) continue;
      const endMs = startMs + length * 60_000;
      const startText = clockText(minute);
      slots.push({
        id: `${idPrefix}${startText.replace(':', '')}`,
        clinicId: practitioner.clinicId,
        practitionerId: practitioner.id,
        practitionerName: practitioner.name,
        serviceCodes: practitioner.serviceCodes,
        start: `${date}T${startText}:00`,
        end: steady ? `${date}T${clockText(minute + length)}:00` : formatLocal(new Date(endMs)),
        startMs,
        endMs,
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
  /** Generates one practitioner's day; lets a caller cache. Default: `generateDaySlots`. */
  daySlots: (practitioner: Practitioner, day: DateTime) => readonly Slot[] = generateDaySlots,
): Slot[] {
  const slots: Slot[] = [];
  const last = lastDay.toMillis();
  for (let day = firstDay.startOf('day'); day.toMillis() <= last; day = day.plus({ days: 1 })) {
    for (const practitioner of practitioners) slots.push(...daySlots(practitioner, day));
  }
  return slots.sort((a, b) => a.startMs - b.startMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
