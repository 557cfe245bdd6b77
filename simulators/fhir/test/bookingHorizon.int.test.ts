import type { Slot } from '@medplum/fhirtypes';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scheduleId } from '../src/directoryResources.js';
import { defaultOrganizations, type LocationSeed } from '../src/seed.js';
import {
  type FhirResponse,
  type StartedSimulator,
  startSimulator,
  testNow,
} from './startSimulator.js';

const zone = 'Europe/Stockholm';
/** Monday 19 October 2026, local. */
const today = DateTime.fromISO(testNow, { zone }).startOf('day');
const locations = defaultOrganizations.flatMap((organization) => organization.locations);
const longest = locations.reduce((a, b) => (b.bookingHorizonDays > a.bookingHorizonDays ? b : a));

const schedulesOf = (location: LocationSeed) =>
  location.practitioners.map((p) => `Schedule/${scheduleId(p)}`).join(',');

/** A Slot search of the location's schedules starting in the local days first..first+days-1. */
function slotSearch(location: LocationSeed, first: DateTime, days = 1, more = '') {
  const from = first.toUTC().toISO();
  const to = first.plus({ days }).toUTC().toISO();
  return `Slot?schedule=${schedulesOf(location)}&start=ge${from}&start=lt${to}${more}`;
}

/** `<location id>/<yyyy-MM-dd>` for the local days first..first+days-1, as `loadedDays` lists them. */
const bookDays = (location: LocationSeed, first: DateTime, days: number) =>
  Array.from({ length: days }, (_, n) => `${location.id}/${first.plus({ days: n }).toISODate()}`);

/** The local dates on which the repository holds slots (looked at behind the API). */
function slotDates(sim: StartedSimulator): Set<string> {
  const slots = sim.simulator.state.repository.all<Slot>('Slot');
  return new Set(slots.map((slot) => DateTime.fromISO(slot.start, { zone }).toISODate() ?? ''));
}

const matchIds = (bundle: FhirResponse['body']): string[] =>
  (bundle.entry ?? [])
    .filter((entry: { search?: { mode?: string } }) => entry.search?.mode === 'match')
    .map((entry: { resource: { id: string } }) => entry.resource.id);

