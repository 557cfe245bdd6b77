import { readFileSync } from 'node:fs';
import {
  ApolloClient,
  ApolloLink,
  InMemoryCache,
  type ObservableQuery,
  type OperationVariables,
} from '@apollo/client';
import { buildASTSchema, isAbstractType, parse } from 'graphql';
import { of } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { possibleTypes, typePolicies } from '../src/apollo/index.js';
import {
  AvailabilityDocument,
  type AvailabilityQuery,
  type ClinicSummaryFragment,
  ClinicsDocument,
  HoldSlotDocument,
  MyReservationsDocument,
  type ReservationDetailsFragment,
  SlotDocument,
} from '../src/documents.js';

type Slot = AvailabilityQuery['availability']['edges'][number]['node'];

const provider = { __typename: 'Provider', id: 'p1', name: 'Nordklinik' } as const;
const address = { __typename: 'Address', line: 'Storgatan 1', city: 'Uppsala' } as const;

function clinic(id: string, city: string): ClinicSummaryFragment {
  return {
    __typename: 'Clinic',
    id,
    name: `Nordklinik ${city} ${id}`,
    timeZone: 'Europe/Stockholm',
    distanceKm: null,
    address: { __typename: 'Address', line: 'Storgatan 1', postalCode: '753 20', city },
    location: null,
    provider,
    treatments: [],
  };
}

function slot(n: number): Slot {
  const start = new Date(Date.UTC(2026, 2, 25, 8, 15 * n)).toISOString();
  return {
    __typename: 'Slot',
    id: `s${n}`,
    start,
    end: start,
    durationMinutes: 15,
    available: true,
    bookingMethod: 'API',
    bookingUrl: null,
    clinic: {
      __typename: 'Clinic',
      id: 'c1',
      name: 'Nordklinik',
      timeZone: 'Europe/Stockholm',
      address,
    },
    treatment: null,
    practitioner: null,
    provider,
  };
}

function reservation(n: number): ReservationDetailsFragment {
  return {
    __typename: 'Reservation',
    id: `r${n}`,
    status: 'CONFIRMED',
    cancelledBy: null,
    expiresAt: null,
    providerReference: null,
    createdAt: '2026-03-25T08:00:00Z',
    updatedAt: '2026-03-25T08:00:00Z',
    slot: slot(n),
    rescheduledFrom: null,
  };
}

/** The page of `items` after the one with cursor `after`, as the API pages. */
function page<T extends { id: string }>(items: T[], variables: OperationVariables) {
  const start = variables.after
    ? items.findIndex((item) => `cursor-${item.id}` === variables.after) + 1
    : 0;
  const edges = items.slice(start, start + (variables.first ?? 50));
  return {
    totalCount: items.length,
    edges: edges.map((node) => ({ __typename: 'Edge', cursor: `cursor-${node.id}`, node })),
    pageInfo: {
      __typename: 'PageInfo',
      hasNextPage: start + edges.length < items.length,
      endCursor: edges.length > 0 ? `cursor-${edges.at(-1)!.id}` : null,
    },
  };
}

const window = { from: '2026-03-25T00:00:00Z', to: '2026-04-01T00:00:00Z' };
const lists = {
  slots: Array.from({ length: 7 }, (_, n) => slot(n)),
  /** What a search with a treatment finds. */
  treatmentSlots: [slot(20), slot(21)],
  reservations: Array.from({ length: 5 }, (_, n) => reservation(n)),
  uppsala: ['c1', 'c2', 'c3'].map((id) => clinic(id, 'Uppsala')),
  lund: ['c7', 'c8'].map((id) => clinic(id, 'Lund')),
};

/** A client whose link answers from the lists above, recording each operation's variables. */
function fakeApi() {
  const asked: OperationVariables[] = [];
  const link = new ApolloLink(({ operationName, variables }) => {
    asked.push(variables);
    switch (operationName) {
      case 'Availability': {
        const list = variables.filter.treatmentId ? lists.treatmentSlots : lists.slots;
        return of({
          data: {
            __typename: 'Query',
            availability: {
              __typename: 'AvailabilityConnection',
              providerOutcomes: [],
              ...page(list, variables),
            },
          },
        });
      }
      case 'MyReservations':
        return of({
          data: {
            __typename: 'Query',
            myReservations: {
              __typename: 'ReservationConnection',
              ...page(lists.reservations, variables),
            },
          },
        });
      case 'Clinics': {
        const list = variables.filter?.city === 'Lund' ? lists.lund : lists.uppsala;
        return of({
          data: {
            __typename: 'Query',
            clinics: { __typename: 'ClinicConnection', ...page(list, variables) },
          },
        });
      }
      default:
        return of({ data: { __typename: 'Query', slot: slot(0) } });
    }
  });
  return {
    apollo: new ApolloClient({ link, cache: new InMemoryCache({ typePolicies, possibleTypes }) }),
    asked,
  };
}

type Connection = {
  edges: readonly { node: { id: string } }[];
  pageInfo: { endCursor: string | null };
};

/** A watched list as a page shows it: its ids now, "show more", and a refetch. */
function watched<TData, TVariables extends OperationVariables>(
  query: ObservableQuery<TData, TVariables>,
  listOf: (data: TData) => Connection,
) {
  const subscription = query.subscribe(() => {});
  const ids = () => {
    const { data, dataState } = query.getCurrentResult();
    return dataState === 'complete' ? listOf(data as TData).edges.map((e) => e.node.id) : [];
  };
  /** "Show more": the list grows once the cache has merged the page and told the query. */
  const more = async () => {
    const { data } = query.getCurrentResult();
    const after = listOf(data as TData).pageInfo.endCursor;
    await query.fetchMore({ variables: { after } as unknown as Partial<TVariables> });
  };
  return { ids, more, stop: () => subscription.unsubscribe() };
}

