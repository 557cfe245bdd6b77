import type { Principal } from '@booking/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientScopes,
  createInProcessGraph,
  freeSlotIds,
  type InProcessGraph,
} from '../support/inProcessGraph.js';

/** Two patients signed in to Vården's web app, the app's backend, and another application. */
const as = (clientId: string, subject: string | null): Principal => ({
  clientId,
  subject,
  scopes: new Set(clientScopes),
  method: subject ? 'jwt' : 'api-key',
});
const astrid = as('vården-web', 'patient-astrid');
const selma = as('vården-web', 'patient-selma');
const backend = as('vården-web', null);
const partner = as('partner-app', null);

const patient = {
  personalIdentityNumber: '19900101-0017',
  givenName: 'Astrid',
  familyName: 'Lindgren',
};
const reserveSlot = `mutation ($input: ReserveSlotInput!) { reserveSlot(input: $input) {
  __typename ... on ReservationResult { reservation { id status } } ... on BookingError { message } } }`;
const cancelReservation = `mutation ($input: CancelReservationInput!) { cancelReservation(input: $input) {
  __typename ... on ReservationResult { reservation { id status } } ... on InvalidInput { field } } }`;
const rescheduleReservation = `mutation ($input: RescheduleReservationInput!) { rescheduleReservation(input: $input) {
  __typename ... on ReservationResult { reservation { id status } } ... on InvalidInput { field } } }`;
const reservation = 'query ($id: ID!) { reservation(id: $id) { id status } }';
const myReservations = `query ($first: Int, $after: String) { myReservations(first: $first, after: $after) {
  edges { cursor node { id status } } pageInfo { hasNextPage endCursor } totalCount } }`;

let keyCounter = 0;
const key = () => `ownership-${Date.now()}-${++keyCounter}`;

describe('reservations belong to the person they were made for (in process)', () => {
  let graph: InProcessGraph;
  let freeSlots: string[] = [];

  async function run(principal: Principal, query: string, variables: Record<string, unknown>) {
    const { data, errors } = await graph.executeAs(principal, query, variables);
    expect(errors).toBeUndefined();
    // biome-ignore lint/suspicious/noExplicitAny: tests walk untyped GraphQL results by path
    return Object.values(data as Record<string, any>)[0];
  }
  const reserve = (principal: Principal, idempotencyKey = key()) =>
    run(principal, reserveSlot, {
      input: { slotId: freeSlots.shift(), patient, idempotencyKey },
    });
  const idsOf = (page: { edges: { node: { id: string } }[] }) => page.edges.map((e) => e.node.id);

  beforeAll(async () => {
    graph = await createInProcessGraph({ deadlineMs: 800 });
    freeSlots = await freeSlotIds(graph);
    expect(freeSlots.length).toBeGreaterThan(10);
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('lets a patient neither read, cancel nor move another patient’s reservation of the same application', async () => {
    const astrids = await reserve(astrid);
    expect(astrids.reservation.status).toBe('CONFIRMED');
    const id = astrids.reservation.id;

    expect(await run(selma, reservation, { id })).toBeNull();
    expect(
      await run(selma, cancelReservation, { input: { reservationId: id, idempotencyKey: key() } }),
    ).toEqual({ __typename: 'InvalidInput', field: 'reservationId' });
    expect(
      await run(selma, rescheduleReservation, {
        input: { reservationId: id, newSlotId: freeSlots.shift(), idempotencyKey: key() },
      }),
    ).toEqual({ __typename: 'InvalidInput', field: 'reservationId' });

    expect(await run(astrid, reservation, { id })).toEqual({ id, status: 'CONFIRMED' });
    expect(await run(backend, reservation, { id })).toEqual({ id, status: 'CONFIRMED' });
    expect(await run(partner, reservation, { id })).toBeNull();
  });

  it('keeps idempotency keys per patient: the same key of two patients makes two reservations', async () => {
    const shared = key();
    const astrids = await reserve(astrid, shared);
    const selmas = await reserve(selma, shared);
    expect(selmas.__typename).toBe('ReservationResult');
    expect(selmas.reservation.id).not.toBe(astrids.reservation.id);
    expect(await run(selma, reservation, { id: astrids.reservation.id })).toBeNull();
  });

  it('lists myReservations: a patient’s own newest first, the backend’s whole application, another application’s none', async () => {
    const made = [await reserve(selma), await reserve(selma), await reserve(selma)].map(
      (r) => r.reservation.id,
    );
    const selmas = await run(selma, myReservations, { first: 2 });
    expect(idsOf(selmas)).toEqual([made[2], made[1]]);
    expect(selmas.pageInfo.hasNextPage).toBe(true);
    const rest = await run(selma, myReservations, { first: 50, after: selmas.pageInfo.endCursor });
    expect(idsOf(rest).slice(0, 1)).toEqual([made[0]]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(selmas.totalCount).toBe(2 + idsOf(rest).length);

    const astrids = idsOf(await run(astrid, myReservations, {}));
    expect(astrids.length).toBeGreaterThan(0);
    expect(astrids.some((id: string) => made.includes(id))).toBe(false);

    const all = idsOf(await run(backend, myReservations, { first: 200 }));
    for (const id of [...made, ...astrids]) expect(all).toContain(id);

    expect(await run(partner, myReservations, {})).toMatchObject({ edges: [], totalCount: 0 });
  });

  it('refuses a cursor it did not make with BAD_USER_INPUT', async () => {
    const { errors } = await graph.executeAs(astrid, myReservations, { after: 'not-a-cursor' });
    expect(errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
