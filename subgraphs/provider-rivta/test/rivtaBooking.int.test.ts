import { describe, expect, it } from 'vitest';
import {
  book,
  bookingsOf,
  cancel,
  configure,
  freeSlot,
  graphql,
  logLines,
  lookUp,
  nextReservationId,
  nightUnit,
  patient,
  restartSubgraph,
  resultFields,
  setSimulatorNow,
  simulatorState,
  slotStatus,
  slots,
  useRivtaSubgraph,
} from './rivtaSubgraph.js';

useRivtaSubgraph();

describe('book and cancel', () => {
  it('books, repeats idempotently, is found by reservation id, cancels twice, and frees the slot', async () => {
    const slot = await freeSlot();
    const reservationId = nextReservationId();
    const first = await book(slot.id, reservationId, { note: 'Ont i ryggen' });
    expect(first.errors).toBeUndefined();
    const booking = first.data.contractBook.booking;
    expect(booking).toMatchObject({ reservationId, slotId: slot.id, status: 'BOOKED' });
    expect(booking.providerReference).toMatch(/^SE2321000016-12A1\|BK\d{8}$/);

    const again = await book(slot.id, reservationId);
    expect(again.data.contractBook.booking.providerReference).toBe(booking.providerReference);
    expect(bookingsOf(reservationId)).toHaveLength(1);
    expect(bookingsOf(reservationId)[0]).toMatchObject({
      subjectOfCare: '199001010017',
      purpose: `Vården:${reservationId}`,
      notification: 'Ont i ryggen',
    });

    expect(await slotStatus(slot.id)).toBe('BOOKED');
    expect(await lookUp(reservationId)).toMatchObject({ status: 'BOOKED', slotId: slot.id });

    const cancelled = await cancel(reservationId, booking.providerReference);
    expect(cancelled.booking).toMatchObject({ status: 'CANCELLED', slotId: slot.id });
    expect((await cancel(reservationId, booking.providerReference)).booking.status).toBe(
      'CANCELLED',
    );
    expect(await lookUp(reservationId)).toMatchObject({ status: 'CANCELLED', slotId: slot.id });
    expect(await slotStatus(slot.id)).toBe('FREE');
  });

  it('books a slot of the repeated autumn hour by its own wall times', async () => {
    const [, ambiguous] = await slots('rivta-natt', '2026-10-25T00:00:00Z', '2026-10-25T01:00:00Z');
    const result = await graphql(
      `mutation ($input: ContractBookInput!) { contractBook(input: $input) { ${resultFields} } }`,
      {
        input: {
          connectionId: 'rivta-natt',
          slotId: ambiguous!.id,
          reservationId: nextReservationId(),
          patient,
        },
      },
    );
    expect(result.data.contractBook.booking).toMatchObject({
      status: 'BOOKED',
      slotId: ambiguous!.id,
    });
    expect(
      simulatorState().units.get(nightUnit.logicalAddress)!.allBookings()[0]!.timeslot.start,
    ).toBe('20261025022000');
  });

  it('answers SLOT_UNAVAILABLE for a slot booked by another reservation, and INVALID_INPUT for a reused reservation id', async () => {
    const slot = await freeSlot();
    const reservationId = nextReservationId();
    expect((await book(slot.id, reservationId)).data.contractBook.booking.status).toBe('BOOKED');
    expect((await book(slot.id)).data.contractBook.error.code).toBe('SLOT_UNAVAILABLE');
    const other = await freeSlot();
    expect((await book(other.id, reservationId)).data.contractBook.error).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'reservationId',
    });
  });

  it('refuses an identity number the producer rejects as INVALID_INPUT on the patient', async () => {
    const slot = await freeSlot();
    const result = await book(slot.id, nextReservationId(), {
      patient: { ...patient, personalIdentityNumber: '199001010018' },
    });
    expect(result.data.contractBook.error).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'patient.personalIdentityNumber',
    });
    expect(await slotStatus(slot.id)).toBe('FREE');
  });

  it('books all the same when the producer shortens a long note (INFO)', async () => {
    const slot = await freeSlot();
    const result = await book(slot.id, nextReservationId(), { note: 'x'.repeat(600) });
    expect(result.data.contractBook.booking.status).toBe('BOOKED');
  });

  it('answers a producer fault on a booking with the typed PROVIDER_UNAVAILABLE', async () => {
    const slot = await freeSlot();
    await configure({ faultRate: 1 });
    const result = await book(slot.id);
    expect(result.errors).toBeUndefined();
    expect(result.data.contractBook.error.code).toBe('PROVIDER_UNAVAILABLE');
  });

  it('finds a booking whose answer was lost, and books idempotently after it', async () => {
    const slot = await freeSlot();
    const reservationId = nextReservationId();
    await configure({ lostResponses: 1 });
    const lost = await book(slot.id, reservationId);
    expect(lost.errors?.[0]?.extensions?.code).toBe('PROVIDER_TIMEOUT');
    const found = await lookUp(reservationId);
    expect(found).toMatchObject({ status: 'BOOKED', slotId: slot.id });
    const again = await book(slot.id, reservationId);
    expect(again.data.contractBook.booking.providerReference).toBe(found.providerReference);
    expect(bookingsOf(reservationId)).toHaveLength(1);
  });

  it('finds a booking made before a restart by its reservation id after it', async () => {
    const slot = await freeSlot();
    const reservationId = nextReservationId();
    const booking = (await book(slot.id, reservationId)).data.contractBook.booking;
    const lostSlot = await freeSlot();
    const lostReservationId = nextReservationId();
    await configure({ lostResponses: 1 });
    expect((await book(lostSlot.id, lostReservationId)).errors?.[0]?.extensions?.code).toBe(
      'PROVIDER_TIMEOUT',
    );

    await restartSubgraph();
    expect(await lookUp(reservationId)).toMatchObject({
      status: 'BOOKED',
      slotId: slot.id,
      providerReference: booking.providerReference,
    });
    // The patient of a booking whose answer was lost is not kept across the restart: the look-up
    // cannot tell, and scheduling books again with the patient, which finds the booking.
    expect(await lookUp(lostReservationId)).toBe('UNKNOWN');
    const again = (await book(lostSlot.id, lostReservationId)).data.contractBook.booking;
    expect(again).toMatchObject({ status: 'BOOKED', slotId: lostSlot.id });
    expect(await lookUp(lostReservationId)).toMatchObject({ status: 'BOOKED' });
    expect(bookingsOf(lostReservationId)).toHaveLength(1);
    const cancelled = await cancel(reservationId, booking.providerReference);
    expect(cancelled.booking).toMatchObject({ status: 'CANCELLED', slotId: slot.id });
  });

  it('reconciles a booking that outlived the caller’s deadline', async () => {
    const slot = await freeSlot();
    const reservationId = nextReservationId();
    await configure({ responseDelayMs: 600 });
    const late = await book(
      slot.id,
      reservationId,
      {},
      { 'x-deadline-at': String(Date.now() + 250) },
    );
    expect(late.errors?.[0]?.extensions?.code).toBe('PROVIDER_TIMEOUT');
    await configure({ responseDelayMs: 0 });
    expect(await lookUp(reservationId)).toMatchObject({ status: 'BOOKED', slotId: slot.id });
  });

  it('refuses to cancel within the cut-off, or with a reference of another reservation', async () => {
    const slot = await freeSlot();
    const reservationId = nextReservationId();
    const booking = (await book(slot.id, reservationId)).data.contractBook.booking;
    expect((await cancel(nextReservationId(), booking.providerReference)).error.code).toBe(
      'NOT_FOUND',
    );
    expect((await cancel(reservationId, 'nonsense')).error.code).toBe('NOT_FOUND');
    setSimulatorNow(new Date(Date.parse(slot.start) - 30 * 60_000));
    expect((await cancel(reservationId, booking.providerReference)).error.code).toBe(
      'NOT_CANCELLABLE',
    );
  });

  it('tells FREE, BOOKED, and null for what cannot be a slot of this unit', async () => {
    const slot = await freeSlot();
    expect(await slotStatus(slot.id)).toBe('FREE');
    expect(await slotStatus(`${slot.id}x`)).toBeNull();
    expect(await slotStatus(slot.id.replace('SE2321000016-12A1', 'SE2321000032-56A1'))).toBeNull();
    expect(await slotStatus('not-a-slot')).toBeNull();
  });

  it('answers UNSUPPORTED to a hold: the platform holds slots itself', async () => {
    const slot = await freeSlot();
    const result = await graphql(
      `mutation ($input: ContractHoldInput!) { contractHold(input: $input) { ${resultFields} } }`,
      {
        input: {
          connectionId: 'rivta-kungsholmen',
          slotId: slot.id,
          reservationId: nextReservationId(),
        },
      },
    );
    expect(result.data.contractHold.error.code).toBe('UNSUPPORTED');
  });

  it('books one slot exactly once when eight reservations race for it', async () => {
    const slot = await freeSlot();
    const results = await Promise.all(Array.from({ length: 8 }, () => book(slot.id)));
    const outcomes = results.map(
      (r) => r.data.contractBook.booking?.status ?? r.data.contractBook.error.code,
    );
    expect(outcomes.filter((o) => o === 'BOOKED')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'SLOT_UNAVAILABLE')).toHaveLength(7);
    const taken = simulatorState()
      .units.get('SE2321000016-1234')!
      .allBookings()
      .filter((b) => b.status === 'booked' && slot.id.includes(b.timeslot.start));
    expect(taken).toHaveLength(1);
  });
});

describe('logging', () => {
  it('never writes patient data to a log line', () => {
    expect(logLines.length).toBeGreaterThan(0);
    const all = logLines.join('\n');
    for (const secret of [
      patient.personalIdentityNumber,
      '199001010018',
      patient.givenName,
      patient.familyName,
      patient.email,
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});