describe('typePolicies', () => {
  it('appends the availability page fetchMore asks for, one list per filter; a refetch starts it again', async () => {
    const { apollo, asked } = fakeApi();
    const query = apollo.watchQuery({
      query: AvailabilityDocument,
      variables: { filter: window, first: 3 },
    });
    const list = watched(query, (data) => data.availability);
    await expect.poll(list.ids).toEqual(['s0', 's1', 's2']);
    await list.more();
    await expect.poll(list.ids).toEqual(['s0', 's1', 's2', 's3', 's4', 's5']);
    await list.more();
    await expect.poll(list.ids).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6']);
    expect(query.getCurrentResult().data?.availability?.pageInfo).toMatchObject({
      hasNextPage: false,
      endCursor: 'cursor-s6',
    });
    expect(asked.map((v) => v.after)).toEqual([undefined, 'cursor-s2', 'cursor-s5']);

    const other = await apollo.query({
      query: AvailabilityDocument,
      variables: { filter: { ...window, treatmentId: 't1' }, first: 3 },
    });
    expect(other.data?.availability.edges.map((e) => e.node.id)).toEqual(['s20', 's21']);
    expect(list.ids()).toHaveLength(7);

    await query.refetch();
    await expect.poll(list.ids).toEqual(['s0', 's1', 's2']);
    list.stop();
  });

  it('appends pages of myReservations into one list', async () => {
    const { apollo } = fakeApi();
    const list = watched(
      apollo.watchQuery({ query: MyReservationsDocument, variables: { first: 2 } }),
      (data) => data.myReservations,
    );
    await expect.poll(list.ids).toEqual(['r0', 'r1']);
    await list.more();
    await expect.poll(list.ids).toEqual(['r0', 'r1', 'r2', 'r3']);
    await list.more();
    await expect.poll(list.ids).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    list.stop();
  });

  it('appends pages of clinics, one list per filter', async () => {
    const { apollo } = fakeApi();
    const uppsala = watched(
      apollo.watchQuery({
        query: ClinicsDocument,
        variables: { filter: { city: 'Uppsala' }, first: 2 },
      }),
      (data) => data.clinics,
    );
    const lund = watched(
      apollo.watchQuery({ query: ClinicsDocument, variables: { filter: { city: 'Lund' } } }),
      (data) => data.clinics,
    );
    await expect.poll(uppsala.ids).toEqual(['c1', 'c2']);
    await expect.poll(lund.ids).toEqual(['c7', 'c8']);
    await uppsala.more();
    await expect.poll(uppsala.ids).toEqual(['c1', 'c2', 'c3']);
    expect(lund.ids()).toEqual(['c7', 'c8']);
    uppsala.stop();
    lund.stop();
  });

  it('keeps the fields of a clinic’s address that a slot’s clinic does not select', async () => {
    const { apollo } = fakeApi();
    await apollo.query({ query: ClinicsDocument, variables: { filter: { city: 'Uppsala' } } });
    // The slot's clinic is c1 with an address of line and city only.
    await apollo.query({ query: SlotDocument, variables: { id: 's0' } });
    const clinics = apollo.cache.readQuery({
      query: ClinicsDocument,
      variables: { filter: { city: 'Uppsala' } },
    });
    expect(clinics?.clinics.edges[0]?.node.address).toEqual(lists.uppsala[0]?.address);
  });
});

describe('possibleTypes', () => {
  it('keeps the BookingError fields of a mutation result (message), which a cache without it drops', async () => {
    const answer = { __typename: 'SlotUnavailable', message: 'The slot was taken.', slotId: 's1' };
    const link = new ApolloLink(() => of({ data: { __typename: 'Mutation', holdSlot: answer } }));
    const variables = { input: { slotId: 's1', idempotencyKey: 'k1' } };
    const hold = (cache: InMemoryCache) =>
      new ApolloClient({ link, cache }).mutate({ mutation: HoldSlotDocument, variables });

    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const withTypes = await hold(new InMemoryCache({ typePolicies, possibleTypes }));
    expect(withTypes.data?.holdSlot).toEqual(answer);
    expect(warnings).not.toHaveBeenCalled();
    const without = await hold(new InMemoryCache({ typePolicies }));
    expect(without.data?.holdSlot).not.toHaveProperty('message');
    expect(String(warnings.mock.calls[0]?.[0])).toContain('missing `possibleTypes` entry');
    warnings.mockRestore();
  });

  it('lists every union and interface of the public schema with all its object types', () => {
    const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
    const schema = buildASTSchema(
      parse(
        `${read('../../schema/federation-directives.graphql')}\n${read('../../subgraphs/scheduling/schema.graphql')}`,
      ),
      { assumeValidSDL: true },
    );
    const expected = Object.fromEntries(
      Object.values(schema.getTypeMap())
        .filter(isAbstractType)
        .map((type) => [type.name, schema.getPossibleTypes(type).map((t) => t.name)]),
    );
    const sorted = (map: Record<string, readonly string[]>) =>
      Object.fromEntries(Object.entries(map).map(([name, types]) => [name, [...types].sort()]));
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(sorted(possibleTypes)).toEqual(sorted(expected));
  });
});
