import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type FhirResponse,
  freeSlot,
  type StartedSimulator,
  startSimulator,
} from './startSimulator.js';

let sim: StartedSimulator;

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.stop());
beforeEach(async () => {
  await sim.admin('POST', 'reset');
});

interface Entry {
  resource: FhirResponse['body'];
  search?: { mode?: string };
}
const matches = (bundle: { entry?: Entry[] }) =>
  (bundle.entry ?? []).filter((e) => e.search?.mode === 'match');

describe('FHIR REST over Medplum’s router', () => {
  it('searches Slots by schedule, status and a start window, in application/fhir+json', async () => {
    const response = await sim.fhir(
      'GET',
      'Slot?schedule=Schedule/sched-lindqvist&status=free&start=ge2026-10-20T06:00:00Z&start=lt2026-10-20T10:00:00Z',
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/fhir+json');
    expect(response.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    const slots = matches(response.body).map((e) => e.resource);
    expect(slots.length).toBeGreaterThan(0);
    for (const slot of slots) {
      expect(slot.status).toBe('free');
      expect(Date.parse(slot.start)).toBeGreaterThanOrEqual(Date.parse('2026-10-20T06:00:00Z'));
      expect(Date.parse(slot.start)).toBeLessThan(Date.parse('2026-10-20T10:00:00Z'));
    }
  });

  it('pages with _count along Bundle.link next (offset links), lowering a _count above its maximum', async () => {
    await sim.admin('POST', 'config', { maxPageSize: 7 });
    const query =
      'Slot?schedule=Schedule/sched-berg&start=ge2026-10-20T00:00:00Z&start=lt2026-10-21T00:00:00Z';
    const all = await sim.fhir('GET', `${query}&_count=100`);
    expect(matches(all.body)).toHaveLength(7);
    const total = all.body.total;
    expect(total).toBeGreaterThan(14);
    const seen: string[] = [];
    let next: string | undefined = `${sim.url}/fhir/R4/${query}&_count=100`;
    for (let pages = 0; next && pages < 10; pages += 1) {
      const page = (await fetch(next).then((r) => r.json())) as FhirResponse['body'];
      seen.push(...matches(page).map((e) => e.resource.id));
      next = page.link.find((l: { relation: string }) => l.relation === 'next')?.url;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('answers a search that matches nothing with an OperationOutcome entry of search.mode outcome', async () => {
    const response = await sim.fhir('GET', 'Slot?schedule=Schedule/does-not-exist');
    expect(response.body.total).toBe(0);
    expect(response.body.entry).toEqual([
      expect.objectContaining({
        resource: expect.objectContaining({ resourceType: 'OperationOutcome' }),
        search: { mode: 'outcome' },
      }),
    ]);
  });

  it('reads a Slot with its version as a weak ETag, and 404 with an OperationOutcome for an unknown one', async () => {
    const slot = await freeSlot(sim);
    const read = await sim.fhir('GET', `Slot/${slot.id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe(`W/"${slot.meta.versionId}"`);
    const missing = await sim.fhir('GET', 'Slot/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.resourceType).toBe('OperationOutcome');
  });

  it('refuses an update with a stale If-Match with 412 and applies one with the current version', async () => {
    const slot = await freeSlot(sim);
    const current = `W/"${slot.meta.versionId}"`;
    const first = await sim.fhir(
      'PUT',
      `Slot/${slot.id}`,
      { ...slot, status: 'busy' },
      { 'if-match': current },
    );
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).not.toBe(current);
    const stale = await sim.fhir(
      'PUT',
      `Slot/${slot.id}`,
      { ...slot, status: 'free' },
      { 'if-match': current },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.resourceType).toBe('OperationOutcome');
    expect((await sim.fhir('GET', `Slot/${slot.id}`)).body.status).toBe('busy');
  });

  it('creates once with If-None-Exist and answers the existing resource afterwards', async () => {
    const patient = {
      resourceType: 'Patient',
      identifier: [
        { system: 'http://electronichealth.se/identifier/personnummer', value: '199001010017' },
      ],
    };
    const condition = {
      'if-none-exist': 'identifier=http://electronichealth.se/identifier/personnummer|199001010017',
    };
    const created = await sim.fhir('POST', 'Patient', patient, condition);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toContain(`/Patient/${created.body.id}/_history/`);
    const again = await sim.fhir('POST', 'Patient', patient, condition);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(created.body.id);
  });

  it('runs a transaction atomically: a stale If-Match on the Slot leaves no Appointment behind', async () => {
    const slot = await freeSlot(sim);
    const appointment = {
      resourceType: 'Appointment',
      identifier: [{ system: 'urn:test', value: 'atomic' }],
      status: 'booked',
      start: slot.start,
      end: slot.end,
      slot: [{ reference: `Slot/${slot.id}` }],
      participant: [{ actor: { reference: 'Location/loc-sodermalm' }, status: 'accepted' }],
    };
    const bundle = (ifMatch: string) => ({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: appointment, request: { method: 'POST', url: 'Appointment' } },
        {
          resource: { ...slot, status: 'busy' },
          request: { method: 'PUT', url: `Slot/${slot.id}`, ifMatch },
        },
      ],
    });
    const refused = await sim.fhir('POST', '', bundle('W/"stale"'));
    expect(refused.status).toBe(412);
    expect((await sim.fhir('GET', 'Appointment?identifier=urn:test|atomic')).body.total).toBe(0);
    const done = await sim.fhir('POST', '', bundle(`W/"${slot.meta.versionId}"`));
    expect(done.status).toBe(200);
    expect(done.body.type).toBe('transaction-response');
    expect(done.body.entry.map((e: { response: { status: string } }) => e.response.status)).toEqual(
      ['201', '200'],
    );
    expect((await sim.fhir('GET', 'Appointment?identifier=urn:test|atomic')).body.total).toBe(1);
  });

  it('validates resources against R4: 400 with the issues', async () => {
    const response = await sim.fhir('POST', 'Slot', { resourceType: 'Slot', status: 'maybe' });
    expect(response.status).toBe(400);
    expect(response.body.issue.length).toBeGreaterThan(0);
  });

  it('wants FHIR JSON bodies and serves its CapabilityStatement at /metadata', async () => {
    const response = await fetch(`${sim.url}/fhir/R4/Patient`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<Patient/>',
    });
    expect(response.status).toBe(415);
    const metadata = await sim.fhir('GET', 'metadata');
    expect(metadata.body).toMatchObject({
      resourceType: 'CapabilityStatement',
      fhirVersion: '4.0.1',
    });
  });

  it('describes each organisation’s clinics with address, position and time zone', async () => {
    const locations = await sim.fhir('GET', 'Location?organization=Organization/sydvarden');
    const lund = matches(locations.body).find((e) => e.resource.id === 'loc-lund');
    expect(lund?.resource).toMatchObject({
      address: { city: 'Lund' },
      position: { latitude: expect.any(Number), longitude: expect.any(Number) },
      extension: [
        { url: 'http://hl7.org/fhir/StructureDefinition/timezone', valueCode: 'Europe/Stockholm' },
      ],
    });
    const schedules = await sim.fhir('GET', 'Schedule?actor=Location/loc-lund');
    expect(
      matches(schedules.body)
        .map((e) => e.resource.id)
        .sort(),
    ).toEqual(['sched-olsson', 'sched-wallin']);
  });

  it('publishes slots for a new day as the clock moves on', async () => {
    // Tuesday, the day after Södermalm's horizon as of Monday 19 October (28 days ahead).
    const firstClosedDay =
      'Slot?schedule=Schedule/sched-lindqvist&start=ge2026-11-17T00:00:00Z&start=lt2026-11-18T00:00:00Z';
    expect((await sim.fhir('GET', firstClosedDay)).body.total).toBe(0);
    sim.clock.set('2026-10-21T08:00:00Z');
    try {
      expect((await sim.fhir('GET', firstClosedDay)).body.total).toBeGreaterThan(0);
    } finally {
      sim.clock.set('2026-10-19T08:00:00Z');
    }
  });
});

describe('FHIR REST with an access token', () => {
  let secured: StartedSimulator;
  beforeAll(async () => {
    secured = await startSimulator({ accessToken: 'test-token-123' });
  });
  afterAll(() => secured.stop());

  it('answers 401 without the bearer token and 200 with it', async () => {
    const without = await secured.fhir('GET', 'Location');
    expect(without.status).toBe(401);
    expect(without.headers.get('www-authenticate')).toContain('Bearer');
    const withToken = await secured.fhir('GET', 'Location', undefined, {
      authorization: 'Bearer test-token-123',
    });
    expect(withToken.status).toBe(200);
  });
});
