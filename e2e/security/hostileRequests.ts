import { randomBytes } from 'node:crypto';
import type { Scope } from '@booking/server-kit';

/**
 * The chaos probe's corpus of malformed and hostile requests, one row each: what is sent and the
 * status and `extensions.code` a production gateway must answer with.
 */

export interface Row {
  /** What the row sends: a body (JSON-encoded unless a string), or a whole request. */
  body?: unknown;
  method?: string;
  /** Added to the URL, e.g. a GET request's query string. */
  search?: string;
  path?: string;
  headers?: Record<string, string>;
  /** Credentials: a valid token with these scopes (the default: `availability:read`), or none. */
  scopes?: Scope[] | 'none';
  status: number;
  /** The expected `extensions.code`. */
  code: string;
}

export const from = new Date(Date.now() + 2 * 24 * 3600_000);
export const to = new Date(from.getTime() + 24 * 3600_000).toISOString();
export const availability = `query ($filter: AvailabilityFilter!) {
  availability(filter: $filter, first: 1) { edges { node { id } } } }`;
const withFrom = (value: unknown) => ({
  query: availability,
  variables: { filter: { from: value, to } },
});
const cancel =
  'mutation ($input: CancelReservationInput!) { cancelReservation(input: $input) { __typename } }';
const getSearch = (query: string, variables?: unknown) =>
  `?${new URLSearchParams({ query, ...(variables !== undefined && { variables: JSON.stringify(variables) }) })}`;
const aliases = (n: number, field: string) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;
const deep = (levels: number) =>
  `{ reservation(id: "x") { ${'rescheduledFrom { '.repeat(levels)}id${' }'.repeat(levels)} } }`;

/** Tokens whose credentials fail, made once the graph's own signing key exists. */
export const tokens: Record<string, string> = {};

