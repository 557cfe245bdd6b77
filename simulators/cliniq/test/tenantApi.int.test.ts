import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { patient, startSimulator, type TestSimulator } from './startSimulator.js';

const localTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
let sim: TestSimulator;

beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

describe('auth', () => {
  it('answers 401 unauthorized without an X-Api-Key', async () => {
    const res = await sim.call('GET', '/clinics', { apiKey: null });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthorized', message: expect.any(String) });
  });

  it("answers 401 to another tenant's key", async () => {
    const res = await sim.call('GET', '/clinics', { apiKey: 'dev-key-vastkusten' });
    expect(res.status).toBe(401);
  });

  it('answers 404 for an unknown tenant', async () => {
    const res = await sim.call('GET', '/clinics', { tenant: 'okand', apiKey: 'x' });
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not_found');
  });

  it("serves each tenant only its own clinics, with Cliniq's field names", async () => {
    const res = await sim.call('GET', '/clinics', { tenant: 'vastkusten' });
    expect(res.status).toBe(200);
    expect(res.body.data.map((c: { address: { city: string } }) => c.address.city)).toEqual([
      'Göteborg',
      'Göteborg',
      'Malmö',
    ]);
    expect(res.body.data[0]).toMatchObject({
      id: 'CL2001',
      address: { postalCode: '413 04' },
      geo: { lat: expect.any(Number), lng: expect.any(Number) },
      timezone: 'Europe/Stockholm',
    });
  });
});

