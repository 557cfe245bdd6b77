import { signDevelopmentToken } from '@booking/gateway';
import { type RunningSystem, startSystem } from '@booking/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface GraphQLBody {
  // biome-ignore lint/suspicious/noExplicitAny: tests walk untyped GraphQL results by path
  data?: any;
  errors?: { message: string }[];
}
const patient = {
  personalIdentityNumber: '19121212-1212',
  givenName: 'Tolvan',
  familyName: 'Tolvansson',
};
const result =
  '__typename ... on ReservationResult { reservation { id status providerReference } } ... on BookingError { message }';

describe('Square behind the public API (npm start code path)', () => {
  let system: RunningSystem;
  let token: string;
  const graphql = async (query: string, variables: object = {}): Promise<GraphQLBody> => {
    const response = await fetch(system.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLBody;
  };

  beforeAll(async () => {
    token = await signDevelopmentToken({
      clientId: 'square-system-test',
      scopes: ['availability:read', 'reservations:read', 'reservations:write'],
    });
    system = await startSystem({
      ports: 'free',
      colour: false,
      output: () => {},
      providerDeadlineMs: 8000,
      env: { scheduling: { LEDGER_DATA_DIR: 'memory://' } },
    });
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('offers Square slots in availability, and holds on the platform, confirms by booking at Square and cancels', async () => {
    const providers = (await graphql('{ providers { id system status capabilities } }')).data
      .providers;
    const square = providers.find((p: { system: string }) => p.system === 'square');
    expect(square).toMatchObject({
      status: 'UP',
      capabilities: ['API_BOOKING', 'CANCEL', 'CHANGES'],
    });
    const from = new Date(Date.now() + 86_400_000);
    const filter = {
      from: from.toISOString(),
      to: new Date(from.getTime() + 7 * 86_400_000).toISOString(),
      providerIds: [square.id],
    };
    const found = await graphql(
      'query ($filter: AvailabilityFilter!) { availability(filter: $filter, first: 50) { edges { node { id provider { system } } } providerOutcomes { status } } }',
      { filter },
    );
    expect(found.data.availability.providerOutcomes).toEqual([{ status: 'OK' }]);
    const slots = found.data.availability.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(slots.length).toBeGreaterThan(0);

    const held = await graphql(
      `mutation ($input: HoldSlotInput!) { holdSlot(input: $input) { ${result} } }`,
      {
        input: { slotId: slots.at(-1), idempotencyKey: 'square-hold' },
      },
    );
    expect(held.data.holdSlot.reservation.status).toBe('HELD');
    const reservationId = held.data.holdSlot.reservation.id;
    const confirmed = await graphql(
      `mutation ($input: ConfirmReservationInput!) { confirmReservation(input: $input) { ${result} } }`,
      { input: { reservationId, patient, idempotencyKey: 'square-confirm' } },
    );
    expect(confirmed.data.confirmReservation.reservation).toMatchObject({ status: 'CONFIRMED' });
    expect(confirmed.data.confirmReservation.reservation.providerReference).toMatch(/^bk/);
    const cancelled = await graphql(
      `mutation ($input: CancelReservationInput!) { cancelReservation(input: $input) { ${result} } }`,
      { input: { reservationId, idempotencyKey: 'square-cancel' } },
    );
    expect(cancelled.data.cancelReservation.reservation.status).toBe('CANCELLED');
  });
});
