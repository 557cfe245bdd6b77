import { randomUUID } from 'node:crypto';
import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { signDevelopmentToken } from '@booking/gateway';
import { type RunningSystem, type ServiceProcess, startSystem } from '@booking/tools';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBookingLink, possibleTypes, typePolicies } from '../src/apollo/index.js';
import {
  AvailabilityDocument,
  type AvailabilityQuery,
  HoldSlotDocument,
} from '../src/documents.js';
import {
  BookingApiError,
  type BookingClient,
  bookingErrorCode,
  createBookingClient,
  loadAllPages,
  maxPageSize,
} from '../src/index.js';
import * as readme from './readmeApolloExample.js';

/** The patient's token the example's identity library hands out (set once the system runs). */
const patientToken = vi.hoisted(() => ({ value: '' }));
// The example signs the patient in with oidc-client-ts in a browser; here its user is signed in.
vi.mock('oidc-client-ts', () => ({
  UserManager: class {
    async getUser() {
      return { access_token: patientToken.value };
    }
    async signinRedirect() {}
  },
}));
/** The gateway URL written in the README's example. */
const readmeGatewayUrl = 'https://booking.example.se/graphql';

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

  describe('the documents in a frontend client (Apollo Client 4, no React)', () => {
    it('queries availability and holds a slot with the typed documents over a plain HttpLink', async () => {
      const apollo = new ApolloClient({
        link: new HttpLink({
          uri: system.graphqlUrl,
          headers: { authorization: `Bearer ${token}` },
        }),
        cache: new InMemoryCache({ typePolicies, possibleTypes }),
      });
      const { data } = await apollo.query({
        query: AvailabilityDocument,
        variables: { filter: window, first: 3 },
      });
      expect(data?.availability.edges).toHaveLength(3);
      expect(data?.availability.edges[0]?.node.clinic.name).toEqual(expect.any(String));

      const slot = nextSlot();
      const held = await apollo.mutate({
        mutation: HoldSlotDocument,
        variables: { input: { slotId: slot.id, idempotencyKey: key('apollo-hold') } },
      });
      const result = held.data?.holdSlot;
      expect(result?.__typename).toBe('ReservationResult');
      if (result?.__typename === 'ReservationResult') {
        expect(result.reservation).toMatchObject({ status: 'HELD', slot: { id: slot.id } });
      }
    });
  });

  describe("the README's Apollo example, as written, against a gateway that enforces trusted documents", () => {
    let strict: ServiceProcess;
    let strictUrl: string;
    /** Every request the example's link sent, with the operation's name and body. */
    let sent: { operationName: string; body: Record<string, unknown>; authorization: string }[];
    /** Operations whose requests fail as if the connection dropped. */
    const unreachable = new Set<string>();

    beforeAll(async () => {
      strict = await system.startInstance('gateway', { env: { TRUSTED_DOCUMENTS: 'enforced' } });
      strictUrl = `${strict.url}/graphql`;
      // The patient's token, as the identity provider would issue it for the example's UserManager.
      patientToken.value = await signDevelopmentToken({
        clientId: 'sdk-system-test',
        subject: 'readme-patient',
        scopes: ['availability:read', 'reservations:read', 'reservations:write'],
      });
      // The example's URL is the production gateway's; here it is the enforcing instance's.
      const realFetch = globalThis.fetch;
      vi.stubGlobal('fetch', async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
        if (String(input) !== readmeGatewayUrl) return realFetch(input, init);
        const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
        const operationName = String(body.operationName);
        const headers = new Headers(init?.headers);
        sent.push({ operationName, body, authorization: headers.get('authorization') ?? '' });
        if (unreachable.has(operationName)) throw new TypeError('fetch failed');
        return realFetch(strictUrl, init);
      });
    });
    beforeEach(() => {
      sent = [];
      unreachable.clear();
    });
    afterAll(async () => {
      vi.unstubAllGlobals();
      await strict?.stop();
    });

    it('lists slots and shows more: every request by hash with the patient’s token, the list growing in the cache', async () => {
      const { slots, more } = readme.searchSlots(window);
      const ids = () => {
        const { data, dataState } = slots.getCurrentResult();
        return dataState === 'complete' ? data.availability.edges.map((e) => e.node.id) : [];
      };
      const subscription = slots.subscribe(() => {});
      try {
        await expect.poll(ids, { timeout: 20_000 }).toHaveLength(50);
        await more();
        await expect.poll(ids).toHaveLength(100);
        const listed = ids();
        expect(new Set(listed).size).toBe(100);
        const { data } = slots.getCurrentResult();
        const starts =
          data?.availability?.edges?.map((e) => Date.parse(e?.node?.start ?? '')) ?? [];
        expect(starts).toEqual([...starts].sort((a, b) => a - b));
      } finally {
        subscription.unsubscribe();
      }
      expect(sent.map((r) => r.operationName)).toEqual(['Availability', 'Availability']);
      for (const request of sent) {
        expect(request.body).not.toHaveProperty('query');
        expect(request.body.extensions).toHaveProperty('persistedQuery.sha256Hash');
        expect(request.authorization).toBe(`Bearer ${patientToken.value}`);
      }
    });

    it('holds a slot, keeps the hold while the patient check fails, and confirms it', async () => {
      const held = await readme.hold(nextSlot().id);
      if (!('reservationId' in held)) throw new Error(held.problem);
      const typo = await readme.confirm(held.reservationId, {
        ...patient,
        personalIdentityNumber: '19900101-0018',
      });
      expect(typo).toMatchObject({ field: 'patient.personalIdentityNumber' });
      expect(sent.map((r) => r.operationName)).toEqual(['HoldSlot']);
      expect(await booking.reservation({ id: held.reservationId })).toMatchObject({
        status: 'HELD',
      });

      expect(await readme.confirm(held.reservationId, patient)).toEqual({
        booked: held.reservationId,
      });
      expect(await booking.reservation({ id: held.reservationId })).toMatchObject({
        status: 'CONFIRMED',
      });
    });

    it('keeps the hold when the confirm never gets an answer, and books it when repeated with the same key', async () => {
      const held = await readme.hold(nextSlot().id);
      if (!('reservationId' in held)) throw new Error(held.problem);
      unreachable.add('ConfirmReservation');
      const outcome = await readme.confirm(held.reservationId, patient);
      expect(outcome).toEqual({
        problem:
          'The booking service cannot be reached: check the connection. Try again: the time is still held for you.',
      });
      const keyOf = (r: (typeof sent)[number]) =>
        (r.body.variables as { input: { idempotencyKey: string } }).input.idempotencyKey;
      const confirms = sent.filter((r) => r.operationName === 'ConfirmReservation');
      expect(confirms).toHaveLength(3);
      expect(new Set(confirms.map(keyOf)).size).toBe(1);
      expect(sent.some((r) => r.operationName === 'CancelReservation')).toBe(false);
      expect(await booking.reservation({ id: held.reservationId })).toMatchObject({
        status: 'HELD',
      });

      unreachable.delete('ConfirmReservation');
      expect(await readme.confirm(held.reservationId, patient)).toEqual({
        booked: held.reservationId,
      });
      expect(keyOf(sent.filter((r) => r.operationName === 'ConfirmReservation').at(-1)!)).toBe(
        keyOf(confirms[0]!),
      );
    });

    it("is refused with TRUSTED_DOCUMENT_REQUIRED when the same link sends text (persistedDocuments: 'text')", async () => {
      const textClient = new ApolloClient({
        link: createBookingLink({
          uri: readmeGatewayUrl,
          getToken: async () => (await readme.auth.getUser())?.access_token,
          persistedDocuments: 'text',
        }),
        cache: new InMemoryCache({ typePolicies, possibleTypes }),
      });
      const error = await textClient
        .query({ query: AvailabilityDocument, variables: { filter: window, first: 1 } })
        .catch((e: unknown) => e);
      expect(bookingErrorCode(error)).toBe('TRUSTED_DOCUMENT_REQUIRED');
      expect(sent).toHaveLength(1);
      expect(sent[0]?.body.query).toContain('query Availability');
    });

    it('loads a whole week of availability with loadAllPages at maxPageSize, by hash', async () => {
      const filter = { ...window, to: new Date(Date.parse(window.from) + 7 * day).toISOString() };
      const nodes = await loadAllPages(async (after) => {
        const { data } = await readme.client.query({
          query: AvailabilityDocument,
          variables: { filter, first: maxPageSize, after },
          fetchPolicy: 'no-cache',
        });
        if (!data) throw new Error('no data');
        return data.availability;
      });
      const { totalCount } = await booking.availability({ filter, first: 1 });
      expect(nodes.length).toBe(totalCount);
      expect(new Set(nodes.map((n) => n.id)).size).toBe(nodes.length);
      expect(sent).toHaveLength(Math.max(1, Math.ceil(totalCount / maxPageSize)));
    });
  });
});
