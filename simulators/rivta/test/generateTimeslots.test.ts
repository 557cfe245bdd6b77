import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { codeNames, generateTimeslots } from '../src/generateTimeslots.js';
import { parseTs, wallToInstant } from '../src/localTime.js';
import {
  defaultCareTypes,
  defaultTimeTypes,
  type FacilitySeed,
  type PerformerSeed,
} from '../src/seed.js';

const names = codeNames(defaultTimeTypes, defaultCareTypes);
const night: PerformerSeed = {
  hsaId: 'SE2321000016-N001',
  firstName: 'Nils',
  lastName: 'Natt',
  title: 'Leg. läkare',
  blocks: [
    {
      days: [7],
      from: '01:00',
      to: '04:00',
      timeTypeId: 'LAK20',
      careTypeId: 'ALLM',
      slotMinutes: 20,
    },
    {
      days: [5, 1],
      from: '08:00',
      to: '09:00',
      timeTypeId: 'LAK20',
      careTypeId: 'ALLM',
      slotMinutes: 20,
    },
  ],
};
const facility: FacilitySeed = {
  hsaId: 'SE2321000016-NATT',
  name: 'Natt',
  bookingHorizonDays: 28,
  performers: [night],
};
const day = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Stockholm' }).startOf('day');
const utc = (ms: number) => new Date(ms).toISOString();

describe('generateTimeslots', () => {
  it('keeps wall times across the autumn change: 08:00 on Friday 23 and Monday 26 October', () => {
    const friday = generateTimeslots(facility, night, day('2026-10-23'), names);
    const monday = generateTimeslots(facility, night, day('2026-10-26'), names);
    expect(friday[0]).toMatchObject({ start: '20261023080000', end: '20261023082000' });
    expect(monday[0]).toMatchObject({ start: '20261026080000', end: '20261026082000' });
    expect(utc(friday[0]!.startMs)).toBe('2026-10-23T06:00:00.000Z');
    expect(utc(monday[0]!.startMs)).toBe('2026-10-26T07:00:00.000Z');
  });

  it('books each wall time of the repeated hour once, at its earlier (summer time) occurrence', () => {
    const slots = generateTimeslots(facility, night, day('2026-10-25'), names);
    expect(slots.map((s) => s.start.slice(8, 12))).toEqual([
      '0100',
      '0120',
      '0140',
      '0200',
      '0220',
      '0240',
      '0300',
      '0320',
      '0340',
    ]);
    const at = (hhmm: string) => slots.find((s) => s.start.slice(8, 12) === hhmm)!;
    expect(utc(at('0200').startMs)).toBe('2026-10-25T00:00:00.000Z');
    // 02:40 summer time to 03:00 winter time: an hour and twenty minutes by the clock on the wall.
    expect(at('0240')).toMatchObject({ end: '20261025030000' });
    expect(utc(at('0240').startMs)).toBe('2026-10-25T00:40:00.000Z');
    expect(utc(at('0240').endMs)).toBe('2026-10-25T02:00:00.000Z');
    expect(utc(at('0300').startMs)).toBe('2026-10-25T02:00:00.000Z');
  });

  it('has no timeslot in the hour skipped in spring, and a slot ending in it lasts its length', () => {
    const slots = generateTimeslots(facility, night, day('2026-03-29'), names);
    expect(slots.map((s) => s.start.slice(8, 12))).toEqual([
      '0100',
      '0120',
      '0140',
      '0300',
      '0320',
      '0340',
    ]);
    const last = slots.find((s) => s.start.endsWith('014000'))!;
    expect(last.end).toBe('20260329020000');
    expect(utc(last.startMs)).toBe('2026-03-29T00:40:00.000Z');
    expect(last.endMs - last.startMs).toBe(20 * 60_000);
    expect(utc(slots.find((s) => s.start.endsWith('030000'))!.startMs)).toBe(
      '2026-03-29T01:00:00.000Z',
    );
  });

  it('writes a block ending at midnight with the next day in its last end', () => {
    const late: PerformerSeed = {
      ...night,
      blocks: [
        {
          days: [1],
          from: '23:20',
          to: '24:00',
          timeTypeId: 'LAK20',
          careTypeId: 'ALLM',
          slotMinutes: 20,
        },
      ],
    };
    const slots = generateTimeslots(facility, late, day('2026-10-26'), names);
    expect(slots.map((s) => [s.start, s.end])).toEqual([
      ['20261026232000', '20261026234000'],
      ['20261026234000', '20261027000000'],
    ]);
  });
});

describe('local time', () => {
  it('reads a TS as Stockholm wall time, the earlier occurrence in the repeated hour, none in the gap', () => {
    expect(parseTs('20261025023000')?.toUTC().toISO()).toBe('2026-10-25T00:30:00.000Z');
    expect(parseTs('20260329023000')).toBeUndefined();
    expect(parseTs('20260115090000')?.toUTC().toISO()).toBe('2026-01-15T08:00:00.000Z');
    expect(
      wallToInstant({ year: 2026, month: 7, day: 1, hour: 9, minute: 0 })?.toUTC().toISO(),
    ).toBe('2026-07-01T07:00:00.000Z');
  });
});
