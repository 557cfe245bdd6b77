import { describe, expect, it } from 'vitest';
import {
  admin,
  book,
  cancel,
  confirm,
  coordinationPatient,
  fhir,
  findSlots,
  freeSlot,
  hold,
  lookUp,
  nextReservationId,
  nord,
  setNow,
  slotState,
  startOfTest,
  syd,
  useFhirSubgraph,
} from './fhirSubgraph.js';

useFhirSubgraph();

describe('book', () => {
  it('creates the Patient (personnummer) and a booked Appointment carrying the reservation id, and marks the slot busy', async () => {
    const slotId = await freeSlot();
    const { reservationId, result } = await book(slotId);
    expect(result.error).toBeNull();
    expect(result.booking).toMatchObject({
      reservationId,
      slotId,
      status: 'BOOKED',
      expiresAt: null,
    });
    const appointment = await fhir(`Appointment/${result.booking.providerReference}`);
    expect(appointment).toMatchObject({
      status: 'booked',
      identifier: [{ system: 'urn:booking-platform:reservation', value: reservationId }],
      slot: [{ reference: `Slot/${slotId}` }],
      comment: 'Ont i halsen',
    });
    const patientRef = appointment.participant[0].actor.reference;
    const stored = await fhir(patientRef);
    expect(stored.identifier).toEqual([
      { system: 'http://electronichealth.se/identifier/personnummer', value: '199001010017' },
    ]);
    expect((await fhir(`Slot/${slotId}`)).status).toBe('busy');
    expect(await slotState(nord, slotId)).toBe('BOOKED');
    // The same person booking again is found, not created twice.
    const second = await book(await freeSlot());
    const again = await fhir(`Appointment/${second.result.booking.providerReference}`);
    expect(again.participant[0].actor.reference).toBe(patientRef);
  });

  it('files a coordination number (day of birth 61+) under the samordningsnummer system', async () => {
    const { result } = await book(await freeSlot(), nextReservationId(), coordinationPatient);
    const appointment = await fhir(`Appointment/${result.booking.providerReference}`);
    const stored = await fhir(appointment.participant[0].actor.reference);
    expect(stored.identifier[0].system).toBe(
      'http://electronichealth.se/identifier/samordningsnummer',
    );
  });

  it('answers SLOT_UNAVAILABLE when another client books the slot between our read and our write (412)', async () => {
    const slotId = await freeSlot();
    await admin('POST', 'config', { takeOnRead: 1 });
    const { result } = await book(slotId);
    expect(result.error?.code).toBe('SLOT_UNAVAILABLE');
    expect((await admin('GET', 'config')).body.takeOnRead).toBe(0);
    const appointments = (await admin('GET', `appointments?organization=halsanord`)).body
      .appointments;
    const onSlot = appointments.filter((a: { slotId: string }) => a.slotId === slotId);
    expect(onSlot).toHaveLength(1);
    expect(onSlot[0].identifier[0].system).not.toBe('urn:booking-platform:reservation');
  });

  it('books anyway when another client only edited the slot in between: reads again, writes again', async () => {
    const slotId = await freeSlot();
    await admin('POST', 'config', { touchOnRead: 1 });
    const { result } = await book(slotId);
    expect(result.error).toBeNull();
    expect(result.booking.status).toBe('BOOKED');
  });

  it('lets exactly one of eight concurrent bookings of one slot succeed', async () => {
    const slotId = await freeSlot();
    const results = await Promise.all(Array.from({ length: 8 }, () => book(slotId)));
    const booked = results.filter((r) => r.result?.booking?.status === 'BOOKED');
    expect(booked).toHaveLength(1);
    for (const other of results.filter((r) => r !== booked[0])) {
      expect(other.result.error.code).toBe('SLOT_UNAVAILABLE');
    }
    const appointments = (await admin('GET', 'appointments?organization=halsanord&status=booked'))
      .body.appointments;
    expect(appointments.filter((a: { slotId: string }) => a.slotId === slotId)).toHaveLength(1);
  });

  it('answers five concurrent repeats of one reservation with one and the same booking', async () => {
    const slotId = await freeSlot();
    const reservationId = nextReservationId();
    const results = await Promise.all(Array.from({ length: 5 }, () => book(slotId, reservationId)));
    const references = new Set(results.map((r) => r.result.booking?.providerReference));
    expect(references.size).toBe(1);
    expect(results.every((r) => r.result.booking?.status === 'BOOKED')).toBe(true);
    const found = await fhir(
      `Appointment?identifier=urn:booking-platform:reservation|${reservationId}`,
    );
    expect(found.total).toBe(1);
  });

  it('refuses a reservation id already used for another slot, a slot that has started, and an unknown slot', async () => {
    const { reservationId } = await book(await freeSlot());
    const reused = await book(await freeSlot(), reservationId);
    expect(reused.result.error).toMatchObject({ code: 'INVALID_INPUT', field: 'reservationId' });
    setNow(new Date('2026-10-20T15:00:00Z'));
    const early = await findSlots(nord, '2026-10-20T06:00:00Z', '2026-10-20T07:00:00Z');
    expect((await book(early[0]!.id)).result.error.code).toBe('SLOT_UNAVAILABLE');
    expect((await book('slot-nobody-202610200800')).result.error.code).toBe('SLOT_UNAVAILABLE');
  });

  it('answers PROVIDER_UNAVAILABLE when the server refuses, and PROVIDER_TIMEOUT when the answer is lost, then finds the booking', async () => {
    await admin('POST', 'config', { down: true });
    const refused = await book(await freeSlot());
    expect(refused.result.error.code).toBe('PROVIDER_UNAVAILABLE');
    await admin('POST', 'config', { down: false, lostResponses: 1 });
    const slotId = await freeSlot();
    const lost = await book(slotId);
    expect(lost.errors?.[0]?.extensions?.code).toBe('PROVIDER_TIMEOUT');
    expect((await lookUp(nord, lost.reservationId)).booking).toMatchObject({
      status: 'BOOKED',
      slotId,
    });
    const repeated = await book(slotId, lost.reservationId);
    expect(repeated.result.booking.status).toBe('BOOKED');
  });
});

