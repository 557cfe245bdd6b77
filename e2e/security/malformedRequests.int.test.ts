import { randomBytes } from 'node:crypto';
import { newSigningKey, signToken } from '@booking/gateway';
import type { Scope } from '@booking/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, request } from './send.js';
import { type HttpGraph, startHttpGraph } from './startHttpGraph.js';

/**
 * The chaos probe's corpus of malformed and hostile requests, sent to a production gateway (the
 * real gateway service over the real scheduling subgraph over HTTP). Each must get a 4xx with a
 * named `extensions.code`, and no 5xx, stack trace or internal URL.
 */

interface Row {
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
  /** The expected code; `null` where server-kit answers before GraphQL, without a code yet. */
  code: string | null;
}

const from = new Date(Date.now() + 2 * 24 * 3600_000);
const to = new Date(from.getTime() + 24 * 3600_000).toISOString();
const availability = `query ($filter: AvailabilityFilter!) {
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
const tokens: Record<string, string> = {};

const rows: Record<string, Row> = {
  // The HTTP body and its framing.
  'a body that is not JSON': { body: '{"query": "{ treatments { id } }"', status: 400, code: null },
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
    code: null,
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
  'a path that is not the API': { path: '/admin', method: 'GET', status: 404, code: null },
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

describe('malformed and hostile requests to a production gateway', () => {
  let graph: HttpGraph;
  /** The production gateways: documents as text allowed (they reach every check), and enforced. */
  const gateways: Record<string, string> = {};

  beforeAll(async () => {
    graph = await startHttpGraph({ NODE_ENV: 'production' });
    gateways.enforced = graph.url;
    gateways['allow-listed-or-hash'] = (
      await graph.gateway({ TRUSTED_DOCUMENTS: 'allow-listed-or-hash' })
    ).url;
    const valid = await graph.token(['availability:read']);
    const [header, payload, signature] = valid.split('.');
    const elevated = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload!, 'base64url').toString()),
        scope: 'admin',
      }),
    ).toString('base64url');
    const foreignKey = await newSigningKey('mallory');
    Object.assign(tokens, {
      expired: await graph.token(['admin'], { expiresInSeconds: -120 }),
      tampered: `${header}.${elevated}.${signature}`,
      none: `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`,
      foreign: await signToken({
        scopes: ['admin'],
        privateJwk: foreignKey.privateJwk,
        issuer: 'https://idp.http-graph.test',
      }),
    });
  });
  afterAll(async () => {
    await graph?.stop();
  });

  async function send(base: string, row: Row): Promise<Answer> {
    const method = row.method ?? 'POST';
    const headers: Record<string, string> = {
      ...(method !== 'GET' && { 'content-type': 'application/json' }),
      ...row.headers,
    };
    if (headers.authorization && tokens[headers.authorization]) {
      headers.authorization = `Bearer ${tokens[headers.authorization]}`;
    } else if (!headers.authorization && row.scopes !== 'none') {
      headers.authorization = `Bearer ${await graph.token(row.scopes ?? ['availability:read'])}`;
    }
    return request(`${base}${row.path ?? '/graphql'}${row.search ?? ''}`, {
      method,
      headers,
      ...(method !== 'GET' && {
        body:
          typeof row.body === 'string'
            ? row.body
            : JSON.stringify(row.body ?? { query: '{ treatments { id } }' }),
      }),
    });
  }

  /** No stack trace, no internal URL, no subgraph's answer. */
  function expectNoInsides(answer: Answer) {
    expect(answer.text).not.toContain(graph.schedulingUrl);
    expect(answer.text).not.toMatch(
      /127\.0\.0\.1|localhost|stacktrace|"response"|"debug"|\.ts:\d+|\.js:\d+/,
    );
  }

  it('holds at least 30 requests', () => {
    expect(Object.keys(rows).length).toBeGreaterThanOrEqual(30);
  });

  it.each(Object.entries(rows))(
    'allow-listed-or-hash: %s → the expected 4xx and code, nothing inside',
    async (_, row) => {
      const answer = await send(gateways['allow-listed-or-hash']!, row);
      expect(answer.status).toBe(row.status);
      expectNoInsides(answer);
      if (row.code !== null) {
        expect(answer.body.errors?.[0]?.extensions?.code).toBe(row.code);
        expect(answer.body.errors[0].message).not.toBe('Internal server error');
      }
    },
  );

  it.each(Object.entries(rows))(
    'enforced (production’s default): %s → a 4xx with a code, nothing inside',
    async (_, row) => {
      const answer = await send(gateways.enforced!, row);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expectNoInsides(answer);
      if (row.code !== null)
        expect(answer.body.errors?.[0]?.extensions?.code).toEqual(expect.any(String));
    },
  );

  // server-kit's HTTP shell answers these before GraphQL, with a message and no code. It is shared
  // by every service and outside this change: this fails (as expected) until it names a code.
  it.fails.each(Object.entries(rows).filter(([, row]) => row.code === null))(
    'known gap, server-kit: %s has a named code',
    async (_, row) => {
      const answer = await send(gateways['allow-listed-or-hash']!, row);
      expect(answer.body.errors?.[0]?.extensions?.code).toEqual(expect.any(String));
    },
  );

  it('still serves a well-formed request, and SDK documents by hash under enforcement, with a scalar the SDK got wrong refused as the client’s', async () => {
    const ok = await send(gateways['allow-listed-or-hash']!, { status: 200, code: null });
    expect(ok.status).toBe(200);
    expect(ok.body.data.treatments.length).toBeGreaterThan(0);
    const sdkAvailability = {
      extensions: {
        persistedQuery: {
          version: 1,
          sha256Hash: '895270c8b81ffc332dcecc43be9afb8c30eeda67937b7375a4a3fa79915252ef',
        },
      },
    };
    const bad = await send(gateways.enforced!, {
      body: {
        ...sdkAvailability,
        variables: { filter: { from: '2026-12-10T10:00:00', to }, first: 1 },
      },
      status: 400,
      code: 'BAD_USER_INPUT',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: '$filter.from',
    });
    const good = await send(gateways.enforced!, {
      body: {
        ...sdkAvailability,
        variables: { filter: { from: from.toISOString(), to }, first: 1 },
      },
      status: 200,
      code: null,
    });
    expect(good.status).toBe(200);
    expect(good.body.errors).toBeUndefined();
  });
});
