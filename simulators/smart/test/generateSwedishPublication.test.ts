import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { generateSwedishPublication, stockholm } from '../src/generateSwedishPublication.js';
import { schedules } from '../src/swedishSeed.js';

const baseUrl = 'http://127.0.0.1:4104/sverige/';

/** The published slots; without `daysAhead`, each clinic's own horizon applies. */
// biome-ignore lint/suspicious/noExplicitAny: the tests read the resources they look for.
function slotsOf(now: string, daysAhead?: number): any[] {
  return generateSwedishPublication({ now: new Date(now), baseUrl, daysAhead, seed: 1 })
    .filter((file) => file.type === 'Slot')
    .flatMap((file) => file.lines.map((line) => JSON.parse(line)));
}

/** The last local day (`yyyy-MM-dd`) with a slot, per clinic (Location id). */
function lastDayPerClinic(slots: { schedule: { reference: string }; start: string }[]) {
  const last = new Map<string, string>();
  for (const slot of slots) {
    const scheduleId = slot.schedule.reference.replace('Schedule/', '');
    const clinic = schedules.find((s) => s.id === scheduleId)?.locationId ?? '?';
    const day = DateTime.fromISO(slot.start, { zone: stockholm }).toFormat('yyyy-MM-dd');
    if (day > (last.get(clinic) ?? '')) last.set(clinic, day);
  }
  return last;
}

/** First local start time per schedule and local day. */
function firstLocalTimes(slots: { schedule: { reference: string }; start: string }[]) {
  const first = new Map<string, string>();
  for (const slot of slots) {
    const local = DateTime.fromISO(slot.start, { zone: stockholm });
    const key = `${slot.schedule.reference}|${local.toFormat('yyyy-MM-dd')}`;
    const time = local.toFormat('HH:mm');
    if (!first.has(key) || time < first.get(key)!) first.set(key, time);
  }
  return first;
}

describe('generateSwedishPublication', () => {
  it('publishes slots from now for four weeks, none in the past', () => {
    const slots = slotsOf('2026-10-19T08:00:00Z', 28);
    const starts = slots.map((s) => Date.parse(s.start));
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(Date.parse('2026-10-19T08:00:00Z'));
    expect(Math.max(...starts)).toBeGreaterThan(Date.parse('2026-11-09T00:00:00Z'));
  });

  it("publishes each clinic's slots up to the last day of its own horizon, none after", () => {
    // Monday 19 October; both last days are Mondays, when both clinics' GPs work.
    const last = lastDayPerClinic(slotsOf('2026-10-19T06:00:00Z'));
    // Södermalm, primary care: 28 days.
    expect(last.get('sthlm-sodermalm')).toBe('2026-11-16');
    // Linköping, hearing tests: 182 days, across the spring change of 28 March.
    expect(last.get('linkoping-agatan')).toBe('2027-04-19');
  });

  it("lets `daysAhead` replace every clinic's horizon, shorter or longer than its own", () => {
    // Friday 18 December is 60 days on: past Södermalm's 28, short of Linköping's 182.
    const last = lastDayPerClinic(slotsOf('2026-10-19T06:00:00Z', 60));
    expect(last.size).toBe(7);
    for (const [clinic, day] of last) {
      // The withdrawn Kista clinic's calendar only has Mondays.
      expect(day, clinic).toBe(clinic === 'sthlm-kista' ? '2026-12-14' : '2026-12-18');
    }
  });

  it('keeps weekly wall-clock hours across the autumn change (Friday 23 vs Monday 26 October)', () => {
    const first = firstLocalTimes(slotsOf('2026-10-19T06:00:00Z'));
    expect(first.get('Schedule/sch-sodermalm-lakare-1|2026-10-23')).toBe('08:00');
    expect(first.get('Schedule/sch-sodermalm-lakare-1|2026-10-26')).toBe('08:00');
    const slots = slotsOf('2026-10-19T06:00:00Z');
    const friday = slots.find((s) => s.id === 'sch-sodermalm-lakare-1-202610230800');
    const monday = slots.find((s) => s.id === 'sch-sodermalm-lakare-1-202610260800');
    // Same wall time, different offsets: summer time before, winter time after.
    expect(friday?.start).toBe('2026-10-23T08:00:00.000+02:00');
    expect(monday?.start).toBe('2026-10-26T08:00:00.000+01:00');
  });

  it('keeps weekly wall-clock hours across the spring change (Friday 27 vs Monday 30 March)', () => {
    const slots = slotsOf('2026-03-23T06:00:00Z');
    const friday = slots.find((s) => s.id === 'sch-haga-lakare-1-202603270800');
    const monday = slots.find((s) => s.id === 'sch-haga-lakare-1-202603300800');
    expect(friday?.start).toBe('2026-03-27T08:00:00.000+01:00');
    expect(monday?.start).toBe('2026-03-30T08:00:00.000+02:00');
    expect(Date.parse(monday.start) - Date.parse(friday.start)).toBe(3 * 24 * 3600_000 - 3600_000);
  });

  it('publishes UTC times for the clinic that does, equal as instants', () => {
    const slots = slotsOf('2026-10-19T06:00:00Z');
    const utc = slots.find((s) => s.id === 'sch-agatan-lakare-1-202610260800');
    expect(utc?.start).toBe('2026-10-26T07:00:00.000Z');
    expect(utc?.end).toBe('2026-10-26T07:20:00.000Z');
  });

  it('gives every slot a deep link under the base URL, a phone and a capacity while free', () => {
    for (const slot of slotsOf('2026-10-19T06:00:00Z', 3)) {
      const link = new URL(slot.extension[0].valueUrl);
      expect(link.origin + link.pathname).toBe(`${baseUrl}portal/boka`);
      expect(link.searchParams.get('slot')).toBe(slot.id);
      if (slot.status === 'free') {
        expect(slot.extension.at(-1).url).toMatch(/slot-capacity$/);
        expect(slot.extension.at(-1).valueInteger).toBeGreaterThan(0);
      }
    }
  });

  it('publishes some slots as busy, the same ones for the same seed', () => {
    const slots = slotsOf('2026-10-19T06:00:00Z');
    const busy = slots.filter((s) => s.status === 'busy').map((s) => s.id);
    expect(busy.length / slots.length).toBeGreaterThan(0.05);
    expect(busy.length / slots.length).toBeLessThan(0.25);
    expect(
      slotsOf('2026-10-19T06:00:00Z')
        .filter((s) => s.status === 'busy')
        .map((s) => s.id),
    ).toEqual(busy);
  });

  it('splits slots into files by ISO week with the counties they cover', () => {
    const files = generateSwedishPublication({
      now: new Date('2026-10-19T06:00:00Z'),
      baseUrl,
      daysAhead: 13,
      seed: 1,
    });
    expect(files.map((f) => f.name)).toEqual([
      'locations.ndjson',
      'schedules.ndjson',
      'slots-2026-W43.ndjson',
      'slots-2026-W44.ndjson',
    ]);
    expect(files[2]?.extension).toEqual({ state: ['AB', 'AC', 'C', 'E', 'M', 'O'] });
  });
});