describe('hold, confirm, cancel', () => {
  it('holds (pending + busy-tentative with an expiry), confirms (booked + busy), cancels (cancelled + free)', async () => {
    const slotId = await freeSlot();
    const held = await hold(slotId);
    expect(held.result.booking).toMatchObject({
      status: 'HELD',
      expiresAt: new Date(startOfTest.getTime() + 120_000).toISOString(),
    });
    const reference = held.result.booking.providerReference;
    expect((await fhir(`Slot/${slotId}`)).status).toBe('busy-tentative');
    expect((await fhir(`Appointment/${reference}`)).status).toBe('pending');
    expect(await slotState(nord, slotId)).toBe('HELD');

    const confirmed = await confirm(held.reservationId, reference);
    expect(confirmed.booking).toMatchObject({ status: 'BOOKED', providerReference: reference });
    expect((await fhir(`Slot/${slotId}`)).status).toBe('busy');
    const booked = await fhir(`Appointment/${reference}`);
    expect(booked.extension).toBeUndefined();
    expect(booked.participant).toHaveLength(3);
    expect((await confirm(held.reservationId, reference)).booking.status).toBe('BOOKED');

    const cancelled = await cancel(held.reservationId, reference);
    expect(cancelled.booking.status).toBe('CANCELLED');
    expect((await fhir(`Appointment/${reference}`)).cancelationReason.coding[0].code).toBe(
      'pat-cpp',
    );
    expect((await fhir(`Slot/${slotId}`)).status).toBe('free');
    expect(await slotState(nord, slotId)).toBe('FREE');
    expect((await cancel(held.reservationId, reference)).booking.status).toBe('CANCELLED');
    expect((await lookUp(nord, held.reservationId)).booking?.status).toBe('CANCELLED');
  });

  it('lets a hold lapse: the slot is offered again, confirm answers HOLD_EXPIRED, another reservation takes it', async () => {
    const slotId = await freeSlot();
    const held = await hold(slotId);
    const reference = held.result.booking.providerReference;
    setNow(new Date(startOfTest.getTime() + 121_000));
    expect(await slotState(nord, slotId)).toBe('FREE');
    expect((await lookUp(nord, held.reservationId)).booking?.status).toBe('CANCELLED');
    const offered = await findSlots(nord, '2026-10-20T00:00:00Z', '2026-10-21T00:00:00Z');
    expect(offered.some((s) => s.id === slotId)).toBe(true);
    // Before anyone releases it, another reservation may take it: the lapsed hold is released first.
    const taken = await hold(slotId);
    expect(taken.result.booking.status).toBe('HELD');
    expect((await fhir(`Appointment/${reference}`)).status).toBe('cancelled');
    expect((await confirm(held.reservationId, reference)).error.code).toBe('HOLD_EXPIRED');
  });

  it('answers HOLD_EXPIRED to a confirm after the lapse and releases the slot', async () => {
    const slotId = await freeSlot();
    const held = await hold(slotId);
    setNow(new Date(startOfTest.getTime() + 600_000));
    const result = await confirm(held.reservationId, held.result.booking.providerReference);
    expect(result.error.code).toBe('HOLD_EXPIRED');
    expect((await fhir(`Slot/${slotId}`)).status).toBe('free');
  });

  it('refuses a second hold on a held slot, and books a held slot for the reservation holding it', async () => {
    const slotId = await freeSlot();
    const held = await hold(slotId);
    expect((await hold(slotId)).result.error.code).toBe('SLOT_UNAVAILABLE');
    const again = await hold(slotId, held.reservationId);
    expect(again.result.booking.providerReference).toBe(held.result.booking.providerReference);
    const booked = await book(slotId, held.reservationId);
    expect(booked.result.booking).toMatchObject({
      status: 'BOOKED',
      providerReference: held.result.booking.providerReference,
    });
  });

  it('answers NOT_FOUND for a reference of another reservation or of the other organisation', async () => {
    const { reservationId, result } = await book(await freeSlot());
    const reference = result.booking.providerReference;
    expect((await cancel(nextReservationId(), reference)).error.code).toBe('NOT_FOUND');
    expect((await cancel(reservationId, reference, syd)).error.code).toBe('NOT_FOUND');
    expect((await confirm(reservationId, 'no-such-appointment')).error.code).toBe('NOT_FOUND');
    // Searched by the reservation's identifier: certainly none at the other organisation's clinics.
    expect((await lookUp(syd, reservationId)).status).toBe('NOT_BOOKED');
    expect((await lookUp(nord, nextReservationId())).status).toBe('NOT_BOOKED');
  });

  it('refuses to cancel an appointment that has started', async () => {
    const { reservationId, result } = await book(await freeSlot());
    setNow(new Date('2026-10-21T00:00:00Z'));
    expect((await cancel(reservationId, result.booking.providerReference)).error.code).toBe(
      'NOT_CANCELLABLE',
    );
  });
});
