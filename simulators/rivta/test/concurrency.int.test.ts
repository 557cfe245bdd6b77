import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

it('books one timeslot exactly once when twenty patients ask for it at the same moment', async () => {
  const [slot] = await sim.timeslots('20261022', '20261022');
  // Luhn-valid personnummer born on 1–20 January 1980.
  const subjects = Array.from({ length: 20 }, (_, i) => {
    const base = `8001${String(i + 1).padStart(2, '0')}123`;
    const sum = base
      .split('')
      .map(Number)
      .reduce((total, d, index) => {
        const p = index % 2 === 0 ? d * 2 : d;
        return total + (p > 9 ? p - 9 : p);
      }, 0);
    return `19${base}${(10 - (sum % 10)) % 10}`;
  });
  const answers = await Promise.all(subjects.map((subject) => sim.makeBooking(slot!, { subject })));
  expect(answers.filter((a) => a.body.resultCode === 'OK')).toHaveLength(1);
  expect(answers.filter((a) => a.body.resultCode === 'ERROR')).toHaveLength(19);
  const { body } = await sim.admin('GET', 'bookings');
  expect(body.bookings).toHaveLength(1);
  sim.expectAllValid();
});
