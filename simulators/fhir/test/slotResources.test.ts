import type { Appointment, Slot } from '@medplum/fhirtypes';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { defaultOrganizations } from '../src/seed.js';
import { fate, slotResources } from '../src/slotResources.js';

const now = new Date('2026-03-25T08:00:00Z');
const [halsanord, sydvarden] = defaultOrganizations;

function slotsOf(key: string, firstDay: string, lastDay: string, seed = 1): Slot[] {
  const organization = [halsanord!, sydvarden!].find((o) =>
    o.locations.some((l) => l.practitioners.some((p) => p.key === key)),
  )!;
  return slotResources([organization], firstDay, lastDay, { seed, now }).filter(
    (r): r is Slot => r.resourceType === 'Slot' && r.id?.startsWith(`slot-${key}-`) === true,
  );
}

const localFirst = (slots: Slot[], day: string) =>
  slots
    .map((s) => DateTime.fromISO(s.start, { zone: 'Europe/Stockholm' }))
    .filter((t) => t.toISODate() === day)
    .map((t) => t.toFormat('HH:mm'))
    .sort()[0];

describe('slotResources', () => {
  it('keeps 08:00 wall-clock opening across the spring change (29 March), with the offset of the day', () => {
    const slots = slotsOf('lindqvist', '2026-03-27', '2026-03-30');
    expect(localFirst(slots, '2026-03-27')).toBe('08:00');
    expect(localFirst(slots, '2026-03-30')).toBe('08:00');
    expect(slots.find((s) => s.id === 'slot-lindqvist-202603270800')?.start).toBe(
      '2026-03-27T08:00:00+01:00',
    );
    expect(slots.find((s) => s.id === 'slot-lindqvist-202603300800')?.start).toBe(
      '2026-03-30T08:00:00+02:00',
    );
  });

  it('keeps 08:00 wall-clock opening across the autumn change (25 October)', () => {
    const slots = slotsOf('lindqvist', '2026-10-23', '2026-10-26');
    expect(slots.find((s) => s.id === 'slot-lindqvist-202610230800')?.start).toBe(
      '2026-10-23T08:00:00+02:00',
    );
    expect(slots.find((s) => s.id === 'slot-lindqvist-202610260800')?.start).toBe(
      '2026-10-26T08:00:00+01:00',
    );
  });

  it('writes UTC instants for an organisation that does, at the same wall-clock times', () => {
    const slots = slotsOf('persson', '2026-10-23', '2026-10-26');
    expect(slots.find((s) => s.id === 'slot-persson-202610230800')?.start).toBe(
      '2026-10-23T06:00:00Z',
    );
    expect(slots.find((s) => s.id === 'slot-persson-202610260800')?.start).toBe(
      '2026-10-26T07:00:00Z',
    );
  });

  it('follows each practitioner’s weekly hours: weekdays only, Saturdays where open, part-time days', () => {
    // 24–25 October 2026 are Saturday and Sunday.
    expect(slotsOf('lindqvist', '2026-10-24', '2026-10-25')).toEqual([]);
    expect(localFirst(slotsOf('sandberg', '2026-10-24', '2026-10-24'), '2026-10-24')).toBe('10:00');
    const nyberg = slotsOf('nyberg', '2026-10-19', '2026-10-23');
    const days = new Set(
      nyberg.map((s) => DateTime.fromISO(s.start).setZone('Europe/Stockholm').weekday),
    );
    expect([...days].sort()).toEqual([2, 4]);
  });

  it('fits whole slots into each range: 45-minute slots end by 12:00 and 17:00', () => {
    const slots = slotsOf('ekstrom', '2026-10-20', '2026-10-20');
    const ends = slots.map((s) =>
      DateTime.fromISO(s.end).setZone('Europe/Stockholm').toFormat('HH:mm'),
    );
    expect(ends).toContain('11:45');
    expect(ends).not.toContain('12:30');
    expect(slots).toHaveLength(10);
  });

  it('makes some slots busy, with another client’s Appointment, and some busy-unavailable, the same for the same seed', () => {
    const all = slotResources(defaultOrganizations, '2026-10-19', '2026-11-08', { seed: 1, now });
    const slots = all.filter((r): r is Slot => r.resourceType === 'Slot');
    const appointments = all.filter((r): r is Appointment => r.resourceType === 'Appointment');
    const busy = slots.filter((s) => s.status === 'busy');
    expect(busy.length).toBeGreaterThan(slots.length * 0.05);
    expect(slots.some((s) => s.status === 'busy-unavailable')).toBe(true);
    expect(appointments.map((a) => a.slot?.[0]?.reference).sort()).toEqual(
      busy.map((s) => `Slot/${s.id}`).sort(),
    );
    const again = slotResources(defaultOrganizations, '2026-10-19', '2026-11-08', { seed: 1, now });
    expect(again).toEqual(all);
    const other = slotResources(defaultOrganizations, '2026-10-19', '2026-11-08', { seed: 2, now });
    expect(other.filter((r) => r.resourceType === 'Appointment')).not.toEqual(appointments);
  });

  it('decides a slot’s fate by seed and slot alone, so a later horizon never changes earlier slots', () => {
    const short = slotsOf('holm', '2026-10-20', '2026-10-21');
    const long = slotsOf('holm', '2026-10-19', '2026-10-30').filter((s) =>
      short.some((t) => t.id === s.id),
    );
    expect(long).toEqual(short);
    expect(fate(1, 'a')).toBe(fate(1, 'a'));
    expect(fate(1, 'a')).not.toBe(fate(2, 'a'));
  });
});