describe('pagination', () => {
  const week = '/slots?from=2026-03-26T00:00:00&to=2026-04-02T00:00:00';

  it('pages 1-based and the pages add up to totalItems without duplicates', async () => {
    const first = await sim.call('GET', `${week}&pageSize=40`);
    expect(first.body).toMatchObject({ page: 1, pageSize: 40 });
    const { totalItems, totalPages } = first.body;
    expect(totalPages).toBe(Math.ceil(totalItems / 40));
    expect(totalPages).toBeGreaterThan(2);
    const ids: string[] = [];
    for (let page = 1; page <= totalPages; page += 1) {
      const res = await sim.call('GET', `${week}&pageSize=40&page=${page}`);
      ids.push(...res.body.data.map((s: { id: string }) => s.id));
    }
    expect(ids).toHaveLength(totalItems);
    expect(new Set(ids).size).toBe(totalItems);
    const beyond = await sim.call('GET', `${week}&pageSize=40&page=${totalPages + 1}`);
    expect(beyond.body.data).toEqual([]);
  });

  it('defaults to 25 per page and caps pageSize at 100', async () => {
    expect((await sim.call('GET', week)).body.pageSize).toBe(25);
    const capped = await sim.call('GET', `${week}&pageSize=500`);
    expect(capped.body.pageSize).toBe(100);
    expect(capped.body.data).toHaveLength(100);
  });

  it('answers 400 invalid_request for page 0', async () => {
    const res = await sim.call('GET', `${week}&page=0`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
  });
});

describe('slots', () => {
  it('answers Stockholm wall times without offset, 08:00 also after the DST switch', async () => {
    const res = await sim.call(
      'GET',
      '/slots?from=2026-03-30T00:00:00&to=2026-03-31T00:00:00&practitionerId=PR1201&pageSize=100',
    );
    expect(res.status).toBe(200);
    for (const slot of res.body.data) {
      expect(slot.start).toMatch(localTime);
      expect(slot.end).toMatch(localTime);
    }
    expect(res.body.data[0]).toMatchObject({
      id: 'SL-CL1002-PR1201-202603300800',
      start: '2026-03-30T08:00:00',
      end: '2026-03-30T08:20:00',
      practitionerName: 'Johan Berg',
    });
  });

  it('refuses from/to with an offset, a missing to, and a window over 31 days', async () => {
    const withOffset = await sim.call(
      'GET',
      '/slots?from=2026-03-26T00:00:00Z&to=2026-03-27T00:00:00Z',
    );
    const missingTo = await sim.call('GET', '/slots?from=2026-03-26T00:00:00');
    const tooLong = await sim.call('GET', '/slots?from=2026-03-26T00:00:00&to=2026-04-27T00:00:00');
    for (const res of [withOffset, missingTo, tooLong]) {
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
    }
  });

  it('lists only slots starting at or after now, ordered by start then id', async () => {
    const res = await sim.call(
      'GET',
      '/slots?from=2026-03-25T00:00:00&to=2026-03-26T00:00:00&pageSize=100',
    );
    const starts: string[] = res.body.data.map((s: { start: string }) => s.start);
    expect(starts.length).toBeGreaterThan(0);
    expect(starts.every((start) => start >= '2026-03-25T09:00:00')).toBe(true);
    const keys = res.body.data.map((s: { start: string; id: string }) => `${s.start} ${s.id}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('filters by repeated or comma-separated clinicId and by serviceCode', async () => {
    const window = 'from=2026-03-26T00:00:00&to=2026-03-27T00:00:00&pageSize=100';
    const comma = await sim.call('GET', `/slots?${window}&clinicId=CL1001,CL1003`);
    const repeated = await sim.call('GET', `/slots?${window}&clinicId=CL1001&clinicId=CL1003`);
    expect(comma.body.totalItems).toBe(repeated.body.totalItems);
    const clinics = new Set(comma.body.data.map((s: { clinicId: string }) => s.clinicId));
    expect([...clinics].sort()).toEqual(['CL1001', 'CL1003']);
    const physio = await sim.call('GET', `/slots?${window}&serviceCode=FYS45`);
    expect(physio.body.data.length).toBeGreaterThan(0);
    for (const slot of physio.body.data) expect(slot.serviceCodes).toContain('FYS45');
  });

  it("leaves out slots other patients booked, and shows them as 'booked'", async () => {
    const listed = await sim.call(
      'GET',
      '/slots?from=2026-03-26T00:00:00&to=2026-03-27T00:00:00&pageSize=100',
    );
    // Other patients' bookings of a day exist from the moment the day is first looked at.
    const seeded = (await sim.admin('GET', 'bookings?tenant=nordklinik')).body.bookings.filter(
      (b: { origin: string; start: string }) =>
        b.origin === 'seed' && b.start.startsWith('2026-03-26'),
    );
    expect(seeded.length).toBeGreaterThan(0);
    const listedIds = new Set(listed.body.data.map((s: { id: string }) => s.id));
    for (const booking of seeded) expect(listedIds.has(booking.slotId)).toBe(false);
    const one = await sim.call('GET', `/slots/${seeded[0].slotId}`);
    expect(one.body.status).toBe('booked');
  });

  it('answers 404 slot_not_found for ids off the grid, on closed days or out of range', async () => {
    for (const id of [
      'SL-CL1001-PR1101-202603260805',
      'SL-CL1002-PR1201-202603290800',
      'SL-CL1001-PR1101-203003260800',
      'SL-CL9999-PR1101-202603260800',
    ]) {
      const res = await sim.call('GET', `/slots/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('slot_not_found');
    }
  });
});

describe('booking horizons', () => {
  const daySlots = async (tenant: string, clinicId: string, day: string, next: string) =>
    (
      await sim.call(
        'GET',
        `/slots?from=${day}T00:00:00&to=${next}T00:00:00&clinicId=${clinicId}&pageSize=100`,
        { tenant },
      )
    ).body.data as { id: string }[];

  it("opens each clinic's book for its own horizon (the clock says 2026-03-25)", async () => {
    // Nordklinik Södermalm, primary care: 28 days.
    expect(
      (await daySlots('nordklinik', 'CL1001', '2026-04-22', '2026-04-23')).length,
    ).toBeGreaterThan(0);
    expect(await daySlots('nordklinik', 'CL1001', '2026-04-23', '2026-04-24')).toEqual([]);
    const beyond = await sim.call('GET', '/slots/SL-CL1001-PR1101-202604230800');
    expect(beyond.body.error).toBe('slot_not_found');
    // Västkusten Linné, with child health care: 90 days.
    const last = await daySlots('vastkusten', 'CL2001', '2026-06-23', '2026-06-24');
    expect(last.length).toBeGreaterThan(0);
    expect(await daySlots('vastkusten', 'CL2001', '2026-06-24', '2026-06-25')).toEqual([]);
    const far = await sim.call('GET', `/slots/${last[0]!.id}`, { tenant: 'vastkusten' });
    expect(far.status).toBe(200);
  });

  it('generates a day only when it is first asked for, however far ahead', async () => {
    const bookings = () => [...sim.simulator.state.tenants.get('vastkusten')!.bookings.values()];
    expect(bookings()).toEqual([]);
    await daySlots('vastkusten', 'CL2001', '2026-06-16', '2026-06-23');
    const days = new Set(bookings().map((b) => b.slot.start.slice(0, 10)));
    expect(days.size).toBeGreaterThan(0);
    expect([...days].every((day) => day >= '2026-06-16' && day < '2026-06-23')).toBe(true);
  });

  it('daysAhead replaces every clinic’s horizon', async () => {
    await sim.close();
    sim = await startSimulator({ daysAhead: 10 });
    expect(
      (await daySlots('nordklinik', 'CL1001', '2026-04-04', '2026-04-05')).length,
    ).toBeGreaterThan(0);
    expect(await daySlots('nordklinik', 'CL1001', '2026-04-05', '2026-04-07')).toEqual([]);
    expect(await daySlots('vastkusten', 'CL2001', '2026-04-06', '2026-04-07')).toEqual([]);
  });
});

describe('holds and bookings', () => {
  it('walks a slot free → held → booked → free through hold, confirm and cancel', async () => {
    const slot = await sim.freeSlot('2026-03-26');
    const hold = await sim.call('POST', '/holds', {
      body: { slotId: slot.id, externalRef: 'r-1' },
    });
    expect(hold.status).toBe(201);
    expect(hold.body).toMatchObject({ slotId: slot.id, externalRef: 'r-1', status: 'held' });
    expect(hold.body.expiresAt).toBe('2026-03-25T09:05:00');
    expect((await sim.call('GET', `/slots/${slot.id}`)).body.status).toBe('held');

    const confirmed = await sim.call('POST', `/holds/${hold.body.holdId}/confirm`, {
      body: { patient, note: 'Ont i ryggen' },
    });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body).toMatchObject({
      slotId: slot.id,
      externalRef: 'r-1',
      status: 'booked',
      start: slot.start,
      end: slot.end,
      clinicId: 'CL1001',
    });
    expect((await sim.call('GET', `/slots/${slot.id}`)).body.status).toBe('booked');
    const again = await sim.call('POST', `/holds/${hold.body.holdId}/confirm`, {
      body: { patient },
    });
    expect(again.status).toBe(200);
    expect(again.body.bookingId).toBe(confirmed.body.bookingId);
    const release = await sim.call('DELETE', `/holds/${hold.body.holdId}`);
    expect(release.body.error).toBe('hold_confirmed');

    const cancelled = await sim.call('DELETE', `/bookings/${confirmed.body.bookingId}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await sim.call('GET', `/slots/${slot.id}`)).body.status).toBe('free');
    const twice = await sim.call('DELETE', `/bookings/${confirmed.body.bookingId}`);
    expect(twice.status).toBe(200);
    expect(twice.body.status).toBe('cancelled');
  });

  it('releasing a hold frees the slot, and the released hold cannot be confirmed', async () => {
    const slot = await sim.freeSlot('2026-03-26');
    const hold = await sim.call('POST', '/holds', {
      body: { slotId: slot.id, externalRef: 'r-2' },
    });
    const release = await sim.call('DELETE', `/holds/${hold.body.holdId}`);
    expect(release.status).toBe(204);
    expect((await sim.call('GET', `/slots/${slot.id}`)).body.status).toBe('free');
    const confirm = await sim.call('POST', `/holds/${hold.body.holdId}/confirm`, {
      body: { patient },
    });
    expect(confirm.status).toBe(410);
    expect(confirm.body.error).toBe('hold_released');
  });

  it('expires a hold by the injected clock: 410 hold_expired and the slot is free again', async () => {
    const slot = await sim.freeSlot('2026-03-26');
    const hold = await sim.call('POST', '/holds', {
      body: { slotId: slot.id, externalRef: 'r-3' },
    });
    sim.clock.advanceSeconds(299);
    expect((await sim.call('GET', `/slots/${slot.id}`)).body.status).toBe('held');
    sim.clock.advanceSeconds(1);
    expect((await sim.call('GET', `/slots/${slot.id}`)).body.status).toBe('free');
    const confirm = await sim.call('POST', `/holds/${hold.body.holdId}/confirm`, {
      body: { patient },
    });
    expect(confirm.status).toBe(410);
    expect(confirm.body.error).toBe('hold_expired');
    const other = await sim.call('POST', '/holds', {
      body: { slotId: slot.id, externalRef: 'r-4' },
    });
    expect(other.status).toBe(201);
  });

  it('answers 409 slot_taken when another externalRef holds or books the slot', async () => {
    const slot = await sim.freeSlot('2026-03-26');
    await sim.call('POST', '/holds', { body: { slotId: slot.id, externalRef: 'first' } });
    const hold = await sim.call('POST', '/holds', {
      body: { slotId: slot.id, externalRef: 'second' },
    });
    const booking = await sim.call('POST', '/bookings', {
      body: { slotId: slot.id, externalRef: 'third', patient },
    });
    for (const res of [hold, booking]) {
      expect(res.status).toBe(409);
      expect(res.body.error).toBe('slot_taken');
    }
  });

  it('is idempotent by externalRef for holds and bookings, also after a cancel', async () => {
    const slot = await sim.freeSlot('2026-03-27');
    const hold1 = await sim.call('POST', '/holds', {
      body: { slotId: slot.id, externalRef: 'h-1' },
    });
    const hold2 = await sim.call('POST', '/holds', {
      body: { slotId: slot.id, externalRef: 'h-1' },
    });
    expect([hold1.status, hold2.status]).toEqual([201, 200]);
    expect(hold2.body.holdId).toBe(hold1.body.holdId);

    const other = await sim.freeSlot('2026-03-30');
    const body = { slotId: other.id, externalRef: 'b-1', patient };
    const first = await sim.call('POST', '/bookings', { body });
    const second = await sim.call('POST', '/bookings', { body });
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body.bookingId).toBe(first.body.bookingId);
    await sim.call('DELETE', `/bookings/${first.body.bookingId}`);
    const afterCancel = await sim.call('POST', '/bookings', { body });
    expect(afterCancel.status).toBe(200);
    expect(afterCancel.body).toMatchObject({
      bookingId: first.body.bookingId,
      status: 'cancelled',
    });
    expect(await sim.apiBookings()).toHaveLength(1);

    const elsewhere = await sim.call('POST', '/bookings', { body: { ...body, slotId: slot.id } });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.error).toBe('idempotency_conflict');
  });

  it('finds bookings and holds by externalRef for reconciliation', async () => {
    const slot = await sim.freeSlot('2026-03-26');
    const hold = await sim.call('POST', '/holds', {
      body: { slotId: slot.id, externalRef: 'rec-1' },
    });
    const holds = await sim.call('GET', '/holds?externalRef=rec-1');
    expect(holds.body.data).toEqual([hold.body]);
    expect((await sim.call('GET', '/bookings?externalRef=rec-1')).body.data).toEqual([]);
    const booking = await sim.call('POST', `/holds/${hold.body.holdId}/confirm`, {
      body: { patient },
    });
    const bookings = await sim.call('GET', '/bookings?externalRef=rec-1');
    expect(bookings.body.data).toEqual([booking.body]);
    expect((await sim.call('GET', `/bookings/${booking.body.bookingId}`)).body).toEqual(
      booking.body,
    );
  });

  it('answers 422 invalid_patient for a personalIdentityNumber that is not 12 digits', async () => {
    const slot = await sim.freeSlot('2026-03-26');
    const res = await sim.call('POST', '/bookings', {
      body: {
        slotId: slot.id,
        externalRef: 'p-1',
        patient: { ...patient, personalIdentityNumber: '900101-1234' },
      },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: 'invalid_patient', field: 'personalIdentityNumber' });
    expect((await sim.call('GET', `/slots/${slot.id}`)).body.status).toBe('free');
  });

  it("never echoes the patient's identity number", async () => {
    const slot = await sim.freeSlot('2026-03-26');
    const made = await sim.call('POST', '/bookings', {
      body: { slotId: slot.id, externalRef: 'pin-1', patient },
    });
    const listed = await sim.call('GET', '/bookings?externalRef=pin-1');
    const adminView = await sim.admin('GET', 'bookings');
    for (const res of [made, listed, adminView]) {
      expect(JSON.stringify(res.body)).not.toContain(patient.personalIdentityNumber);
    }
  });

  it('answers 409 too_late_to_cancel within an hour of the start', async () => {
    const slot = await sim.freeSlot('2026-03-26');
    const made = await sim.call('POST', '/bookings', {
      body: { slotId: slot.id, externalRef: 'late-1', patient },
    });
    // 30 minutes before the slot; the slot's local time is CET (UTC+1) in March before the switch.
    const startUtc = new Date(`${slot.start}+01:00`).getTime();
    sim.clock.set(new Date(startUtc - 30 * 60_000).toISOString());
    const res = await sim.call('DELETE', `/bookings/${made.body.bookingId}`);
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('too_late_to_cancel');
  });

  it('answers 409 slot_in_past for a slot that has already started', async () => {
    const res = await sim.call('POST', '/holds', {
      body: { slotId: 'SL-CL1001-PR1101-202603250800', externalRef: 'past-1' },
    });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('slot_in_past');
  });
});
