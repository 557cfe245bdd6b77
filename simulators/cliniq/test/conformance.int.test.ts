import { readFileSync } from 'node:fs';
import { type OpenApiDocument, openApiConformance } from '@booking/simulator-kit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openApiDocumentUrl } from '../src/server.js';
import { type ApiResponse, patient, startSimulator, type TestSimulator } from './startSimulator.js';

const document = JSON.parse(readFileSync(openApiDocumentUrl, 'utf8')) as OpenApiDocument;
const conformance = openApiConformance(document);

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim.close();
});

/** The answer, once it is what the document says `operationId` answers with its status. */
function expectDocumented(operationId: string, res: ApiResponse, status: number): ApiResponse {
  expect(res.status, operationId).toBe(status);
  expect(conformance.response(res.body, operationId, res.status)).toEqual([]);
  return res;
}

const week = 'from=2026-03-26T00:00:00&to=2026-04-02T00:00:00';

it('serves the document it is tested against at GET /openapi.json', async () => {
  const res = await fetch(`${sim.url}/openapi.json`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual(document);
});

it('answers every read in the shapes of its OpenAPI document', async () => {
  const reads: [string, string][] = [
    ['listClinics', '/clinics'],
    ['listPractitioners', '/practitioners?clinicId=CL1001,CL1002&pageSize=2&page=2'],
    ['listServices', '/services'],
    ['listSlots', `/slots?${week}&clinicId=CL1001&serviceCode=ALLM20&pageSize=100`],
    ['listSlots', `/slots?${week}&page=999`],
    ['getSlot', `/slots/${(await sim.freeSlot('2026-03-26')).id}`],
    ['findHolds', '/holds?externalRef=none'],
    ['findBookings', '/bookings?externalRef=none'],
    ['listChanges', '/changes?afterSequence=0'],
    ['listChanges', '/changes?since=2026-03-25T09:00:00&page=2'],
  ];
  for (const [operationId, path] of reads) {
    expectDocumented(operationId, await sim.call('GET', path), 200);
  }
});

it('answers the hold, confirm, book and cancel flows, and their refusals, as documented', async () => {
  const slot = await sim.freeSlot('2026-03-27');
  const hold = { slotId: slot.id, externalRef: 'conformance-1' };
  const held = expectDocumented(
    'createHold',
    await sim.call('POST', '/holds', { body: hold }),
    201,
  );
  expectDocumented('createHold', await sim.call('POST', '/holds', { body: hold }), 200);
  const holdId = held.body.holdId;
  expectDocumented('getHold', await sim.call('GET', `/holds/${holdId}`), 200);
  expectDocumented('findHolds', await sim.call('GET', '/holds?externalRef=conformance-1'), 200);
  const other = { slotId: slot.id, externalRef: 'conformance-2' };
  expectDocumented('createHold', await sim.call('POST', '/holds', { body: other }), 409);
  const refused = { patient: { ...patient, firstName: ' ' } };
  expectDocumented(
    'confirmHold',
    await sim.call('POST', `/holds/${holdId}/confirm`, { body: refused }),
    422,
  );
  const confirm = { patient, note: 'Ont i halsen' };
  const booked = await sim.call('POST', `/holds/${holdId}/confirm`, { body: confirm });
  expectDocumented('confirmHold', booked, 201);
  expectDocumented(
    'confirmHold',
    await sim.call('POST', `/holds/${holdId}/confirm`, { body: confirm }),
    200,
  );
  expectDocumented('getHold', await sim.call('GET', `/holds/${holdId}`), 200);
  expectDocumented('releaseHold', await sim.call('DELETE', `/holds/${holdId}`), 409);
  const bookingId = booked.body.bookingId;
  expectDocumented('getBooking', await sim.call('GET', `/bookings/${bookingId}`), 200);
  expectDocumented('cancelBooking', await sim.call('DELETE', `/bookings/${bookingId}`), 200);

  const next = await sim.freeSlot('2026-03-30');
  const booking = { slotId: next.id, externalRef: 'conformance-3', patient };
  expectDocumented('createBooking', await sim.call('POST', '/bookings', { body: booking }), 201);
  expectDocumented('createBooking', await sim.call('POST', '/bookings', { body: booking }), 200);
  const reused = { ...booking, slotId: slot.id };
  expectDocumented('createBooking', await sim.call('POST', '/bookings', { body: reused }), 409);
  expectDocumented(
    'findBookings',
    await sim.call('GET', '/bookings?externalRef=conformance-3'),
    200,
  );
  // The clinic's changes, in the bookings and in the feed that reports them.
  const clinicChange = (body: object) =>
    sim.admin('POST', 'clinic-changes', { connection: 'nordklinik', ...body });
  expect((await clinicChange({ kind: 'NO_SHOW', booking: bookingId })).status).toBe(409);
  const clinicBooking = (await sim.call('GET', '/bookings?externalRef=conformance-3')).body.data[0];
  const moved = await clinicChange({
    kind: 'MOVE',
    booking: clinicBooking.bookingId,
    start: new Date(`${(await sim.freeSlot('2026-03-27')).start}+01:00`).toISOString(),
  });
  expect(moved.status).toBe(200);
  expect((await clinicChange({ kind: 'NO_SHOW', booking: clinicBooking.bookingId })).status).toBe(
    200,
  );
  expectDocumented(
    'getBooking',
    await sim.call('GET', `/bookings/${clinicBooking.bookingId}`),
    200,
  );
  expectDocumented(
    'cancelBooking',
    await sim.call('DELETE', `/bookings/${clinicBooking.bookingId}`),
    409,
  );
  const opened = await clinicChange({
    kind: 'OPEN_SLOT',
    clinic: 'CL1002',
    start: '2026-03-27T16:00:00Z',
  });
  expect(opened.status).toBe(200);
  const feed = expectDocumented(
    'listChanges',
    await sim.call('GET', '/changes?afterSequence=0&pageSize=100'),
    200,
  );
  expect(new Set(feed.body.data.map((c: { type: string }) => c.type))).toEqual(
    new Set([
      'booking_created',
      'slot_closed',
      'booking_cancelled',
      'slot_opened',
      'booking_moved',
      'booking_no_show',
    ]),
  );

  const released = await sim.call('POST', '/holds', {
    body: { slotId: (await sim.freeSlot('2026-03-31')).id, externalRef: 'conformance-4' },
  });
  expectDocumented('releaseHold', await sim.call('DELETE', `/holds/${released.body.holdId}`), 204);
  expectDocumented('releaseHold', await sim.call('DELETE', `/holds/${released.body.holdId}`), 204);
  expectDocumented(
    'confirmHold',
    await sim.call('POST', `/holds/${released.body.holdId}/confirm`, { body: confirm }),
    410,
  );
});

it('answers its refusals in the documented error body', async () => {
  const refusals: [string, Promise<ApiResponse>, number][] = [
    ['listClinics', sim.call('GET', '/clinics', { apiKey: null }), 401],
    ['listSlots', sim.call('GET', '/slots?from=2026-03-26T00:00:00Z&to=2026-03-27T00:00:00'), 400],
    ['getSlot', sim.call('GET', '/slots/SL-nope'), 404],
    ['getHold', sim.call('GET', '/holds/HD-nope'), 404],
    ['getBooking', sim.call('GET', '/bookings/BK-nope'), 404],
    ['findHolds', sim.call('GET', '/holds'), 400],
    [
      'createHold',
      sim.call('POST', '/holds', { body: { slotId: 'SL-nope', externalRef: 'x' } }),
      404,
    ],
    ['createHold', sim.call('POST', '/holds', { body: { slotId: '' } }), 400],
    ['listChanges', sim.call('GET', '/changes'), 400],
    ['listChanges', sim.call('GET', '/changes?afterSequence=0', { apiKey: 'wrong' }), 401],
  ];
  for (const [operationId, answer, status] of refusals) {
    expectDocumented(operationId, await answer, status);
  }
});

it('would notice an answer the document does not allow', () => {
  const slot = {
    id: 'SL-1',
    clinicId: 'CL1001',
    practitionerId: 'PR1101',
    practitionerName: 'A',
    serviceCodes: [],
    start: '2026-03-30T09:00:00',
    end: '2026-03-30T09:20:00',
    status: 'free',
  };
  expect(conformance.response(slot, 'getSlot', 200)).toEqual([]);
  expect(conformance.response({ ...slot, room: '4B' }, 'getSlot', 200)).toEqual([
    'getSlot 200.room: not in the schema',
  ]);
  expect(conformance.response({ ...slot, start: '2026-03-30T09:00:00Z' }, 'getSlot', 200)).toEqual([
    expect.stringContaining('getSlot 200.start: does not match'),
  ]);
  expect(conformance.response(slot, 'getSlot', 418)).toEqual([
    'getSlot: status 418 is not documented',
  ]);
  expect(conformance.response({ error: 'oops', message: '' }, 'getSlot', 404)).toHaveLength(1);
});
