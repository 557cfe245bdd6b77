import { DateTime } from 'luxon';
import type { Practitioner, Slot } from './generateSlots.js';
import { cliniqZone, formatLocal, parseLocal } from './localTime.js';

/** Openings are placed on a five-minute grid, as Cliniq's calendar offers them to staff. */
const stepMs = 5 * 60_000;

export interface OpeningSearch {
  /** The clinic's practitioners, the preferred first. */
  practitioners: readonly Practitioner[];
  /** The earliest start, epoch ms. */
  fromMs: number;
  /** When a practitioner's open book ends (exclusive), epoch ms: nothing is opened after it. */
  bookEndMs: (practitioner: Practitioner) => number;
  /** A practitioner's times on a local day (midnight), free or not. */
  slotsOn: (practitioner: Practitioner, day: DateTime) => readonly Slot[];
}

/**
 * Where a clinic can open a new time at or after `fromMs`: the first moment on the grid at which
 * one of its practitioners has a whole slot length with no time yet (before opening hours, over
 * lunch, after closing), starting and ending on the same local day, on a wall time that exists
 * once (not in the skipped or the repeated DST hour). `undefined` when the open book has no room.
 */
export function findOpening(search: OpeningSearch): Slot | undefined {
  const lastMs = Math.max(...search.practitioners.map(search.bookEndMs));
  for (let at = Math.ceil(search.fromMs / stepMs) * stepMs; at < lastMs; at += stepMs) {
    const local = DateTime.fromMillis(at, { zone: cliniqZone });
    const startText = formatLocal(local);
    // A wall time that reads back as another instant is in the repeated autumn hour.
    if (parseLocal(startText)?.toMillis() !== at) continue;
    const day = local.startOf('day');
    for (const practitioner of search.practitioners) {
      const endMs = at + practitioner.slotMinutes * 60_000;
      if (endMs > search.bookEndMs(practitioner)) continue;
      const end = DateTime.fromMillis(endMs, { zone: cliniqZone });
      if (!end.startOf('day').equals(day) && !end.equals(day.plus({ days: 1 }))) continue;
      const taken = search
        .slotsOn(practitioner, day)
        .some((slot) => slot.startMs < endMs && at < slot.endMs);
      if (taken) continue;
      return {
        id: `SL-${practitioner.clinicId}-${practitioner.id}-${local.toFormat('yyyyMMddHHmm')}`,
        clinicId: practitioner.clinicId,
        practitionerId: practitioner.id,
        practitionerName: practitioner.name,
        serviceCodes: practitioner.serviceCodes,
        start: startText,
        end: formatLocal(end),
        startMs: at,
        endMs,
      };
    }
  }
  return undefined;
}
