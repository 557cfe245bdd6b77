import { DateTime } from 'luxon';
import type { CodeNames, Timeslot } from './generateTimeslots.js';
import { swedishZone, wallToInstant } from './localTime.js';
import type { FacilitySeed, PerformerSeed } from './seed.js';

/** Extra times are put inside the clinic's day, as staff would add them. */
const dayOpensMinute = 7 * 60;
const dayClosesMinute = 19 * 60;
/** Extra times start on the five minutes, like every time in the seed's schedules. */
const stepMinutes = 5;

const pad = (n: number) => String(n).padStart(2, '0');

export interface ExtraTimeslotSearch {
  facility: FacilitySeed;
  /** The first instant the new time may start at (the request's `start`, or later). */
  fromMs: number;
  /** Local midnight of the last day of the facility's open book. */
  lastDay: DateTime;
  /** The performer's timeslots of a local day, those the clinic opened before included. */
  slotsOf(performer: PerformerSeed, day: DateTime): readonly Timeslot[];
  names: CodeNames;
}

/**
 * The first extra time ("extratid") the clinic can open at or after `fromMs`: for the facility's
 * performers in turn, a time of the length and type of their first schedule block that overlaps
 * none of their own timeslots, between 07:00 and 19:00 Stockholm wall time, within the open book.
 * Undefined when the book has no room left. Wall times that do not exist (the skipped spring
 * hour) are passed over; the book's day is the local one, as the schedules are.
 */
export function findExtraTimeslot(search: ExtraTimeslotSearch): Timeslot | undefined {
  const { facility, fromMs, lastDay, slotsOf, names } = search;
  const first = DateTime.fromMillis(fromMs, { zone: swedishZone }).startOf('day');
  for (let day = first; day <= lastDay; day = day.plus({ days: 1 })) {
    for (let minute = dayOpensMinute; minute < dayClosesMinute; minute += stepMinutes) {
      const wall = { year: day.year, month: day.month, day: day.day };
      const start = wallToInstant({ ...wall, hour: Math.floor(minute / 60), minute: minute % 60 });
      if (start === undefined || start.toMillis() < fromMs) continue;
      for (const performer of facility.performers) {
        const block = performer.blocks[0];
        if (!block || minute + block.slotMinutes > dayClosesMinute) continue;
        const startMs = start.toMillis();
        const endMs = startMs + block.slotMinutes * 60_000;
        const clash = slotsOf(performer, day).some((s) => s.startMs < endMs && startMs < s.endMs);
        if (clash) continue;
        const endMinute = minute + block.slotMinutes;
        const text = (m: number) =>
          `${day.toFormat('yyyyMMdd')}${pad(Math.floor(m / 60))}${pad(m % 60)}00`;
        return {
          key: `${facility.hsaId}|${performer.hsaId}|${text(minute)}`,
          facilityHsaId: facility.hsaId,
          facilityName: facility.name,
          performerHsaId: performer.hsaId,
          performerName: `${performer.firstName} ${performer.lastName}`,
          start: text(minute),
          end: text(endMinute),
          startMs,
          endMs,
          timeTypeId: block.timeTypeId,
          timeTypeName: names.timeTypes.get(block.timeTypeId) ?? block.timeTypeId,
          careTypeId: block.careTypeId,
          careTypeName: names.careTypes.get(block.careTypeId) ?? block.careTypeId,
          openedAtClinic: true,
        };
      }
    }
  }
  return undefined;
}
