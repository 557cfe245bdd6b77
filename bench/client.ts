/** The bench's GraphQL client and the simulators' admin knobs. */
import { signDevelopmentToken } from '@booking/gateway';
import {
  developmentInternalSecret,
  identityHeaders,
  internalSecretHeader,
  Scope,
} from '@booking/server-kit';
import type { RunningSystem } from '@booking/tools';
import { DateTime } from 'luxon';

const requestTimeoutMs = 15_000;

export const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

export const patient = {
  personalIdentityNumber: '19900101-0017',
  givenName: 'Bench',
  familyName: 'Patient',
};

export interface GraphQLBody {
  // biome-ignore lint/suspicious/noExplicitAny: the bench walks untyped GraphQL results by path
  data?: any;
  errors?: { message: string }[];
}
export interface Outcome {
  provider: { id: string; name: string };
  status: string;
  latencyMs: number | null;
  ageMs: number | null;
}
export interface Edge {
  node: {
    id: string;
    start: string;
    bookingMethod: string;
    provider: { id: string; name: string };
  };
}
export interface AvailabilityAnswer {
  edges: Edge[];
  providerOutcomes: Outcome[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const availabilityQuery = `query Availability($filter: AvailabilityFilter!, $first: Int, $after: String) {
  availability(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id start end bookingMethod provider { id name } } }
    providerOutcomes { provider { id name } status latencyMs ageMs }
  }
}`;
const reserveMutation = `mutation Reserve($input: ReserveSlotInput!) {
  reserveSlot(input: $input) {
    __typename
    ... on ReservationResult { reservation { id status } }
    ... on BookingError { message }
  }
}`;
const cancelMutation = `mutation Cancel($input: CancelReservationInput!) {
  cancelReservation(input: $input) {
    __typename
    ... on ReservationResult { reservation { id status } }
    ... on BookingError { message }
  }
}`;

/** The bench's client: a development JWT for the gateway, identity headers for scheduling. */
const benchScopes = [Scope.AvailabilityRead, Scope.ReservationsRead, Scope.ReservationsWrite];
const benchHeaders = {
  'content-type': 'application/json',
  authorization: `Bearer ${await signDevelopmentToken({ clientId: 'bench', scopes: benchScopes })}`,
  // Only read by scheduling, for the requests the bench sends it directly, as the gateway would.
  [internalSecretHeader]: developmentInternalSecret,
  [identityHeaders.clientId]: 'bench',
  [identityHeaders.scopes]: benchScopes.join(' '),
};

export async function graphql(url: string, query: string, variables: object): Promise<GraphQLBody> {
  const response = await fetch(url, {
    method: 'POST',
    headers: benchHeaders,
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(requestTimeoutMs),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as GraphQLBody;
}

/** The `data` field of a mutation or query that must answer without GraphQL errors. */
async function answer(url: string, query: string, variables: object, field: string) {
  const body = await graphql(url, query, variables);
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data[field];
}

export async function availability(url: string, variables: object): Promise<AvailabilityAnswer> {
  return answer(url, availabilityQuery, variables, 'availability');
}

/** A booking mutation's typed result: the reservation's status, or the result type's name. */
export interface BookingAnswer {
  __typename: string;
  reservation?: { id: string; status: string };
  message?: string;
}

export function reserveSlot(url: string, slotId: string, idempotencyKey: string) {
  return answer(
    url,
    reserveMutation,
    { input: { slotId, patient, idempotencyKey } },
    'reserveSlot',
  ) as Promise<BookingAnswer>;
}

export function cancelReservation(url: string, reservationId: string, idempotencyKey: string) {
  return answer(
    url,
    cancelMutation,
    { input: { reservationId, idempotencyKey } },
    'cancelReservation',
  ) as Promise<BookingAnswer>;
}

/** Free slots bookable through the platform, paged from the gateway (at most `wanted`). */
export async function collectApiSlots(url: string, wanted: number, days: number) {
  const slots: Edge['node'][] = [];
  const window = week(days);
  let after: string | null = null;
  for (let page = 0; page < 40 && slots.length < wanted; page += 1) {
    const found = await availability(url, { filter: window, first: 200, after });
    for (const { node } of found.edges) {
      if (node.bookingMethod === 'API' && slots.length < wanted) slots.push(node);
    }
    after = found.pageInfo.hasNextPage ? found.pageInfo.endCursor : null;
    if (!after) break;
  }
  return slots;
}

/** Patches a simulator's knobs (`POST /_admin/config`). */
export async function admin(baseUrl: string, config: object): Promise<void> {
  const response = await fetch(`${baseUrl}/_admin/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(config),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) {
    throw new Error(`${baseUrl}/_admin/config: ${response.status} ${await response.text()}`);
  }
}

export type SimulatorLatencies = Record<'cliniq' | 'fhir' | 'rivta' | 'smart', number>;

export async function setLatencies(system: RunningSystem, latencies: SimulatorLatencies) {
  for (const [name, latencyMs] of Object.entries(latencies)) {
    await admin(system.urls[`simulator-${name}`]!, { latencyMs });
  }
}

/** `days` from tomorrow's start in Stockholm. */
export function week(days = 7) {
  const from = DateTime.now().setZone('Europe/Stockholm').startOf('day').plus({ days: 1 });
  return { from: from.toISO()!, to: from.plus({ days }).toISO()! };
}
