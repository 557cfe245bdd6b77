import { describe, expect, it } from 'vitest';
import {
  atClinic,
  book,
  callsToKungsholmen,
  forgetCalls,
  freeSlot,
  graphql,
  nextReservationId,
  useRivtaSubgraph,
} from './rivtaSubgraph.js';

useRivtaSubgraph();

/** The look-up scheduling's sweep makes, with the booked time. */
async function lookUp(reservationId: string) {
  const result = await graphql(
    'query ($r: ID!) { contractBooking(connectionId: "rivta-kungsholmen", reservationId: $r) { status booking { slotId status start end providerReference } } }',
    { r: reservationId },
  );
  expect(result.errors).toBeUndefined();
  return result.data.contractBooking;
}

async function booked() {
  const slot = await freeSlot();
  const reservationId = nextReservationId();
  const result = await book(slot.id, reservationId);
  const booking = result.data.contractBook.booking;
  expect(booking.status).toBe('BOOKED');
  return { slot, reservationId, providerReference: booking.providerReference as string };
}

describe('changes at the care unit, found by look-up', () => {
  it('answers the booked time; a cancellation at the unit reads CANCELLED, each look-up one GetBookingDetails', async () => {
    const { slot, reservationId, providerReference } = await booked();
    await forgetCalls();
    expect(await lookUp(reservationId)).toEqual({
      status: 'FOUND',
      booking: {
        slotId: slot.id,
        status: 'BOOKED',
        start: slot.start,
        end: slot.end,
        providerReference,
      },
    });
    expect(await callsToKungsholmen()).toBe(1);

    expect((await atClinic({ kind: 'CANCEL', booking: providerReference })).status).toBe(200);
    await forgetCalls();
    expect(await lookUp(reservationId)).toMatchObject({
      status: 'FOUND',
      booking: { status: 'CANCELLED', start: null, end: null },
    });
    expect(await callsToKungsholmen()).toBe(1);
  });

  it('follows a booking the unit moved: new slot and times; a repeated book of the first slot is still a repeat', async () => {
    const { slot, reservationId, providerReference } = await booked();
    const later = await freeSlot();
    const moved = await atClinic({ kind: 'MOVE', booking: providerReference, start: later.start });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const found = await lookUp(reservationId);
    expect(found.booking).toMatchObject({
      status: 'BOOKED',
      start: later.start,
      end: later.end,
      providerReference,
    });
    expect(found.booking.slotId).not.toBe(slot.id);

    const repeat = await book(slot.id, reservationId);
    expect(repeat.data.contractBook).toMatchObject({
      booking: { status: 'BOOKED', providerReference },
      error: null,
    });
    const misuse = await book((await freeSlot()).id, reservationId);
    expect(misuse.data.contractBook.error).toMatchObject({ code: 'INVALID_INPUT' });
  });
});