export const rows: Record<string, Row> = {
  // The HTTP body and its framing.
  'a body that is not JSON': {
    body: '{"query": "{ treatments { id } }"',
    status: 400,
    code: 'BAD_REQUEST',
  },
  'an empty JSON body': { body: '', status: 400, code: 'BAD_REQUEST' },
  'a JSON null body': { body: 'null', status: 400, code: 'BAD_REQUEST' },
  'a JSON string body': { body: '"{ treatments { id } }"', status: 400, code: 'BAD_REQUEST' },
  'a text/plain body (CSRF)': {
    body: JSON.stringify({ query: '{ treatments { id } }' }),
    headers: { 'content-type': 'text/plain' },
    status: 400,
    code: 'BAD_REQUEST',
  },
  'a form-encoded body (CSRF)': {
    body: 'query=%7B%20treatments%20%7B%20id%20%7D%20%7D',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 400,
    code: 'BAD_REQUEST',
  },
  'a PUT': {
    method: 'PUT',
    body: { query: '{ treatments { id } }' },
    status: 405,
    code: 'BAD_REQUEST',
  },
  'a body over MAX_BODY_BYTES': {
    body: { query: `{ treatments { id } } # ${'x'.repeat(300_000)}` },
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  'a batch of two operations': {
    body: [{ query: '{ treatments { id } }' }, { query: '{ providers { id } }' }],
    status: 400,
    code: 'BAD_REQUEST',
  },
  'an empty batch': { body: [], status: 400, code: 'BAD_REQUEST' },
  'a query that is not a string': { body: { query: 42 }, status: 400, code: 'BAD_REQUEST' },
  'no query and no persisted hash': { body: { variables: {} }, status: 400, code: 'BAD_REQUEST' },
  'variables as a JSON-encoded string': {
    body: { query: availability, variables: JSON.stringify({ filter: { from: to, to } }) },
    status: 400,
    code: 'BAD_REQUEST',
  },
  'an operationName that is not a string': {
    body: { query: '{ treatments { id } }', operationName: 7 },
    status: 400,
    code: 'BAD_REQUEST',
  },
  'a path that is not the API': { path: '/admin', method: 'GET', status: 404, code: 'NOT_FOUND' },
  // GET.
  'a mutation over GET': {
    method: 'GET',
    search: getSearch(cancel, { input: { reservationId: 'x', idempotencyKey: 'k' } }),
    headers: { 'apollo-require-preflight': '1' },
    scopes: ['reservations:write'],
    status: 405,
    code: 'BAD_REQUEST',
  },
  'a GET without a CSRF preflight header': {
    method: 'GET',
    search: getSearch('{ treatments { id } }'),
    status: 400,
    code: 'BAD_REQUEST',
  },
  // Documents.
  'a document that does not parse': {
    body: { query: '{ treatments { id }' },
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  'a document over 2 000 tokens': {
    body: { query: `{ treatments { ${'id '.repeat(3000)} } }` },
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  'a document 20 levels deep': {
    body: { query: deep(20) },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  '40 aliases': {
    body: { query: aliases(40, 'treatments { id }') },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  '40 __typename aliases': {
    body: { query: aliases(40, '__typename') },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  '20 directives on one field': {
    body: { query: `{ treatments ${'@include(if: true) '.repeat(20)} { id } }` },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  'an unknown field': {
    body: { query: '{ patients { id } }' },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  'introspection in production': {
    body: { query: '{ __schema { types { name } } }' },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  'a subscription, which the schema has no root for': {
    body: { query: 'subscription { __typename }' },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  'a document of fragments only': {
    body: { query: 'fragment F on Query { treatments { id } }' },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  'an operationName that names no operation': {
    body: { query: 'query A { treatments { id } }', operationName: 'B' },
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  'two operations and no operationName': {
    body: { query: 'query A { treatments { id } } query B { providers { id } }' },
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  // Variables and scalars.
  'a variable the document does not declare': {
    body: { query: '{ clinics(first: $n) { totalCount } }', variables: { n: 1 } },
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  'a required variable left out': {
    body: { query: availability },
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  'a string for an Int variable': {
    body: {
      query: 'query ($n: Int) { clinics(first: $n) { totalCount } }',
      variables: { n: 'ten' },
    },
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  'an Int variable over 2^31': {
    body: {
      query: 'query ($n: Int) { clinics(first: $n) { totalCount } }',
      variables: { n: 1e12 },
    },
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  'a string for the filter object': {
    body: { query: availability, variables: { filter: 'next week' } },
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  'a DateTime without offset': {
    body: withFrom('2026-12-10T10:00:00'),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  'a DateTime on 30 February': {
    body: withFrom('2026-02-30T10:00:00+01:00'),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  'a DateTime at a leap second': {
    body: withFrom('2026-12-31T23:59:60Z'),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  'a DateTime at 25 o’clock': {
    body: withFrom('2026-11-26T25:00:00+01:00'),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  'a DateTime as an epoch number': {
    body: withFrom(1_765_000_000),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  'a DateTime written in the document': {
    body: {
      query: `{ availability(filter: { from: "2026-12-10", to: "${to}" }) { edges { cursor } } }`,
    },
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  // Persisted documents.
  'a persisted hash that is not its text’s': {
    body: {
      query: '{ treatments { id } }',
      extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } },
    },
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  'an unknown persisted-query version': {
    body: { extensions: { persistedQuery: { version: 2, sha256Hash: '0'.repeat(64) } } },
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  // Credentials.
  'a garbage bearer token': {
    headers: { authorization: 'Bearer garbage' },
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  'an expired token': {
    headers: { authorization: 'expired' },
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  'a tampered token': {
    headers: { authorization: 'tampered' },
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  'a token signed with alg=none': {
    headers: { authorization: 'none' },
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  'a token signed by a foreign key': {
    headers: { authorization: 'foreign' },
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  'a Basic authorization': {
    headers: { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  'a random API key': {
    headers: { 'x-api-key': randomBytes(24).toString('hex') },
    scopes: 'none',
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  'no credentials in production': { scopes: 'none', status: 401, code: 'UNAUTHENTICATED' },
  'a mutation without its scope': {
    body: { query: cancel, variables: { input: { reservationId: 'x', idempotencyKey: 'k' } } },
    status: 403,
    code: 'FORBIDDEN',
  },
};
