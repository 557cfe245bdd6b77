import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { generateDaySlots, type Practitioner, slotMinutesFor } from '../src/generateSlots.js';
import { cliniqZone, parseLocal } from '../src/localTime.js';
import { cliniqServices } from '../src/seed.js';
import { createCliniqSimulator } from '../src/server.js';

const everyDay: Practitioner = {
  id: 'PR1',
  clinicId: 'CL1',
  name: 'Test Testsson',
  title: 'Leg. läkare',
  serviceCodes: ['ALLM20'],
  slotMinutes: 20,
  hours: [{ days: [1, 2, 3, 4, 5, 6, 7], from: '08:00', to: '09:00' }],
  horizonDays: 28,
};

function day(iso: string) {
  return DateTime.fromISO(iso, { zone: cliniqZone }).startOf('day');
}

describe('generateDaySlots', () => {
  it.each([
    ['2026-03-28', '2026-03-28T07:00:00.000Z'],
    ['2026-03-29', '2026-03-29T06:00:00.000Z'],
    ['2026-10-25', '2026-10-25T07:00:00.000Z'],
  ])('opens at 08:00 wall time on %s, whatever the offset', (date, firstUtc) => {
    const slots = generateDaySlots(everyDay, day(date));
    expect(slots.map((s) => s.start.slice(11))).toEqual(['08:00:00', '08:20:00', '08:40:00']);
    expect(new Date(slots[0]?.startMs ?? 0).toISOString()).toBe(firstUtc);
    expect(slots[0]?.id).toBe(`SL-CL1-PR1-${date.replaceAll('-', '')}0800`);
  });

  it('generates nothing on a day outside the opening hours', () => {
    const weekdaysOnly = {
      ...everyDay,
      hours: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '12:00' }],
    };
    expect(generateDaySlots(weekdaysOnly, day('2026-03-29'))).toEqual([]);
  });

  it('does not start a slot that would run past closing time', () => {
    const physio = {
      ...everyDay,
      slotMinutes: 45,
      hours: [{ days: [1], from: '08:00', to: '10:00' }],
    };
    const ends = generateDaySlots(physio, day('2026-03-30')).map((s) => s.end.slice(11));
    expect(ends).toEqual(['08:45:00', '09:30:00']);
  });
});

describe('slotMinutesFor', () => {
  it.each([
    [['VACC10'], 15],
    [['SSK15', 'VACC10'], 15],
    [['ALLM20', 'VACC10'], 20],
    [['SSK15', 'BVC30'], 30],
    [['FYS45'], 45],
  ])('gives %j a %i-minute slot', (codes, minutes) => {
    expect(slotMinutesFor(codes, cliniqServices)).toBe(minutes);
  });
});

describe('parseLocal', () => {
  it('reads offset-less local times and refuses offsets', () => {
    expect(parseLocal('2026-03-29T09:30:00')?.toUTC().toISO()).toBe('2026-03-29T07:30:00.000Z');
    expect(parseLocal('2026-03-29T09:30:00Z')).toBeUndefined();
    expect(parseLocal('2026-03-29T09:30:00+02:00')).toBeUndefined();
    expect(parseLocal('2026-03-29')).toBeUndefined();
  });
});

describe('seeded bookings', () => {
  const query = (from: string, to: string) => ({
    from: parseLocal(from)!,
    to: parseLocal(to)!,
    clinicIds: [],
  });
  /** Other patients' bookings once the given local ranges were listed, in that order. */
  const seeded = (seed: number, ranges: [string, string][]) => {
    const sim = createCliniqSimulator({ seed, clock: () => new Date('2026-03-25T08:00:00Z') });
    const store = sim.state.tenants.get('nordklinik')!;
    for (const [from, to] of ranges) store.listSlots(query(from, to));
    return [...store.bookings.values()].map((b) => b.slot.id).sort();
  };
  const week: [string, string] = ['2026-03-25T00:00:00', '2026-04-01T00:00:00'];
  const firstHalf: [string, string] = ['2026-03-25T00:00:00', '2026-03-28T00:00:00'];
  const secondHalf: [string, string] = ['2026-03-28T00:00:00', '2026-04-01T00:00:00'];

  it('are the same for the same seed and clock, and differ for another seed', () => {
    const first = seeded(1, [week]);
    expect(first.length).toBeGreaterThan(10);
    expect(seeded(1, [week])).toEqual(first);
    expect(seeded(2, [week])).not.toEqual(first);
  });

  it('appear with their day, whatever order the days are first asked for in', () => {
    expect(seeded(1, [])).toEqual([]);
    expect(seeded(1, [secondHalf, firstHalf])).toEqual(seeded(1, [week]));
  });
});

describe('a range across the DST switch', () => {
  it('skips the spring wall times that do not exist and keeps the real instants of the rest', () => {
    const night = {
      ...everyDay,
      slotMinutes: 30,
      hours: [{ days: [7], from: '01:00', to: '04:00' }],
    };
    const slots = generateDaySlots(night, day('2026-03-29'));
    expect(slots.map((s) => s.start.slice(11, 16))).toEqual(['01:00', '01:30', '03:00', '03:30']);
    expect(slots.map((s) => new Date(s.startMs).toISOString().slice(11, 16))).toEqual([
      '00:00',
      '00:30',
      '01:00',
      '01:30',
    ]);
    // 01:30 CET plus 30 minutes is 03:00 CEST.
    expect(slots[1]?.end).toBe('2026-03-29T03:00:00');
  });
});
