import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  facilities,
  patient,
  startSimulator,
  type TestSimulator,
  units,
} from './startSimulator.js';

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(async () => {
  await sim.admin('POST', 'reset');
});

const facilitiesCall = `<tns:healthcare_facility>${units.kungsholmen}</tns:healthcare_facility><tns:subject_of_care>${patient}</tns:subject_of_care>`;

describe('admin knobs', () => {
  it('a fault rate of 1 answers every call with a VP009 server fault', async () => {
    expect((await sim.admin('POST', 'config', { faultRate: 1 })).status).toBe(200);
    const response = await sim.call('GetAllHealthcareFacilities', facilitiesCall);
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({ faultcode: 'soap:Server' });
    expect(response.body.faultstring).toMatch(/^VP009 /);
  });

  it('takes one unit down while the others answer', async () => {
    await sim.admin('POST', 'config', { units: { [units.kungsholmen]: { down: true } } });
    expect((await sim.call('GetAllHealthcareFacilities', facilitiesCall)).status).toBe(500);
    const other = await sim.call(
      'GetAllHealthcareFacilities',
      `<tns:healthcare_facility>${units.gottsunda}</tns:healthcare_facility><tns:subject_of_care>${patient}</tns:subject_of_care>`,
      units.gottsunda,
    );
    expect(other.status).toBe(200);
  });

  it('adds latency to every call', async () => {
    await sim.admin('POST', 'config', { latencyMs: 150 });
    const started = performance.now();
    await sim.call('GetAllHealthcareFacilities', facilitiesCall);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('loses the response of a booking that was made', async () => {
    await sim.admin('POST', 'config', { lostResponses: 1 });
    const [slot] = await sim.timeslots('20261021', '20261021');
    await expect(sim.makeBooking(slot!)).rejects.toThrow();
    const { body } = await sim.admin('GET', 'bookings');
    expect(body.bookings).toHaveLength(1);
    expect((await sim.admin('GET', 'config')).body.lostResponses).toBe(0);
  });

  it('lists bookings without the patients’ identities, and reset forgets them', async () => {
    const [slot] = await sim.timeslots('20261021', '20261021');
    await sim.makeBooking(slot!, { purpose: 'Vården:r-9' });
    const listed = await sim.admin('GET', `bookings?unit=${units.kungsholmen}`);
    expect(listed.body.bookings).toEqual([
      expect.objectContaining({
        bookingId: 'BK00000001',
        healthcareFacility: facilities.kungsholmen,
        purpose: 'Vården:r-9',
      }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(patient);
    await sim.admin('POST', 'reset');
    expect((await sim.admin('GET', 'bookings')).body.bookings).toEqual([]);
  });

  it('refuses an invalid config patch and an unknown unit', async () => {
    expect((await sim.admin('POST', 'config', { faultRate: 2 })).status).toBe(400);
    expect((await sim.admin('POST', 'config', { units: { nowhere: { down: true } } })).status).toBe(
      400,
    );
    expect((await sim.admin('GET', 'stats')).body).toMatchObject({
      invalidRequests: 0,
      invalidResponses: 0,
    });
  });

  it('answers the health probes', async () => {
    expect((await fetch(`${sim.url}/health/ready`)).status).toBe(200);
    expect((await fetch(`${sim.url}/vp/crm/scheduling/MakeBooking/1/rivtabp21`)).status).toBe(405);
  });
});
