import { describe, expect, it } from 'vitest';
import {
  bookingQuery,
  bookMutation,
  cancelMutation,
  configureSimulator,
  confirmMutation,
  graphql,
  holdMutation,
  logLines,
  mondaySlots,
  nextReservationId,
  patient,
  setSimulatorNow,
  simulatorUrl,
  slotQuery,
  startOfTest,
  useCliniqSubgraph,
} from './cliniqSubgraph.js';

useCliniqSubgraph();

describe('provider-cliniq: booking at the Cliniq simulator', () => {
  it('holds, confirms, finds by reservation id and cancels a booking', async () => {
    const [slot] = await mondaySlots();
    const reservationId = nextReservationId();
    const connectionId = 'cliniq-nordklinik';

    const held = await graphql(holdMutation, {
      input: { connectionId, slotId: slot!.id, reservationId },
    });
    expect(held.data.contractHold).toEqual({
      booking: {
        reservationId,
        slotId: slot!.id,
        status: 'HELD',
        providerReference: expect.stringMatching(/^HD-/),
        // Five minutes after the simulator's clock, converted from Stockholm time.
        expiresAt: '2026-03-25T08:05:00.000Z',
      },
      error: null,
    });
    const holdId = held.data.contractHold.booking.providerReference;
    const whileHeld = await graphql(slotQuery, { connectionId, slotId: slot!.id });
    expect(whileHeld.data.contractSlot).toMatchObject({
      status: 'HELD',
      slot: { id: slot!.id, start: slot!.start },
    });

    const confirmed = await graphql(confirmMutation, {
      input: {
        connectionId,
        reservationId,
        providerReference: holdId,
        patient,
        note: 'Ont i halsen',
      },
    });
    expect(confirmed.data.contractConfirm.error).toBeNull();
    expect(confirmed.data.contractConfirm.booking).toMatchObject({
      reservationId,
      status: 'BOOKED',
      providerReference: expect.stringMatching(/^BK-/),
      expiresAt: null,
    });
    const bookingId = confirmed.data.contractConfirm.booking.providerReference;

    const found = await graphql(bookingQuery, { connectionId, reservationId });
    expect(found.data.contractBooking).toEqual({
      status: 'FOUND',
      booking: {
        reservationId,
        slotId: slot!.id,
        status: 'BOOKED',
        providerReference: bookingId,
        expiresAt: null,
      },
      reason: null,
    });

    const cancelled = await graphql(cancelMutation, {
      input: { connectionId, reservationId, providerReference: bookingId },
    });
    expect(cancelled.data.contractCancel.booking).toMatchObject({
      status: 'CANCELLED',
      providerReference: bookingId,
    });
    const again = await graphql(cancelMutation, {
      input: { connectionId, reservationId, providerReference: bookingId },
    });
    expect(again.data.contractCancel.booking).toMatchObject({ status: 'CANCELLED' });
    const afterwards = await graphql(slotQuery, { connectionId, slotId: slot!.id });
    expect(afterwards.data.contractSlot.status).toBe('FREE');
  });

  it('releases a hold when cancelled by its hold reference, and reports it CANCELLED', async () => {
    const [slot] = await mondaySlots('cliniq-vastkusten', 'CL2002');
    const reservationId = nextReservationId();
    const connectionId = 'cliniq-vastkusten';
    const held = await graphql(holdMutation, {
      input: { connectionId, slotId: slot!.id, reservationId },
    });
    const holdId = held.data.contractHold.booking.providerReference;
    const released = await graphql(cancelMutation, {
      input: { connectionId, reservationId, providerReference: holdId },
    });
    expect(released.data.contractCancel.booking).toMatchObject({
      status: 'CANCELLED',
      slotId: slot!.id,
    });
    const state = await graphql(slotQuery, { connectionId, slotId: slot!.id });
    expect(state.data.contractSlot.status).toBe('FREE');
    const wrongOwner = await graphql(cancelMutation, {
      input: { connectionId, reservationId: 'someone-else', providerReference: holdId },
    });
    expect(wrongOwner.data.contractCancel.error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers SLOT_UNAVAILABLE when holding a slot another reservation holds', async () => {
    const [slot] = await mondaySlots();
    const connectionId = 'cliniq-nordklinik';
    const first = await graphql(holdMutation, {
      input: { connectionId, slotId: slot!.id, reservationId: nextReservationId() },
    });
    expect(first.data.contractHold.booking.status).toBe('HELD');
    const second = await graphql(holdMutation, {
      input: { connectionId, slotId: slot!.id, reservationId: nextReservationId() },
    });
    expect(second.data.contractHold).toEqual({
      booking: null,
      error: { code: 'SLOT_UNAVAILABLE', message: expect.any(String), field: null },
    });
    const unknown = await graphql(holdMutation, {
      input: {
        connectionId,
        slotId: 'SL-CL1001-PR1101-209912310800',
        reservationId: nextReservationId(),
      },
    });
    expect(unknown.data.contractHold.error.code).toBe('SLOT_UNAVAILABLE');
  });

  it('books idempotently: the same reservation id gives the same provider reference', async () => {
    const [slot, other] = await mondaySlots();
    const connectionId = 'cliniq-nordklinik';
    const reservationId = nextReservationId();
    const input = { connectionId, slotId: slot!.id, reservationId, patient };
    const first = await graphql(bookMutation, { input });
    const second = await graphql(bookMutation, { input });
    expect(first.data.contractBook.booking).toMatchObject({ status: 'BOOKED', reservationId });
    expect(second.data.contractBook.booking.providerReference).toBe(
      first.data.contractBook.booking.providerReference,
    );
    const elsewhere = await graphql(bookMutation, { input: { ...input, slotId: other!.id } });
    expect(elsewhere.data.contractBook.error).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'reservationId',
    });
  });

  it('reports patient data Cliniq refuses as INVALID_INPUT on the contract field', async () => {
    const [slot] = await mondaySlots();
    const result = await graphql(bookMutation, {
      input: {
        connectionId: 'cliniq-nordklinik',
        slotId: slot!.id,
        reservationId: nextReservationId(),
        patient: { ...patient, givenName: '   ' },
      },
    });
    expect(result.data.contractBook.error).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'patient.givenName',
    });
  });

  it('refuses a write Cliniq’s document does not allow as INVALID_INPUT, without sending it', async () => {
    const [slot] = await mondaySlots();
    const result = await graphql(holdMutation, {
      input: {
        connectionId: 'cliniq-nordklinik',
        slotId: slot!.id,
        reservationId: 'r'.repeat(129),
      },
    });
    expect(result.data.contractHold.error).toMatchObject({ code: 'INVALID_INPUT' });
    const held = await fetch(`${simulatorUrl()}/_admin/bookings?tenant=nordklinik`);
    expect(((await held.json()) as { holds: unknown[] }).holds).toEqual([]);
  });

  it('answers HOLD_EXPIRED when confirming a lapsed hold, which then reads as CANCELLED', async () => {
    const [slot] = await mondaySlots();
    const connectionId = 'cliniq-nordklinik';
    const reservationId = nextReservationId();
    const held = await graphql(holdMutation, {
      input: { connectionId, slotId: slot!.id, reservationId },
    });
    setSimulatorNow(new Date(startOfTest.getTime() + 301_000));
    const confirmed = await graphql(confirmMutation, {
      input: {
        connectionId,
        reservationId,
        providerReference: held.data.contractHold.booking.providerReference,
        patient,
      },
    });
    expect(confirmed.data.contractConfirm.error).toMatchObject({ code: 'HOLD_EXPIRED' });
    const found = await graphql(bookingQuery, { connectionId, reservationId });
    expect(found.data.contractBooking.booking).toMatchObject({
      status: 'CANCELLED',
      expiresAt: '2026-03-25T08:05:00.000Z',
    });
  });

  it('answers NOT_CANCELLABLE within Cliniq’s cut-off before the start', async () => {
    const [slot] = await mondaySlots();
    const connectionId = 'cliniq-nordklinik';
    const reservationId = nextReservationId();
    const booked = await graphql(bookMutation, {
      input: { connectionId, slotId: slot!.id, reservationId, patient },
    });
    setSimulatorNow(new Date(Date.parse(slot!.start) - 30 * 60_000));
    const cancelled = await graphql(cancelMutation, {
      input: {
        connectionId,
        reservationId,
        providerReference: booked.data.contractBook.booking.providerReference,
      },
    });
    expect(cancelled.data.contractCancel.error).toMatchObject({ code: 'NOT_CANCELLABLE' });
  });

  it('reports a lost answer to a write as PROVIDER_TIMEOUT, reconcilable by reservation id', async () => {
    const [slot] = await mondaySlots();
    const connectionId = 'cliniq-nordklinik';
    const reservationId = nextReservationId();
    await configureSimulator({ lostResponses: 1 });
    const lost = await graphql(bookMutation, {
      input: { connectionId, slotId: slot!.id, reservationId, patient },
    });
    expect(lost.errors?.[0]?.extensions?.code).toBe('PROVIDER_TIMEOUT');
    const found = await graphql(bookingQuery, { connectionId, reservationId });
    expect(found.data.contractBooking.booking).toMatchObject({
      reservationId,
      slotId: slot!.id,
      status: 'BOOKED',
    });
    // Searched by external reference, holds and bookings: certainly none.
    const none = await graphql(bookingQuery, { connectionId, reservationId: 'never-made' });
    expect(none).toEqual({
      data: { contractBooking: { status: 'NOT_BOOKED', booking: null, reason: null } },
    });
  });

  it('maps 429 to PROVIDER_UNAVAILABLE with Retry-After: an error for reads, a typed result for writes', async () => {
    await configureSimulator({ rateLimitPerSecond: 1 });
    const connectionId = 'cliniq-nordklinik';
    // One slot lookup costs one Cliniq call (the clinics are the catalogue's): the second is refused.
    const lookUp = () =>
      graphql(slotQuery, { connectionId, slotId: 'SL-CL1001-PR1101-202603300800' });
    expect((await lookUp()).errors).toBeUndefined();
    const read = await lookUp();
    expect(read.errors?.[0]?.extensions).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      providerStatus: 429,
      retryAfterSeconds: 1,
    });
    const write = await graphql(holdMutation, {
      input: {
        connectionId,
        slotId: 'SL-CL1001-PR1101-202603300800',
        reservationId: nextReservationId(),
      },
    });
    expect(write.data.contractHold).toEqual({
      booking: null,
      error: {
        code: 'PROVIDER_UNAVAILABLE',
        message: expect.stringContaining('retry after 1 s'),
        field: null,
      },
    });
  });

  it('waits out a Retry-After that fits in the deadline and retries the read once', async () => {
    await configureSimulator({ rateLimitPerSecond: 1 });
    const lookUp = () =>
      graphql(slotQuery, {
        connectionId: 'cliniq-vastkusten',
        slotId: 'SL-CL2001-PR2101-202603300800',
      });
    // The first look-up takes the second's token: the second waits for Retry-After.
    expect((await lookUp()).errors).toBeUndefined();
    const started = Date.now();
    const result = await lookUp();
    expect(result.errors).toBeUndefined();
    expect(result.data.contractSlot.slot.id).toBe('SL-CL2001-PR2101-202603300800');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('never logs patient data or API keys, though it logs the bookings it makes', async () => {
    const [slot] = await mondaySlots();
    const connectionId = 'cliniq-nordklinik';
    await graphql(bookMutation, {
      input: { connectionId, slotId: slot!.id, reservationId: nextReservationId(), patient },
    });
    await configureSimulator({ tenants: { nordklinik: { down: true } } });
    await graphql(bookMutation, {
      input: { connectionId, slotId: slot!.id, reservationId: nextReservationId(), patient },
    });
    const logs = logLines.join('');
    expect(logs).toContain('slot booked');
    expect(logs).not.toContain(patient.personalIdentityNumber);
    expect(logs).not.toContain(patient.givenName);
    expect(logs).not.toContain(patient.email);
    expect(logs).not.toContain('dev-key-');
  });
});
