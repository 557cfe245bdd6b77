import { randomUUID } from 'node:crypto';
import { ApolloClient, type DocumentNode, gql, HttpLink, InMemoryCache } from '@apollo/client/core';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { signDevelopmentToken } from '@booking/gateway';
import { type RunningSystem, startSystem } from '@booking/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AvailabilityDocument,
  type AvailabilityQuery,
  HoldSlotDocument,
  ProvidersDocument,
} from '../src/documents.js';
import { BookingApiError, type BookingClient, createBookingClient } from '../src/index.js';

type SlotNode = AvailabilityQuery['availability']['edges'][number]['node'];

const patient = {
  personalIdentityNumber: '19900101-0017',
  givenName: 'Selma',
  familyName: 'Lagerlöf',
};
const day = 24 * 3600_000;
const key = (label: string) => `${label}-${randomUUID()}`;

describe('the SDK against the real gateway (every client method)', () => {
  let system: RunningSystem;
  let booking: BookingClient;
  const window = {
    from: new Date(Date.now() + day).toISOString(),
    to: new Date(Date.now() + 10 * day).toISOString(),
  };
  /** Slots of a provider system, unbooked by earlier tests (each takes its own). */
  let apiSlots: SlotNode[];
  let token: string;
  let linkSlot: SlotNode;

  beforeAll(async () => {
    system = await startSystem({
      ports: 'free',
      output: () => {},
      colour: false,
      // This file is about the SDK's methods, not deadlines.
      providerDeadlineMs: 8000,
      env: { scheduling: { LEDGER_DATA_DIR: 'memory://' } },
    });
    token = await signDevelopmentToken({
      clientId: 'sdk-system-test',
      scopes: ['availability:read', 'reservations:read', 'reservations:write'],
    });
    booking = createBookingClient({ url: system.graphqlUrl, token });
    const providers = await booking.providers();
    const nordklinik = providers.find((p) => p.name === 'Nordklinik')!;
    const linkOnly = providers.filter((p) => p.capabilities.includes('DEEP_LINK_ONLY'));
    const own = await booking.availability({
      filter: { ...window, providerIds: [nordklinik.id] },
      first: 50,
    });
    apiSlots = own.edges.map((e) => e.node).filter((s) => s.bookingMethod === 'API');
    const links = await booking.availability({
      filter: { ...window, providerIds: linkOnly.map((p) => p.id) },
      first: 5,
    });
    linkSlot = links.edges[0]!.node;
    expect(linkSlot.bookingMethod).toBe('DEEP_LINK');
  });
  afterAll(async () => {
    await system?.stop();
  });

  const nextSlot = () => {
    const slot = apiSlots.shift();
    if (!slot) throw new Error('the test ran out of Nordklinik slots');
    return slot;
  };

  it('providers() lists every provider connection with its health and capabilities', async () => {
    const providers = await booking.providers();
    expect(providers.length).toBeGreaterThanOrEqual(4);
    for (const provider of providers) expect(provider.status).toBe('UP');
    expect(providers.some((p) => p.capabilities.includes('DEEP_LINK_ONLY'))).toBe(true);
  });

  it('treatments() returns the catalogue', async () => {
    const treatments = await booking.treatments();
    expect(treatments.length).toBeGreaterThan(0);
    expect(treatments[0]).toEqual({
      __typename: 'Treatment',
      id: expect.any(String),
      name: expect.any(String),
      durationMinutes: expect.anything(),
    });
  });

  it('clinics() pages through clinics by cursor and clinic() returns one of them', async () => {
    const first = await booking.clinics({ first: 2 });
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await booking.clinics({ first: 2, after: first.pageInfo.endCursor });
    const ids = [...first.edges, ...second.edges].map((e) => e.node.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(first.totalCount).toBeGreaterThan(2);
    expect(await booking.clinic({ id: first.edges[0]!.node.id })).toEqual(first.edges[0]!.node);
    expect((await booking.clinics()).edges.length).toBe(Math.min(first.totalCount, 50));
  });

  it('availability() pages through free slots in start order and slot() returns one of them', async () => {
    const first = await booking.availability({ filter: window, first: 5 });
    expect(first.edges).toHaveLength(5);
    expect(first.providerOutcomes.every((o) => o.status === 'OK')).toBe(true);
    const second = await booking.availability({
      filter: window,
      first: 5,
      after: first.pageInfo.endCursor,
    });
    const starts = [...first.edges, ...second.edges].map((e) => Date.parse(e.node.start));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(second.edges[0]!.node.id).not.toBe(first.edges[4]!.node.id);
    const slot = await booking.slot({ id: first.edges[0]!.node.id });
    expect(slot).toMatchObject({ id: first.edges[0]!.node.id, available: true });
  });

  it('reserveSlot() with an invalid personnummer answers InvalidInput naming the field', async () => {
    const result = await booking.reserveSlot({
      slotId: apiSlots[0]!.id,
      patient: { ...patient, personalIdentityNumber: '19900101-0018' },
      idempotencyKey: key('invalid'),
    });
    expect(result.__typename).toBe('InvalidInput');
    if (result.__typename !== 'InvalidInput') return;
    expect(result.field).toBe('patient.personalIdentityNumber');
    expect(result.message).not.toContain('0018');
  });

  it('reserveSlot() of a taken slot with another key answers SlotUnavailable', async () => {
    const slot = nextSlot();
    const first = await booking.reserveSlot({ slotId: slot.id, patient, idempotencyKey: key('a') });
    expect(first.__typename === 'ReservationResult' && first.reservation.status).toBe('CONFIRMED');
    const second = await booking.reserveSlot({
      slotId: slot.id,
      patient,
      idempotencyKey: key('b'),
    });
    expect(second).toMatchObject({ __typename: 'SlotUnavailable', slotId: slot.id });
  });

  it('reserveSlot() repeated with the same key returns the first result; with other input IdempotencyConflict', async () => {
    const idempotencyKey = key('reuse');
    const slot = nextSlot();
    const first = await booking.reserveSlot({ slotId: slot.id, patient, idempotencyKey });
    const again = await booking.reserveSlot({ slotId: slot.id, patient, idempotencyKey });
    expect(again).toEqual(first);
    const conflict = await booking.reserveSlot({ slotId: nextSlot().id, patient, idempotencyKey });
    expect(conflict).toMatchObject({ __typename: 'IdempotencyConflict', idempotencyKey });
  });

  it('reserveSlot() of a deep-link (SMART) slot answers BookingByLink with its URL', async () => {
    const result = await booking.reserveSlot({
      slotId: linkSlot.id,
      patient,
      idempotencyKey: key('link'),
    });
    expect(result).toMatchObject({
      __typename: 'BookingByLink',
      slotId: linkSlot.id,
      bookingUrl: linkSlot.bookingUrl,
    });
  });

  it('holds, confirms, reschedules and cancels a booking, each visible through reservation()', async () => {
    const [slot, newSlot] = [nextSlot(), nextSlot()];
    const held = await booking.holdSlot({ slotId: slot.id, idempotencyKey: key('hold') });
    if (held.__typename !== 'ReservationResult') throw new Error(held.__typename);
    expect(held.reservation).toMatchObject({ status: 'HELD', slot: { id: slot.id } });
    expect(held.reservation.expiresAt).not.toBeNull();

    const confirmed = await booking.confirmReservation({
      reservationId: held.reservation.id,
      patient,
      idempotencyKey: key('confirm'),
      note: 'First visit.',
    });
    if (confirmed.__typename !== 'ReservationResult') throw new Error(confirmed.__typename);
    expect(confirmed.reservation.status).toBe('CONFIRMED');
    expect(await booking.reservation({ id: held.reservation.id })).toMatchObject({
      status: 'CONFIRMED',
    });

    const moved = await booking.rescheduleReservation({
      reservationId: held.reservation.id,
      newSlotId: newSlot.id,
      idempotencyKey: key('move'),
    });
    if (moved.__typename !== 'ReservationResult') throw new Error(moved.__typename);
    expect(moved.reservation).toMatchObject({
      status: 'CONFIRMED',
      slot: { id: newSlot.id },
      rescheduledFrom: { id: held.reservation.id },
    });
    expect((await booking.reservation({ id: held.reservation.id }))?.status).toBe('CANCELLED');
    const movedAgain = await booking.rescheduleReservation({
      reservationId: held.reservation.id,
      newSlotId: nextSlot().id,
      idempotencyKey: key('move-old'),
    });
    expect(movedAgain).toMatchObject({
      __typename: 'NotCancellable',
      reservationId: held.reservation.id,
    });

    const cancelled = await booking.cancelReservation({
      reservationId: moved.reservation.id,
      reason: 'Feeling better.',
      idempotencyKey: key('cancel'),
    });
    expect(cancelled.__typename === 'ReservationResult' && cancelled.reservation.status).toBe(
      'CANCELLED',
    );
    expect((await booking.reservation({ id: moved.reservation.id }))?.status).toBe('CANCELLED');
  });

  it('surfaces a GraphQL error as BookingApiError with the gateway code', async () => {
    const error = await booking
      .availability({ filter: { from: window.to, to: window.from } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BookingApiError);
    expect(error).toMatchObject({
      code: 'BAD_USER_INPUT',
      status: expect.any(Number),
      operationName: 'Availability',
      attempts: 1,
    });
  });

  it('runs by persisted-document hash, without query text', async () => {
    const hashed = createBookingClient({ url: system.graphqlUrl, persistedDocuments: 'hash' });
    expect((await hashed.treatments()).length).toBeGreaterThan(0);
    const page = await hashed.availability({ filter: window, first: 1 });
    expect(page.edges).toHaveLength(1);
  });

  it('passes a gateway that enforces trusted documents, by hash and by manifest text alike', async () => {
    const strict = await system.startInstance('gateway', {
      env: { TRUSTED_DOCUMENTS: 'enforced' },
    });
    const url = `${strict.url}/graphql`;
    try {
      for (const persistedDocuments of ['hash', 'off'] as const) {
        const client = createBookingClient({ url, persistedDocuments });
        expect((await client.providers()).length).toBeGreaterThan(0);
      }
      const handWritten = gql`query Handwritten { treatments { id } }`;
      const error = await createBookingClient({ url, retry: false })
        .execute(handWritten, {})
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'TRUSTED_DOCUMENT_REQUIRED', status: 400 });
    } finally {
      await strict.stop();
    }
  });

  describe('the documents in a frontend client (Apollo Client, no React)', () => {
    const apollo = () =>
      new ApolloClient({
        link: new HttpLink({
          uri: system.graphqlUrl,
          fetch,
          headers: { authorization: `Bearer ${token}` },
        }),
        cache: new InMemoryCache(),
      });

    it('queries availability with the typed document', async () => {
      const { data } = await apollo().query({
        query: AvailabilityDocument,
        variables: { filter: window, first: 3 },
      });
      expect(data.availability.edges).toHaveLength(3);
      expect(data.availability.edges[0]?.node.clinic.name).toEqual(expect.any(String));
      const providers = await apollo().query({ query: ProvidersDocument });
      expect(providers.data.providers.length).toBeGreaterThan(0);
    });

    it('runs the documents by hash alone against a gateway that enforces trusted documents', async () => {
      const strict = await system.startInstance('gateway', {
        env: { TRUSTED_DOCUMENTS: 'enforced' },
      });
      try {
        const sent: string[] = [];
        const recordingFetch: typeof fetch = async (input, init) => {
          sent.push(String(init?.body));
          return fetch(input, init);
        };
        const client = new ApolloClient({
          link: createPersistedQueryLink({
            generateHash: (document: DocumentNode) =>
              (document as unknown as { __meta__: { hash: string } }).__meta__.hash,
          }).concat(new HttpLink({ uri: `${strict.url}/graphql`, fetch: recordingFetch })),
          cache: new InMemoryCache(),
        });
        const { data } = await client.query({
          query: AvailabilityDocument,
          variables: { filter: window, first: 2 },
        });
        expect(data.availability.edges).toHaveLength(2);
        expect(sent).toHaveLength(1);
        expect(JSON.parse(sent[0]!)).not.toHaveProperty('query');
      } finally {
        await strict.stop();
      }
    });

    it('holds a slot with the typed mutation and narrows its result union', async () => {
      const slot = nextSlot();
      const { data } = await apollo().mutate({
        mutation: HoldSlotDocument,
        variables: { input: { slotId: slot.id, idempotencyKey: key('apollo-hold') } },
      });
      const result = data?.holdSlot;
      expect(result?.__typename).toBe('ReservationResult');
      if (result?.__typename === 'ReservationResult') {
        expect(result.reservation).toMatchObject({ status: 'HELD', slot: { id: slot.id } });
      }
    });
  });
});
