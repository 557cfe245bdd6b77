import type { DateTime } from 'luxon';
import { wallToInstant } from './localTime.js';
import type { CodeSeed, FacilitySeed, PerformerSeed } from './seed.js';

/** One bookable time of one performer, as the producer's book holds it. */
export interface Timeslot {
  /** `facility|performer|start`: what makes a timeslot unique in a care unit's book. */
  key: string;
  facilityHsaId: string;
  facilityName: string;
  performerHsaId: string;
  performerName: string;
  /** Local wall time as RIV-TA writes it (`TS`), e.g. `20261025083000`. */
  start: string;
  end: string;
  /** The same moments as instants (epoch ms), for comparing with the clock. */
  startMs: number;
  endMs: number;
  timeTypeId: string;
  timeTypeName: string;
  careTypeId: string;
  careTypeName: string;
  /** Opened by the clinic after start-up (an extra time): never booked by others before it. */
  openedAtClinic?: true;
}

/** Code lists by id, for the names a timeslot carries. */
export interface CodeNames {
  timeTypes: ReadonlyMap<string, string>;
  careTypes: ReadonlyMap<string, string>;
}

export function codeNames(timeTypes: readonly CodeSeed[], careTypes: readonly CodeSeed[]) {
  return {
    timeTypes: new Map(timeTypes.map((code) => [code.id, code.name])),
    careTypes: new Map(careTypes.map((code) => [code.id, code.name])),
  };
}

function minutesOf(hhmm: string): number {
  const [hours = 0, minutes = 0] = hhmm.split(':').map(Number);
  return hours * 60 + minutes;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The timeslots of one performer on one local calendar day (`day` is local midnight). Schedules
 * are kept in wall time, as clinics keep them: 08:00 stays 08:00 on both sides of a DST change.
 * A wall time that does not exist (the skipped spring hour) gets no timeslot; one in the repeated
 * autumn hour exists once, at its earlier occurrence.
 */
export function generateTimeslots(
  facility: FacilitySeed,
  performer: PerformerSeed,
  day: DateTime,
  names: CodeNames,
): Timeslot[] {
  const slots: Timeslot[] = [];
  const wallText = (minuteOfDay: number) => {
    const next = day.plus({ days: Math.floor(minuteOfDay / 1440) });
    const minute = minuteOfDay % 1440;
    return `${next.toFormat('yyyyMMdd')}${pad(Math.floor(minute / 60))}${pad(minute % 60)}00`;
  };
  const instantAt = (minuteOfDay: number) => {
    const next = day.plus({ days: Math.floor(minuteOfDay / 1440) });
    const minute = minuteOfDay % 1440;
    return wallToInstant({
      year: next.year,
      month: next.month,
      day: next.day,
      hour: Math.floor(minute / 60),
      minute: minute % 60,
    });
  };
  for (const block of performer.blocks) {
    if (!block.days.includes(day.weekday)) continue;
    const closing = minutesOf(block.to);
    for (
      let minute = minutesOf(block.from);
      minute + block.slotMinutes <= closing;
      minute += block.slotMinutes
    ) {
      const start = instantAt(minute);
      if (start === undefined) continue;
      const startMs = start.toMillis();
      // An end in the skipped hour does not exist on the wall; the slot still lasts its length.
      const endMs =
        instantAt(minute + block.slotMinutes)?.toMillis() ?? startMs + block.slotMinutes * 60_000;
      const startText = wallText(minute);
      slots.push({
        key: `${facility.hsaId}|${performer.hsaId}|${startText}`,
        facilityHsaId: facility.hsaId,
        facilityName: facility.name,
        performerHsaId: performer.hsaId,
        performerName: `${performer.firstName} ${performer.lastName}`,
        start: startText,
        end: wallText(minute + block.slotMinutes),
        startMs,
        endMs,
        timeTypeId: block.timeTypeId,
        timeTypeName: names.timeTypes.get(block.timeTypeId) ?? block.timeTypeId,
        careTypeId: block.careTypeId,
        careTypeName: names.careTypes.get(block.careTypeId) ?? block.careTypeId,
      });
    }
  }
  return slots.sort((a, b) => a.startMs - b.startMs || (a.key < b.key ? -1 : 1));
}
