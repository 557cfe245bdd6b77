import { afterEach, describe, expect, it } from 'vitest';
import { type SeenRequest, startSquareProvider } from './startSquareProvider.js';

type Running = Awaited<ReturnType<typeof startSquareProvider>>;
let running: Running | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const slotsQuery = `query ($input: ContractSlotsInput!) {
  contractSlots(input: $input) { id start end treatmentIds practitioner { id name } } }`;
const bookMutation = `mutation ($input: ContractBookInput!) {
  contractBook(input: $input) { booking { reservationId slotId status providerReference } error { code message field } } }`;
const cancelMutation = `mutation ($input: ContractCancelInput!) {
  contractCancel(input: $input) { booking { status providerReference } error { code message } } }`;
const lookUp = `query ($c: ID!, $r: ID!) {
  contractBooking(connectionId: $c, reservationId: $r) { status booking { reservationId slotId status providerReference } reason } }`;
const patient = {
  personalIdentityNumber: '199001010017',
  givenName: 'Test',
  familyName: 'Patient',
};
const searches = (seen: SeenRequest[]) =>
  seen
    .filter((r) => r.path === '/v2/bookings/availability/search')
    .map(
      (r) => JSON.parse(r.body).query.filter.start_at_range as { start_at: string; end_at: string },
    );
const hours = (range: { start_at: string; end_at: string }) =>
  (Date.parse(range.end_at) - Date.parse(range.start_at)) / 3_600_000;

async function firstSlot(r: Running, from = '2026-03-30T00:00:00Z', to = '2026-03-31T00:00:00Z') {
  const result = await r.graphql(slotsQuery, { input: { connectionId: r.connectionId, from, to } });
  return result.data!.contractSlots[0] as { id: string; start: string };
}

