import { expect } from 'vitest';
import {
  type BookingLookup,
  type BookingResult,
  type Connection,
  errorsOf,
  type GraphQLAnswer,
  type MutationName,
  resultFields,
  type Slot,
  slotFields,
} from './suiteContext.js';

/** The fields of `contractConnections` every check reads. */
export const connectionFields =
  'id system name capabilities holdTtlSeconds unavailableReason clinics { id name timeZone treatmentIds location { latitude longitude } } treatments { id providerCode name }';
export const bookingFields = 'reservationId slotId status providerReference expiresAt start end';
export const lookupFields = `status booking { ${bookingFields} } reason`;
export const slotsQuery = `query ($input: ContractSlotsInput!) { contractSlots(input: $input) { ${slotFields} } }`;

/** An instant as the contract takes it. */
const instant = (value: Date | string) => (typeof value === 'string' ? value : value.toISOString());

/**
 * A provider subgraph's contract over HTTP, as scheduling speaks it: the contract suite's calls
 * and every provider's own tests. `graphql` answers as the subgraph sent it; the others expect
 * no errors and answer the data.
 */
export function createContractClient(graphqlUrl: () => string) {
  // biome-ignore lint/suspicious/noExplicitAny: a test reads the shape of its own operation.
  async function graphql<T = any>(
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<GraphQLAnswer<T>> {
    const response = await fetch(graphqlUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
      // Bounded, so a provider that never answers fails the test instead of hanging the run.
      signal: AbortSignal.timeout(20_000),
    });
    return (await response.json()) as GraphQLAnswer<T>;
  }

  async function data<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const answer = await graphql<T>(query, variables);
    expect(answer.errors, errorsOf(answer)).toBeUndefined();
    return answer.data!;
  }

  return {
    graphql,

    async connections(): Promise<Connection[]> {
      const query = `{ contractConnections { ${connectionFields} } }`;
      return (await data<{ contractConnections: Connection[] }>(query)).contractConnections;
    },

    /** `contractSlots` of `[from, to)`, with `extra` filters (clinicIds, treatmentId, …). */
    async findSlots(
      connectionId: string,
      from: Date | string,
      to: Date | string,
      extra: Record<string, unknown> = {},
    ): Promise<Slot[]> {
      const input = { connectionId, from: instant(from), to: instant(to), ...extra };
      return (await data<{ contractSlots: Slot[] }>(slotsQuery, { input })).contractSlots;
    },

    /** A booking mutation's result; the errors of a failed call fail the test. */
    async mutate(name: MutationName, input: object): Promise<BookingResult> {
      const type = `Contract${name.slice('contract'.length)}Input`;
      const query = `mutation ($input: ${type}!) { ${name}(input: $input) { ${resultFields} } }`;
      return (await data<Record<string, BookingResult>>(query, { input }))[name]!;
    },

    /** The slot's status (`FREE`, `HELD`, `BOOKED`), or null when the provider does not know it. */
    async slotState(connectionId: string, slotId: string): Promise<string | null> {
      const query =
        'query ($c: ID!, $s: ID!) { contractSlot(connectionId: $c, slotId: $s) { status slot { id } } }';
      const answer = await data<{ contractSlot: { status: string } | null }>(query, {
        c: connectionId,
        s: slotId,
      });
      return answer.contractSlot?.status ?? null;
    },

    /**
     * What the provider knows of `reservationId`: its booking (`FOUND`), certainly none
     * (`NOT_BOOKED`) or that it cannot tell (`UNKNOWN`). The errors of a failed call fail the test.
     */
    async lookUp(connectionId: string, reservationId: string): Promise<BookingLookup> {
      const query = `query ($c: ID!, $r: ID!) { contractBooking(connectionId: $c, reservationId: $r) { ${lookupFields} } }`;
      const answer = await data<{ contractBooking: BookingLookup }>(query, {
        c: connectionId,
        r: reservationId,
      });
      return answer.contractBooking;
    },
  };
}

export type ContractClient = ReturnType<typeof createContractClient>;
