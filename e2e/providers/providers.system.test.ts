import { signDevelopmentToken } from '@booking/gateway';
import { type RunningSystem, providers as registered, startSystem } from '@booking/tools';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface GraphQLBody {
  // biome-ignore lint/suspicious/noExplicitAny: tests walk untyped GraphQL results by path
  data?: any;
  errors?: { message: string }[];
}
interface Provider {
  id: string;
  name: string;
  system: string;
  status: string;
  capabilities: string[];
}

const patient = {
  personalIdentityNumber: '19121212-1212',
  givenName: 'Tolvan',
  familyName: 'Tolvansson',
};
const result = (...members: string[]) =>
  `__typename ... on ReservationResult { reservation { id status providerReference expiresAt } } ... on BookingError { message } ${members.join(' ')}`;

describe('every provider system behind one API (npm start code path)', () => {
  let system: RunningSystem;
  let token: string;
  let providers: Provider[];
  const systems = registered.map((p) => p.subgraph.name.replace(/^provider-/, ''));

  async function graphql(query: string, variables: object = {}): Promise<GraphQLBody> {
    const response = await fetch(system.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLBody;
  }
  async function slotsOf(systemName: string, days = 14) {
    const from = DateTime.now().setZone('Europe/Stockholm').startOf('day').plus({ days: 1 });
    const ids = providers.filter((p) => p.system === systemName).map((p) => p.id);
    const body = await graphql(
      'query ($filter: AvailabilityFilter!) { availability(filter: $filter, first: 200) { edges { node { id start bookingMethod bookingUrl provider { system } } } providerOutcomes { provider { name system } status } } }',
      { filter: { from: from.toISO(), to: from.plus({ days }).toISO(), providerIds: ids } },
    );
    expect(body.errors).toBeUndefined();
    return body.data.availability;
  }

  beforeAll(async () => {
    token = await signDevelopmentToken({
      clientId: 'providers-system-test',
      scopes: ['availability:read', 'reservations:read', 'reservations:write'],
    });
    system = await startSystem({
      ports: 'free',
      colour: false,
      output: () => {},
      // This file is about merging and booking across systems, not deadlines.
      providerDeadlineMs: 8000,
      env: { scheduling: { LEDGER_DATA_DIR: 'memory://', RECONCILE_AFTER_MS: '10000' } },
    });
    const body = await graphql('{ providers { id name system status capabilities } }');
    providers = body.data.providers;
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('lists the connections of every registered provider system, all UP', () => {
    expect(new Set(providers.map((p) => p.system))).toEqual(new Set(systems));
    for (const provider of providers) expect(provider.status).toBe('UP');
  });

  it('merges 14 days of slots from every provider system into one list ordered by start', async () => {
    const from = DateTime.now().setZone('Europe/Stockholm').startOf('day').plus({ days: 1 });
    const seen = new Set<string>();
    let after: string | null = null;
    let previous = 0;
    let pages = 0;
    do {
      const body: GraphQLBody = await graphql(
        'query ($filter: AvailabilityFilter!, $after: String) { availability(filter: $filter, first: 200, after: $after) { edges { node { start provider { system } } } pageInfo { hasNextPage endCursor } providerOutcomes { provider { name } status message } } }',
        { filter: { from: from.toISO(), to: from.plus({ days: 14 }).toISO() }, after },
      );
      const page = body.data.availability;
      expect(page.providerOutcomes.filter((o: { status: string }) => o.status !== 'OK')).toEqual(
        [],
      );
      for (const { node } of page.edges) {
        const start = Date.parse(node.start);
        expect(start).toBeGreaterThanOrEqual(previous);
        previous = start;
        seen.add(node.provider.system);
      }
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages += 1;
    } while (after && seen.size < systems.length && pages < 100);
    expect(seen).toEqual(new Set(systems));
  });

  it('reserves through the gateway on every provider that books by API', async () => {
    for (const name of systems) {
      const apiProviders = providers.filter(
        (p) => p.system === name && p.capabilities.includes('API_BOOKING'),
      );
      if (apiProviders.length === 0) continue;
      const { edges } = await slotsOf(name);
      const slot = edges.find(
        (e: { node: { bookingMethod: string } }) => e.node.bookingMethod === 'API',
      );
      expect(slot, `a bookable ${name} slot`).toBeDefined();
      const body = await graphql(
        `mutation ($input: ReserveSlotInput!) { reserveSlot(input: $input) { ${result()} } }`,
        { input: { slotId: slot.node.id, patient, idempotencyKey: `system-${name}` } },
      );
      expect(body.data.reserveSlot, name).toMatchObject({
        __typename: 'ReservationResult',
        reservation: { status: 'CONFIRMED' },
      });
    }
  });

  it('holds on the platform where the provider has no holds, then confirms by booking', async () => {
    const withoutHolds = providers.find(
      (p) => p.capabilities.includes('API_BOOKING') && !p.capabilities.includes('HOLDS'),
    );
    expect(withoutHolds, 'a provider without holds').toBeDefined();
    const { edges } = await slotsOf(withoutHolds!.system);
    const slotId = edges.at(-1).node.id;
    const held = await graphql(
      `mutation ($input: HoldSlotInput!) { holdSlot(input: $input) { ${result()} } }`,
      {
        input: { slotId, idempotencyKey: 'platform-hold' },
      },
    );
    expect(held.data.holdSlot.reservation.status).toBe('HELD');
    expect(
      (await slotsOf(withoutHolds!.system)).edges.map((e: { node: { id: string } }) => e.node.id),
    ).not.toContain(slotId);
    const confirmed = await graphql(
      `mutation ($input: ConfirmReservationInput!) { confirmReservation(input: $input) { ${result()} } }`,
      {
        input: {
          reservationId: held.data.holdSlot.reservation.id,
          patient,
          idempotencyKey: 'platform-confirm',
        },
      },
    );
    expect(confirmed.data.confirmReservation.reservation).toMatchObject({
      status: 'CONFIRMED',
      expiresAt: null,
    });
  });

  it('answers BookingByLink with the deep link where booking is by link only', async () => {
    const linkOnly = providers.find((p) => p.capabilities.includes('DEEP_LINK_ONLY'));
    expect(linkOnly).toBeDefined();
    const { edges } = await slotsOf(linkOnly!.system);
    const slot = edges.find(
      (e: { node: { bookingMethod: string } }) => e.node.bookingMethod === 'DEEP_LINK',
    ).node;
    expect(new URL(slot.bookingUrl).searchParams.get('source')).toBe('varden');
    const body = await graphql(
      `mutation ($input: ReserveSlotInput!) { reserveSlot(input: $input) { ${result('... on BookingByLink { message bookingUrl slotId }')} } }`,
      { input: { slotId: slot.id, patient, idempotencyKey: 'by-link' } },
    );
    expect(body.data.reserveSlot).toMatchObject({
      __typename: 'BookingByLink',
      bookingUrl: slot.bookingUrl,
      slotId: slot.id,
    });
  });
});