describe('booking horizons, slots made on demand', () => {
  let sim: StartedSimulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.stop());
  beforeEach(async () => {
    await sim.admin('POST', 'reset');
  });

  it('holds no slot after start, and after a search of next week only that week’s', async () => {
    expect(sim.simulator.state.loadedDays).toEqual([]);
    expect(sim.simulator.state.repository.all('Slot')).toEqual([]);
    expect(sim.simulator.state.repository.all('Appointment')).toEqual([]);

    const nextMonday = today.plus({ days: 7 });
    const [sodermalm] = locations;
    const found = await sim.fhir('GET', slotSearch(sodermalm!, nextMonday, 7));
    expect(found.body.total).toBeGreaterThan(0);

    const week = Array.from({ length: 7 }, (_, n) => nextMonday.plus({ days: n }).toISODate());
    expect(slotDates(sim).size).toBeGreaterThan(0);
    for (const date of slotDates(sim)) expect(week).toContain(date);
    expect(sim.simulator.state.loadedDays).toEqual(
      locations.flatMap((location) => bookDays(location, nextMonday, 7)).sort(),
    );
    // The Thursday after: nothing asked for it.
    expect(slotDates(sim).has(today.plus({ days: 17 }).toISODate() ?? '')).toBe(false);
  });

  it('opens each location’s book through its last horizon day and not a day more', async () => {
    expect(new Set(locations.map((l) => l.bookingHorizonDays)).size).toBeGreaterThan(2);
    for (const location of locations) {
      const lastDay = today.plus({ days: location.bookingHorizonDays });
      const onLastDay = await sim.fhir('GET', slotSearch(location, lastDay));
      const dayAfter = await sim.fhir('GET', slotSearch(location, lastDay.plus({ days: 1 })));
      expect(onLastDay.body.total, location.id).toBeGreaterThan(0);
      expect(dayAfter.body.total, location.id).toBe(0);
      expect(sim.simulator.state.loadedDays).not.toContain(
        bookDays(location, lastDay.plus({ days: 1 }), 1)[0],
      );
    }
  });

  it('has a location open far ahead, whose 7-day search 300 days out makes only those 7 days', async () => {
    expect(longest.bookingHorizonDays).toBeGreaterThanOrEqual(300);
    const first = today.plus({ days: 300 });
    const query = slotSearch(longest, first, 7, '&status=free');
    const found = await sim.fhir('GET', query);
    expect(found.body.total).toBeGreaterThan(0);
    for (const id of matchIds(found.body)) expect(id).toMatch(/^slot-/);
    expect(sim.simulator.state.loadedDays).toEqual(bookDays(longest, first, 7));
    const loadedSlots = sim.simulator.state.repository.all('Slot').length;

    // Paging along `next` links finds every match once and makes no other day.
    const seen: string[] = [];
    let next: string | undefined = `${sim.url}/fhir/R4/${query}&_count=10`;
    while (next) {
      const page = (await fetch(next).then((r) => r.json())) as FhirResponse['body'];
      seen.push(...matchIds(page));
      next = page.link.find((l: { relation: string }) => l.relation === 'next')?.url;
    }
    expect(seen).toHaveLength(found.body.total);
    expect(new Set(seen).size).toBe(found.body.total);
    expect(sim.simulator.state.loadedDays).toEqual(bookDays(longest, first, 7));
    expect(sim.simulator.state.repository.all('Slot')).toHaveLength(loadedSlots);
  });

  it('reads a slot on a day not loaded yet, and 404 for a day outside the horizon', async () => {
    const day = today.plus({ days: 9 });
    const [sodermalm] = locations;
    const found = await sim.fhir('GET', slotSearch(sodermalm!, day, 1, '&status=free&_count=1'));
    const slot = found.body.entry[0].resource;
    await sim.admin('POST', 'reset');
    expect(sim.simulator.state.loadedDays).toEqual([]);

    const read = await sim.fhir('GET', `Slot/${slot.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: slot.id, status: 'free', start: slot.start });
    expect(sim.simulator.state.loadedDays).toEqual(bookDays(sodermalm!, day, 1));
    await sim.admin('POST', 'reset');
    const history = await sim.fhir('GET', `Slot/${slot.id}/_history`);
    expect(history.status).toBe(200);
    expect(history.body.entry).toHaveLength(1);

    const closed = today.plus({ days: sodermalm!.bookingHorizonDays + 1 });
    await sim.admin('POST', 'reset');
    const beyond = await sim.fhir('GET', `Slot/slot-lindqvist-${closed.toFormat('yyyyMMdd')}0800`);
    expect(beyond.status).toBe(404);
    const past = await sim.fhir('GET', 'Slot/slot-lindqvist-202610160800');
    expect(past.status).toBe(404);
    expect(sim.simulator.state.loadedDays).toEqual([]);
  });

  it('makes the day of a slot that a booking, an Appointment search or take-slot names', async () => {
    const day = today.plus({ days: 10 });
    const [sodermalm] = locations;
    const found = await sim.fhir('GET', slotSearch(sodermalm!, day, 1, '&status=busy&_count=1'));
    const busy = found.body.entry[0].resource;
    await sim.admin('POST', 'reset');

    const none = await sim.fhir(
      'GET',
      'Appointment?identifier=urn:booking-platform:reservation|r1',
    );
    expect(none.body.total).toBe(0);
    expect(sim.simulator.state.loadedDays).toEqual([]);
    const bySlot = await sim.fhir('GET', `Appointment?slot=Slot/${busy.id}`);
    expect(bySlot.body.total).toBe(1);
    expect(sim.simulator.state.loadedDays).toEqual(bookDays(sodermalm!, day, 1));

    await sim.admin('POST', 'reset');
    const free = await sim.fhir('GET', slotSearch(sodermalm!, day, 1, '&status=free&_count=1'));
    const freeId = free.body.entry[0].resource.id;
    await sim.admin('POST', 'reset');
    expect((await sim.admin('POST', `take-slot/${freeId}`)).status).toBe(200);
    expect(sim.simulator.state.loadedDays).toEqual(bookDays(sodermalm!, day, 1));
  });
});

describe('daysAhead', () => {
  let sim: StartedSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ daysAhead: 3 });
  });
  afterAll(() => sim.stop());

  it('replaces every location’s own horizon', async () => {
    for (const location of locations) {
      const lastDay = today.plus({ days: 3 });
      const onLastDay = await sim.fhir('GET', slotSearch(location, lastDay));
      const dayAfter = await sim.fhir('GET', slotSearch(location, lastDay.plus({ days: 1 })));
      expect(onLastDay.body.total, location.id).toBeGreaterThan(0);
      expect(dayAfter.body.total, location.id).toBe(0);
    }
    // A search without bounds makes every open day: four per location.
    await sim.fhir('GET', 'Slot?_count=0');
    expect(sim.simulator.state.loadedDays).toEqual(
      locations.flatMap((location) => bookDays(location, today, 4)).sort(),
    );
  });
});