describe('the Square provider against the simulator', () => {
  it('searches a 40-day window in pieces of at most 32 days and widens a 2-hour window to 24 hours, answering only the window', async () => {
    running = await startSquareProvider();
    const long = await running.graphql(slotsQuery, {
      input: {
        connectionId: running.connectionId,
        from: '2026-03-26T00:00:00Z',
        to: '2026-05-05T00:00:00Z',
      },
    });
    expect(long.errors).toBeUndefined();
    const ranges = searches(running.seen);
    expect(ranges.every((range) => hours(range) <= 32 * 24 && hours(range) >= 24)).toBe(true);
    expect(ranges.length).toBe(4); // two services, two pieces each
    const starts = long.data!.contractSlots.map((s: { start: string }) => s.start);
    expect(starts.some((s: string) => s > '2026-04-28T00:00:00Z')).toBe(true);

    running.seen.length = 0;
    const short = await running.graphql(slotsQuery, {
      input: {
        connectionId: running.connectionId,
        from: '2026-03-30T08:00:00Z',
        to: '2026-03-30T10:00:00Z',
      },
    });
    expect(searches(running.seen).map(hours)).toEqual([24, 24]);
    const slots = short.data!.contractSlots as { start: string; practitioner: { name: string } }[];
    expect(slots.length).toBeGreaterThan(0);
    expect(
      slots.every((s) => s.start >= '2026-03-30T08:00:00' && s.start < '2026-03-30T10:00:00'),
    ).toBe(true);
    expect(slots.map((s) => s.practitioner.name)).toContain('Elin Sjöberg');
  });

  it('books with the reservation id as idempotency key and seller note, and neither sends nor logs the identity number', async () => {
    running = await startSquareProvider();
    const slot = await firstSlot(running);
    const input = {
      connectionId: running.connectionId,
      slotId: slot.id,
      reservationId: 'res-book-1',
      patient,
    };
    const booked = await running.graphql(bookMutation, { input });
    expect(booked.data!.contractBook.booking).toMatchObject({ status: 'BOOKED', slotId: slot.id });
    const create = running.seen.find((r) => r.method === 'POST' && r.path === '/v2/bookings')!;
    const body = JSON.parse(create.body);
    expect(body.idempotency_key).toBe('res-book-1');
    expect(body.booking.seller_note).toContain('res-book-1');
    expect(body.booking.start_at).toBe(slot.start);
    expect(running.seen.map((r) => r.body).join('\n')).not.toContain(
      patient.personalIdentityNumber,
    );
    expect(running.logs.join('\n')).not.toContain(patient.personalIdentityNumber);
    expect(running.logs.join('\n')).not.toContain('EAAAdev-rorelse-fysioterapi');
  });

  it('settles a booking whose answer was lost by the reservation id in its seller note, and finds it again after a restart', async () => {
    running = await startSquareProvider({
      onRequest: (r) =>
        r.method === 'POST' && r.path === '/v2/bookings' ? 'lose-answer' : undefined,
    });
    const slot = await firstSlot(running);
    const input = {
      connectionId: running.connectionId,
      slotId: slot.id,
      reservationId: 'res-lost-1',
      patient,
    };
    const lost = await running.graphql(bookMutation, { input });
    expect(lost.errors?.[0]?.extensions?.code).toBe('PROVIDER_TIMEOUT');

    const found = await running.graphql(lookUp, { c: running.connectionId, r: 'res-lost-1' });
    expect(found.data!.contractBooking).toMatchObject({
      status: 'FOUND',
      booking: { status: 'BOOKED', slotId: slot.id },
    });
    expect(running.seen.some((r) => r.path.startsWith('/v2/bookings?'))).toBe(true);

    await running.restart();
    // The catalogue is read when the subgraph starts; the look-up itself reads only the booking.
    await running.graphql('{ contractConnections { id } }');
    running.seen.length = 0;
    const again = await running.graphql(lookUp, { c: running.connectionId, r: 'res-lost-1' });
    expect(again.data!.contractBooking.booking.providerReference).toBe(
      found.data!.contractBooking.booking.providerReference,
    );
    expect(running.seen.map((r) => r.path)).toEqual([
      `/v2/bookings/${again.data!.contractBooking.booking.providerReference}`,
    ]);
  });

  it('retries a cancel refused for a stale version once, with the version the clinic left', async () => {
    let changed = false;
    running = await startSquareProvider({
      async onRequest(r) {
        if (changed || !r.path.endsWith('/cancel')) return undefined;
        changed = true; // The clinic edits the booking just before the cancel arrives.
        const id = r.path.split('/')[3];
        const booking = JSON.parse(r.body).booking_version;
        const response = await fetch(`${running!.target}/v2/bookings/${id}`, {
          method: 'PUT',
          headers: {
            authorization: `Bearer ${running!.entry.accessToken}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({
            booking: { version: booking, customer_note: 'moved by the clinic' },
          }),
        });
        expect(response.status).toBe(200);
        return undefined;
      },
    });
    const slot = await firstSlot(running);
    const input = {
      connectionId: running.connectionId,
      slotId: slot.id,
      reservationId: 'res-cancel-1',
      patient,
    };
    const booked = await running.graphql(bookMutation, { input });
    const providerReference = booked.data!.contractBook.booking.providerReference;
    const cancelled = await running.graphql(cancelMutation, {
      input: {
        connectionId: running.connectionId,
        reservationId: 'res-cancel-1',
        providerReference,
      },
    });
    expect(cancelled.data!.contractCancel.booking?.status).toBe('CANCELLED');
    const cancels = running.seen
      .filter((r) => r.path.endsWith('/cancel'))
      .map((r) => JSON.parse(r.body).booking_version);
    expect(cancels).toEqual([0, 1]);
    const other = await running.graphql(cancelMutation, {
      input: { connectionId: running.connectionId, reservationId: 'res-other', providerReference },
    });
    expect(other.data!.contractCancel.error?.code).toBe('NOT_FOUND');
  });

  it("maps Square's refusals: 429 and 5xx to PROVIDER_UNAVAILABLE (with Retry-After), bad input to INVALID_INPUT", async () => {
    let fault: { status: number; headers?: Record<string, string> } | undefined;
    running = await startSquareProvider({
      onRequest: (r) =>
        fault && r.method === 'POST' && r.path === '/v2/customers'
          ? {
              answer: {
                ...fault,
                body: { errors: [{ category: 'RATE_LIMIT_ERROR', code: 'RATE_LIMITED' }] },
              },
            }
          : undefined,
    });
    const slot = await firstSlot(running);
    const book = (reservationId: string, extra: object = {}) =>
      running!.graphql(bookMutation, {
        input: {
          connectionId: running!.connectionId,
          slotId: slot.id,
          reservationId,
          patient,
          ...extra,
        },
      });
    fault = { status: 429, headers: { 'retry-after': '30' } };
    const limited = (await book('res-429')).data!.contractBook.error;
    expect(limited).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(limited.message).toContain('retry after 30 s');
    fault = { status: 503 };
    expect((await book('res-503')).data!.contractBook.error.code).toBe('PROVIDER_UNAVAILABLE');
    fault = undefined;
    const email = (await book('res-email', { patient: { ...patient, email: 'not-an-address' } }))
      .data!.contractBook;
    expect(email.error).toMatchObject({ code: 'INVALID_INPUT', field: 'email_address' });
    const note = (await book('res-note', { note: 'x'.repeat(5000) })).data!.contractBook;
    expect(note.error).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'body.booking.customer_note',
    });
    // Not a Square slot id: answered by the kit (the adapter's `localIds`), never sent to Square.
    const unknown = (await book('res-slot', { slotId: 'not-a-slot' })).data!.contractBook;
    expect(unknown.error).toMatchObject({ code: 'SLOT_UNAVAILABLE' });
  });
});
