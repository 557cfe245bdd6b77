import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientScopes,
  createInProcessGraph,
  type InProcessGraph,
} from '../support/inProcessGraph.js';

const availability = /* GraphQL */ `
  query ($filter: AvailabilityFilter!, $first: Int, $after: String) {
    availability(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id start end durationMinutes provider { name } clinic { id name } treatment { id } practitioner { name } bookingMethod available } }
      pageInfo { hasNextPage endCursor }
      totalCount
      providerOutcomes { provider { id name status } status latencyMs message }
    }
  }
`;

describe('the whole graph in one process (gateway → scheduling → provider-cliniq)', () => {
  let graph: InProcessGraph;
  const from = new Date(Date.now() + 24 * 3600_000);
  const window = {
    from: from.toISOString(),
    to: new Date(from.getTime() + 7 * 24 * 3600_000).toISOString(),
  };

  beforeAll(async () => {
    graph = await createInProcessGraph({ deadlineMs: 800 });
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('lists both Cliniq tenants as providers, UP, with API booking', async () => {
    const { data, errors } = await graph.execute(
      '{ providers { id name system status capabilities } }',
    );
    expect(errors).toBeUndefined();
    expect(data.providers.map((p: { name: string }) => p.name)).toEqual([
      'Nordklinik',
      'Västkustens Vårdcentraler',
    ]);
    for (const provider of data.providers) {
      expect(provider.status).toBe('UP');
      expect(provider.system).toBe('cliniq');
      expect(provider.capabilities).toContain('API_BOOKING');
    }
  });

  it('filters clinics by city and by distance, and pages them', async () => {
    const byCity = await graph.execute(
      '{ clinics(filter: { city: "göteborg" }) { edges { node { name address { city } } } totalCount } }',
    );
    expect(byCity.data.clinics.totalCount).toBeGreaterThan(0);
    for (const edge of byCity.data.clinics.edges) expect(edge.node.address.city).toBe('Göteborg');

    const near = await graph.execute(
      '{ clinics(filter: { near: { latitude: 59.3293, longitude: 18.0686 }, radiusKm: 20 }) { edges { node { name distanceKm address { city } } } } }',
    );
    expect(near.data.clinics.edges.length).toBeGreaterThan(0);
    for (const edge of near.data.clinics.edges) {
      expect(edge.node.distanceKm).toBeLessThanOrEqual(20);
      expect(edge.node.address.city).toBe('Stockholm');
    }

    const all = await graph.execute('{ clinics { edges { node { id } } totalCount } }');
    const page1 = await graph.execute(
      '{ clinics(first: 4) { edges { node { id } } pageInfo { endCursor hasNextPage } } }',
    );
    const page2 = await graph.execute(
      `{ clinics(first: 50, after: "${page1.data.clinics.pageInfo.endCursor}") { edges { node { id } } pageInfo { hasNextPage } } }`,
    );
    expect(
      [...page1.data.clinics.edges, ...page2.data.clinics.edges].map(
        (e: { node: { id: string } }) => e.node.id,
      ),
    ).toEqual(all.data.clinics.edges.map((e: { node: { id: string } }) => e.node.id));
    expect(page2.data.clinics.pageInfo.hasNextPage).toBe(false);

    // A cursor is accepted only by the query that made it: another filter's is refused by name.
    const otherFilter = await graph.execute(
      `{ clinics(first: 4, filter: { city: "Stockholm" }, after: "${page1.data.clinics.pageInfo.endCursor}") { edges { node { id } } } }`,
    );
    expect(otherFilter.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
  });

  it('merges availability across tenants, filtered by treatment, and resolves a slot by id', async () => {
    const { data, errors } = await graph.execute(availability, {
      filter: { ...window, treatmentId: 'general-practitioner' },
      first: 100,
    });
    expect(errors).toBeUndefined();
    const { edges, providerOutcomes } = data.availability;
    expect(providerOutcomes.map((o: { status: string }) => o.status)).toEqual(['OK', 'OK']);
    expect(
      new Set(edges.map((e: { node: { provider: { name: string } } }) => e.node.provider.name))
        .size,
    ).toBe(2);
    for (const { node } of edges) {
      expect(node.treatment.id).toBe('general-practitioner');
      expect(node.bookingMethod).toBe('API');
    }
    const first = edges[0].node;
    const slot = await graph.execute(
      'query ($id: ID!) { slot(id: $id) { id start available clinic { id } } }',
      { id: first.id },
    );
    expect(slot.data.slot).toMatchObject({
      id: first.id,
      start: first.start,
      available: true,
      clinic: { id: first.clinic.id },
    });
  });

  it('searches ten weeks ahead and finds only the clinic whose book is open that far', async () => {
    const far = new Date(Date.now() + 70 * 24 * 3600_000);
    const { data, errors } = await graph.execute(availability, {
      filter: {
        from: far.toISOString(),
        to: new Date(far.getTime() + 7 * 24 * 3600_000).toISOString(),
      },
      first: 100,
    });
    expect(errors).toBeUndefined();
    expect(data.availability.providerOutcomes.map((o: { status: string }) => o.status)).toEqual([
      'OK',
      'OK',
    ]);
    const clinics = new Set(
      data.availability.edges.map(
        (e: { node: { clinic: { name: string } } }) => e.node.clinic.name,
      ),
    );
    // Primary care opens four to eight weeks ahead; Linné's child health care, 90 days.
    expect([...clinics]).toEqual(['Västkustens Vårdcentral Linné']);
    const first = data.availability.edges[0].node;
    const slot = await graph.execute('query ($id: ID!) { slot(id: $id) { id available } }', {
      id: first.id,
    });
    expect(slot.data.slot).toEqual({ id: first.id, available: true });
  });

  it('only asks the providers a clinic filter can match, and reports the rest as SKIPPED', async () => {
    const clinics = await graph.execute(
      '{ clinics(filter: { city: "Uppsala" }) { edges { node { id provider { name } } } } }',
    );
    const clinicIds = clinics.data.clinics.edges.map((e: { node: { id: string } }) => e.node.id);
    const { data } = await graph.execute(availability, {
      filter: { ...window, clinicIds },
      first: 20,
    });
    const statuses = Object.fromEntries(
      data.availability.providerOutcomes.map(
        (o: { provider: { name: string }; status: string }) => [o.provider.name, o.status],
      ),
    );
    expect(statuses).toEqual({ Nordklinik: 'OK', 'Västkustens Vårdcentraler': 'SKIPPED' });
    for (const edge of data.availability.edges) expect(clinicIds).toContain(edge.node.clinic.id);
  });

  it('narrows to a practitioner by the id a slot gives, asking only that practitioner’s provider', async () => {
    const byPractitioner = /* GraphQL */ `
      query ($filter: AvailabilityFilter!) {
        availability(filter: $filter, first: 50) {
          edges { node { practitioner { id } provider { name } } }
          providerOutcomes { provider { name } status }
        }
      }
    `;
    // A window of its own: a cached answer must not reach the other tests' searches.
    const ownWindow = {
      from: new Date(from.getTime() + 24 * 3600_000).toISOString(),
      to: new Date(from.getTime() + 3 * 24 * 3600_000).toISOString(),
    };
    const all = await graph.execute(byPractitioner, { filter: ownWindow });
    const chosen = all.data.availability.edges.at(-1).node;
    const { data, errors } = await graph.execute(byPractitioner, {
      filter: { ...ownWindow, practitionerId: chosen.practitioner.id },
    });
    expect(errors).toBeUndefined();
    expect(data.availability.edges.length).toBeGreaterThan(0);
    for (const edge of data.availability.edges) {
      expect(edge.node.practitioner.id).toBe(chosen.practitioner.id);
    }
    expect(data.availability.providerOutcomes).toEqual([
      { provider: { name: chosen.provider.name }, status: 'OK' },
    ]);
    // A practitioner id is a public id: anything else is the client's mistake, named.
    const bad = await graph.execute(byPractitioner, {
      filter: { ...ownWindow, practitionerId: 'P1' },
    });
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.practitionerId',
    });
  });

  it('reports a slow tenant as TIMEOUT and still returns the other tenant’s slots', async () => {
    await graph.configureSimulator({ tenants: { vastkusten: { latencyMs: 2000 } } });
    try {
      const started = performance.now();
      const { data } = await graph.execute(availability, { filter: window, first: 10 });
      expect(performance.now() - started).toBeLessThan(800 + 500);
      const outcome = Object.fromEntries(
        data.availability.providerOutcomes.map(
          (o: { provider: { name: string }; status: string }) => [o.provider.name, o.status],
        ),
      );
      expect(outcome).toEqual({ Nordklinik: 'OK', 'Västkustens Vårdcentraler': 'TIMEOUT' });
      expect(data.availability.edges.length).toBe(10);
    } finally {
      await graph.configureSimulator({ tenants: { vastkusten: { latencyMs: 0 } } });
    }
  });

  it('answers bad filters and malformed ids with BAD_USER_INPUT naming the field', async () => {
    const tooLong = await graph.execute(availability, {
      filter: {
        from: window.from,
        to: new Date(from.getTime() + 40 * 24 * 3600_000).toISOString(),
      },
    });
    expect(tooLong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await graph.execute(availability, { filter: window, first: 201 });
    expect(tooMany.errors?.[0]?.message).toMatch(/first/);
    const badId = await graph.execute('{ slot(id: "nope") { id } }');
    expect(badId.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('resolves entities by reference (_entities) in the scheduling subgraph', async () => {
    const { data } = await graph.execute('{ providers { id } }');
    const id = data.providers[0].id;
    const response = await graph.scheduling.apollo.executeOperation(
      {
        query:
          'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Provider { id name } } }',
        variables: { r: [{ __typename: 'Provider', id }] },
      },
      { contextValue: graph.scheduling.contextFor('in-process-client', clientScopes) },
    );
    expect(response.body.kind === 'single' && response.body.singleResult.data).toEqual({
      _entities: [{ id, name: 'Nordklinik' }],
    });
  });
});
