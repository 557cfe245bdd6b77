import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { patient, startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

const clinicChange = (body: unknown) => sim.admin('POST', 'clinic-changes', body);

/** Books the first free slot of a local day at CL1001 through the API. */
async function book(day: string, externalRef: string) {
  const slot = await sim.freeSlot(day);
  const res = await sim.call('POST', '/bookings', {
    body: { slotId: slot.id, externalRef, patient },
  });
  expect(res.status).toBe(201);
  return res.body as { bookingId: string; slotId: string; start: string; end: string };
}

const slotStatus = async (slotId: string) =>
  (await sim.call('GET', `/slots/${slotId}`)).body.status;
const latestSequence = async () =>
  (await sim.call('GET', '/changes?afterSequence=0')).body.latestSequence as number;

/**
 * A free time of PR1101 (20-minute slots) at :20 or :40 on a local day: at those minutes no other
 * practitioner of CL1001 starts a slot, so a move to that start has exactly one slot to take.
 */
async function onlyTimeAt(day: string) {
  const res = await sim.call(
    'GET',
    `/slots?from=${day}T00:00:00&to=${day}T23:59:59&clinicId=CL1001&practitionerId=PR1101`,
  );
  return (res.body.data as { id: string; start: string }[]).find((s) =>
    /:[24]0:00$/.test(s.start),
  )!;
}

/** A Stockholm wall time in CET (before 29 March 2026) as an RFC 3339 instant. */
const cet = (local: string) => new Date(`${local}+01:00`).toISOString();

describe('POST /_admin/clinic-changes', () => {
  it('CANCEL: the booking is cancelled by the clinic, its slot is free again, and a second cancel is refused', async () => {
    const booking = await book('2026-03-26', 'clinic-cancel');
    const res = await clinicChange({
      connection: 'nordklinik',
      kind: 'CANCEL',
      booking: booking.bookingId,
    });
    expect(res.status).toBe(200);
    expect(res.body.booking).toMatchObject({
      bookingId: booking.bookingId,
      status: 'cancelled_by_clinic',
      externalRef: 'clinic-cancel',
    });
    expect((await sim.call('GET', `/bookings/${booking.bookingId}`)).body.status).toBe(
      'cancelled_by_clinic',
    );
    expect(await slotStatus(booking.slotId)).toBe('free');
    const again = await clinicChange({
      connection: 'nordklinik',
      kind: 'CANCEL',
      booking: booking.bookingId,
    });
    expect(again).toMatchObject({ status: 409, body: { error: 'booking_not_booked' } });
    // The API's own cancel of a booking the clinic cancelled answers it as it is.
    const viaApi = await sim.call('DELETE', `/bookings/${booking.bookingId}`);
    expect(viaApi).toMatchObject({ status: 200, body: { status: 'cancelled_by_clinic' } });
  });

  it('MOVE: the booking takes the free time at `start` at the same clinic and gives its old slot back', async () => {
    const booking = await book('2026-03-26', 'clinic-move');
    const target = await sim.freeSlot('2026-03-27');
    const res = await clinicChange({
      connection: 'nordklinik',
      kind: 'MOVE',
      booking: booking.bookingId,
      start: cet(target.start),
    });
    expect(res.status).toBe(200);
    expect(res.body.booking).toMatchObject({
      bookingId: booking.bookingId,
      slotId: target.id,
      start: target.start,
      end: target.end,
      status: 'booked',
    });
    expect(await slotStatus(booking.slotId)).toBe('free');
    expect(await slotStatus(target.id)).toBe('booked');
    const found = await sim.call('GET', '/bookings?externalRef=clinic-move');
    expect(found.body.data[0]).toMatchObject({ bookingId: booking.bookingId, start: target.start });
  });

  it('MOVE: refuses a time that is taken, or at which the clinic has no time, and changes nothing', async () => {
    const booking = await book('2026-03-26', 'clinic-move-refused');
    const taken = await onlyTimeAt('2026-03-27');
    const other = { slotId: taken.id, externalRef: 'clinic-move-other', patient };
    expect((await sim.call('POST', '/bookings', { body: other })).status).toBe(201);
    const before = await latestSequence();
    for (const start of [cet(taken.start), cet('2026-03-27T03:00:00')]) {
      const res = await clinicChange({
        connection: 'nordklinik',
        kind: 'MOVE',
        booking: booking.bookingId,
        start,
      });
      expect(res).toMatchObject({ status: 409, body: { error: 'slot_taken' } });
    }
    expect((await sim.call('GET', `/bookings/${booking.bookingId}`)).body.slotId).toBe(
      booking.slotId,
    );
    expect(await latestSequence()).toBe(before);
  });

  it('NO_SHOW: the booking is marked a no-show, keeps its slot, and can no longer be cancelled', async () => {
    const booking = await book('2026-03-26', 'clinic-no-show');
    const res = await clinicChange({
      connection: 'nordklinik',
      kind: 'NO_SHOW',
      booking: booking.bookingId,
    });
    expect(res).toMatchObject({ status: 200, body: { booking: { status: 'no_show' } } });
    expect(await slotStatus(booking.slotId)).toBe('booked');
    const cancel = await sim.call('DELETE', `/bookings/${booking.bookingId}`);
    expect(cancel).toMatchObject({ status: 409, body: { error: 'too_late_to_cancel' } });
    const again = await clinicChange({
      connection: 'nordklinik',
      kind: 'NO_SHOW',
      booking: booking.bookingId,
    });
    expect(again.status).toBe(409);
  });

  it('OPEN_SLOT: opens the first time at or after `start` a practitioner has none, which is listed, free and bookable', async () => {
    // 10:00 on a Thursday: CL1001's practitioners have times until 12:00, but the physiotherapist's
    // last 45-minute time ends at 11:45, and a new one fits from then into the lunch hour.
    const res = await clinicChange({
      connection: 'nordklinik',
      kind: 'OPEN_SLOT',
      clinic: 'CL1001',
      start: cet('2026-03-26T10:00:00'),
    });
    expect(res.status).toBe(200);
    const slot = res.body.slot as { id: string; start: string; end: string; clinicId: string };
    expect(slot).toEqual({
      id: 'SL-CL1001-PR1103-202603261145',
      clinicId: 'CL1001',
      practitionerId: 'PR1103',
      practitionerName: 'Sara Ekström',
      serviceCodes: ['FYS45'],
      start: '2026-03-26T11:45:00',
      end: '2026-03-26T12:30:00',
    });
    const listed = await sim.call(
      'GET',
      '/slots?from=2026-03-26T11:00:00&to=2026-03-26T13:00:00&clinicId=CL1001',
    );
    expect(listed.body.data.map((s: { id: string }) => s.id)).toContain(slot.id);
    expect(await slotStatus(slot.id)).toBe('free');
    const booked = await sim.call('POST', '/bookings', {
      body: { slotId: slot.id, externalRef: 'opened', patient },
    });
    expect(booked).toMatchObject({ status: 201, body: { start: slot.start, end: slot.end } });
    // The same request again opens the next free time, not the one just booked.
    const next = await clinicChange({
      connection: 'nordklinik',
      kind: 'OPEN_SLOT',
      clinic: 'CL1001',
      start: cet('2026-03-26T10:00:00'),
    });
    expect(next.body.slot.id).not.toBe(slot.id);
  });

  it('answers 404 for an unknown tenant, booking or clinic, and 400 for a malformed body, changing nothing', async () => {
    const before = await latestSequence();
    const refusals: [unknown, number][] = [
      [{ connection: 'nowhere', kind: 'CANCEL', booking: 'BK-000001' }, 404],
      [{ connection: 'nordklinik', kind: 'CANCEL', booking: 'BK-nope' }, 404],
      [
        {
          connection: 'nordklinik',
          kind: 'OPEN_SLOT',
          clinic: 'CL9999',
          start: cet('2026-03-26T10:00:00'),
        },
        404,
      ],
      [{ connection: 'nordklinik', kind: 'CANCEL' }, 400],
      [{ connection: 'nordklinik', kind: 'TELEPORT', booking: 'BK-000001' }, 400],
      [
        {
          connection: 'nordklinik',
          kind: 'MOVE',
          booking: 'BK-000001',
          start: '2026-03-26T10:00:00',
        },
        400,
      ],
      [{ kind: 'OPEN_SLOT', clinic: 'CL1001', start: cet('2026-03-26T10:00:00') }, 400],
      ['not an object', 400],
    ];
    for (const [body, status] of refusals) {
      const res = await clinicChange(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error).toMatch(
        /^(not_found|booking_not_found|clinic_not_found|invalid_request)$/,
      );
    }
    expect(await latestSequence()).toBe(before);
  });

  it('lets exactly one of ten concurrent moves to one free time win', async () => {
    const bookings = [];
    for (let i = 0; i < 10; i += 1) bookings.push(await book('2026-03-26', `race-${i}`));
    const target = await onlyTimeAt('2026-03-30');
    const answers = await Promise.all(
      bookings.map((booking) =>
        clinicChange({
          connection: 'nordklinik',
          kind: 'MOVE',
          booking: booking.bookingId,
          // CEST from 29 March.
          start: new Date(`${target.start}+02:00`).toISOString(),
        }),
      ),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(9);
    const onTarget = (await sim.apiBookings()).filter((b) => b.slotId === target.id);
    expect(onTarget).toHaveLength(1);
  });
});
