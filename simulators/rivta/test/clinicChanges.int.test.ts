import { describe, expect, it } from 'vitest';
import { facilities, units, useTestSimulator } from './startSimulator.js';

const simulator = useTestSimulator();

/** GetBookingDetails of a booking at the Kungsholmen reception. */
const details = (bookingId: string) =>
  simulator().call(
    'GetBookingDetails',
    `<tns:healthcare_facility>${facilities.kungsholmen}</tns:healthcare_facility><tns:bookingId>${bookingId}</tns:bookingId>`,
  );

const change = (body: Record<string, unknown>) =>
  simulator().admin('POST', 'clinic-changes', { connection: units.kungsholmen, ...body });

/** Books the first free timeslot of 21 October for the test patient: `BK00000001`. */
async function booked() {
  const [slot, ...others] = await simulator().timeslots('20261021', '20261021');
  const made = await simulator().makeBooking(slot!, { purpose: 'Vården:r-1' });
  expect(made.body.resultCode).toBe('OK');
  return { slot: slot!, others, bookingId: made.body.bookingId as string };
}

describe('changes at the clinic', () => {
  it('CANCEL: GetBookingDetails faults "Bokningen finns inte." and the timeslot is free again', async () => {
    const { slot, bookingId } = await booked();
    const answer = await change({ kind: 'CANCEL', booking: bookingId });
    expect(answer).toMatchObject({
      status: 200,
      body: { booking: { bookingId, status: 'cancelled' } },
    });
    const after = await details(bookingId);
    expect(after.status).toBe(500);
    expect(after.body).toMatchObject({
      faultcode: 'soap:Client',
      faultstring: 'Bokningen finns inte.',
    });
    const free = await simulator().timeslots('20261021', '20261021');
    expect(free.map((s) => s.startTimeInclusive)).toContain(slot.startTimeInclusive);
    expect((await change({ kind: 'CANCEL', booking: bookingId })).status).toBe(409);
  });

  it('CANCEL takes the reference the provider subgraph keeps, `<facility>|<booking id>`, and refuses another facility', async () => {
    const { bookingId } = await booked();
    expect(
      (await change({ kind: 'CANCEL', booking: `${facilities.vaccination}|${bookingId}` })).status,
    ).toBe(404);
    expect(
      (await change({ kind: 'CANCEL', booking: `${facilities.kungsholmen}|${bookingId}` })).status,
    ).toBe(200);
  });

  it('MOVE: the booking keeps its id and GetBookingDetails shows the new time, valid against the XSD', async () => {
    const { slot, others, bookingId } = await booked();
    const target = others.find(
      (s) => s.performer === slot.performer && s.timeTypeID === slot.timeTypeID,
    )!;
    const start = new Date(Date.parse(`${isoOf(target.startTimeInclusive!)}+02:00`)).toISOString();
    const answer = await change({ kind: 'MOVE', booking: bookingId, start });
    expect(answer).toMatchObject({
      status: 200,
      body: {
        booking: {
          bookingId,
          status: 'booked',
          start: target.startTimeInclusive,
          performer: slot.performer,
        },
      },
    });
    const after = await details(bookingId);
    expect(after.status, after.text).toBe(200);
    expect(after.body.timeslotDetail[0]).toMatchObject({
      bookingId,
      startTimeInclusive: target.startTimeInclusive,
      endTimeExclusive: target.endTimeExclusive,
      purpose: 'Vården:r-1',
    });
    const free = (await simulator().timeslots('20261021', '20261021')).map(
      (s) => s.startTimeInclusive,
    );
    expect(free).toContain(slot.startTimeInclusive);
    expect(
      (await simulator().timeslots('20261021', '20261021')).some(
        (s) =>
          s.startTimeInclusive === target.startTimeInclusive && s.performer === target.performer,
      ),
    ).toBe(false);
  });

  it('MOVE to a time with no free timeslot at the facility is 409 and changes nothing', async () => {
    const { slot, bookingId } = await booked();
    const night = '2026-10-21T01:00:00Z';
    expect((await change({ kind: 'MOVE', booking: bookingId, start: night })).status).toBe(409);
    const after = await details(bookingId);
    expect(after.body.timeslotDetail[0].startTimeInclusive).toBe(slot.startTimeInclusive);
  });

  it('NO_SHOW is 501: crm:scheduling 1.1 has no notion of one, and the booking stays', async () => {
    const { bookingId } = await booked();
    const answer = await change({ kind: 'NO_SHOW', booking: bookingId });
    expect(answer.status).toBe(501);
    expect(answer.body.message).toMatch(/no-show/);
    expect((await details(bookingId)).status).toBe(200);
  });

  it('OPEN_SLOT: an extra time at or after start, free in GetAvailableTimeslots and bookable', async () => {
    const answer = await change({
      kind: 'OPEN_SLOT',
      clinic: facilities.kungsholmen,
      start: '2026-10-22T10:00:00Z',
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const opened = answer.body.slot;
    expect(opened.healthcareFacility).toBe(facilities.kungsholmen);
    // 12:00 Stockholm (CEST) or later: the seed's doctors work 08:00–12:00, so noon is free.
    expect(opened.start >= '20261022120000').toBe(true);
    const free = await simulator().timeslots('20261022', '20261022');
    const listed = free.find(
      (s) => s.startTimeInclusive === opened.start && s.performer === opened.performer,
    );
    expect(listed).toMatchObject({ endTimeExclusive: opened.end, timeTypeID: opened.timeTypeId });
    expect((await simulator().makeBooking(listed!)).body.resultCode).toBe('OK');
  });

  it('refuses an unknown unit, booking or facility (404) and a malformed body (400), changing nothing', async () => {
    const { bookingId } = await booked();
    expect(
      (
        await simulator().admin('POST', 'clinic-changes', {
          connection: 'SE0',
          kind: 'CANCEL',
          booking: bookingId,
        })
      ).status,
    ).toBe(404);
    expect((await change({ kind: 'CANCEL', booking: 'BK99999999' })).status).toBe(404);
    expect((await change({ kind: 'OPEN_SLOT', clinic: 'SE0-X' })).status).toBe(404);
    expect((await change({ kind: 'MOVE', booking: bookingId })).status).toBe(400);
    expect(
      (await change({ kind: 'MOVE', booking: bookingId, start: '2026-10-22 10:00' })).status,
    ).toBe(400);
    expect((await change({ kind: 'ERASE', booking: bookingId })).status).toBe(400);
    expect((await details(bookingId)).status).toBe(200);
  });
});

/** `YYYYMMDDhhmmss` as `YYYY-MM-DDThh:mm:ss`. */
function isoOf(ts: string): string {
  return `${ts.slice(0, 4)}-${ts.slice(4, 6)}-${ts.slice(6, 8)}T${ts.slice(8, 10)}:${ts.slice(10, 12)}:${ts.slice(12, 14)}`;
}
