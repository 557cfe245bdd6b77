import { readFileSync } from 'node:fs';
import { ApolloClient, gql, InMemoryCache } from '@apollo/client';
import { ServerError } from '@apollo/client/errors';
import { buildASTSchema, isInputObjectType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import manifest from '../src/__generated__/persisted-documents.json' with { type: 'json' };
import { inputsWithIdempotencyKey } from '../src/apollo/createIdempotencyKeyLink.js';
import {
  type BookingLinkOptions,
  createBookingLink,
  possibleTypes,
  typePolicies,
} from '../src/apollo/index.js';
import {
  HoldSlotDocument,
  type HoldSlotInput,
  ProvidersDocument,
  WatchAvailabilityDocument,
} from '../src/documents.js';
import { BookingApiError, bookingErrorCode } from '../src/index.js';

/** What the fake gateway answers one request with: an HTTP answer, or no answer at all. */
type Answer = { status?: number; headers?: Record<string, string>; body: unknown } | 'no answer';

interface Sent {
  // biome-ignore lint/suspicious/noExplicitAny: the tests read the request body by path
  body: any;
  headers: Record<string, string>;
  at: number;
}

const providers = [
  {
    __typename: 'Provider',
    id: 'p1',
    name: 'Nordklinik',
    system: 'cliniq',
    status: 'UP',
    capabilities: [],
  },
];
const ok: Answer = { body: { data: { __typename: 'Query', providers } } };
const held = {
  data: {
    __typename: 'Mutation',
    holdSlot: {
      __typename: 'SlotUnavailable',
      message: 'The slot was taken.',
      slotId: 's1',
    },
  },
};
/** The gateway's own error answers: a GraphQL response with the error's HTTP status. */
const gatewayError = (
  status: number,
  code: string,
  headers: Record<string, string> = {},
): Answer => ({
  status,
  headers: { 'content-type': 'application/graphql-response+json; charset=utf-8', ...headers },
  body: { errors: [{ message: code.toLowerCase(), extensions: { code } }] },
});

/**
 * A fake `fetch` answering each request with the next answer (the last one repeats), recording
 * what was sent.
 */
function fakeGateway(...answers: Answer[]) {
  const sent: Sent[] = [];
  const fetch: typeof globalThis.fetch = async (_input, init) => {
    sent.push({
      body: JSON.parse(String(init?.body)),
      headers: init?.headers as Record<string, string>,
      at: Date.now(),
    });
    const answer = (answers.length > 1 ? answers.shift() : answers[0]) ?? ok;
    if (answer === 'no answer') throw new TypeError('fetch failed');
    return new Response(JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json', ...answer.headers },
    });
  };
  return { sent, fetch };
}

function apollo(fetch: typeof globalThis.fetch, options: Partial<BookingLinkOptions> = {}) {
  return new ApolloClient({
    link: createBookingLink({
      uri: 'http://gateway.test/graphql',
      fetch,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      ...options,
    }),
    cache: new InMemoryCache({ typePolicies, possibleTypes }),
  });
}

const holdInput: HoldSlotInput = { slotId: 's1', idempotencyKey: 'key-1' };

describe('createBookingLink', () => {
  it('sends the SDK document by its manifest hash alone, never its text', async () => {
    const gateway = fakeGateway(ok);
    const { data } = await apollo(gateway.fetch).query({ query: ProvidersDocument });
    expect(data?.providers).toEqual(providers);
    const [request] = gateway.sent;
    expect(request?.body).not.toHaveProperty('query');
    const hash = request?.body.extensions.persistedQuery.sha256Hash as keyof typeof manifest;
    expect(request?.body).toMatchObject({
      operationName: 'Providers',
      extensions: { persistedQuery: { version: 1 } },
    });
    expect(manifest[hash]).toContain('query Providers');
  });

  it("sends the document's text with persistedDocuments: 'text'", async () => {
    const gateway = fakeGateway(ok);
    await apollo(gateway.fetch, { persistedDocuments: 'text' }).query({ query: ProvidersDocument });
    expect(gateway.sent[0]?.body.query).toContain('query Providers');
    expect(gateway.sent[0]?.body.extensions).not.toHaveProperty('persistedQuery');
  });

  it('refuses, before sending anything, a document that is not the SDK’s in hash mode', async () => {
    const gateway = fakeGateway(ok);
    const error = await apollo(gateway.fetch)
      .query({ query: gql`query Handwritten { providers { id } }` })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(String(error)).toContain('Handwritten is not a persisted document of the SDK');
    expect(gateway.sent).toHaveLength(0);
  });

  it('asks getToken before every attempt and sends each answer as the bearer token', async () => {
    const gateway = fakeGateway(
      gatewayError(503, 'SERVICE_UNAVAILABLE'),
      gatewayError(503, 'SERVICE_UNAVAILABLE'),
      ok,
    );
    let issued = 0;
    const getToken = async () => `token-${++issued}`;
    await apollo(gateway.fetch, { getToken }).query({ query: ProvidersDocument });
    expect(gateway.sent.map((r) => r.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-2',
      'Bearer token-3',
    ]);
  });

  it('sends no authorization header when getToken has no token, and the extra headers always', async () => {
    const gateway = fakeGateway(ok);
    await apollo(gateway.fetch, { getToken: () => null, headers: { 'x-request-id': 'r1' } }).query({
      query: ProvidersDocument,
    });
    expect(gateway.sent[0]?.headers).not.toHaveProperty('authorization');
    expect(gateway.sent[0]?.headers['x-request-id']).toBe('r1');
  });

  it('ends the operation with what getToken throws, sending nothing', async () => {
    const gateway = fakeGateway(ok);
    const failure = new Error('signed out');
    const error = await apollo(gateway.fetch, {
      getToken: () => Promise.reject(failure),
    })
      .query({ query: ProvidersDocument })
      .catch((e: unknown) => e);
    expect(error).toBe(failure);
    expect(gateway.sent).toHaveLength(0);
  });

  it('retries a mutation answered 503 and one that got no answer, always with the same idempotency key', async () => {
    const gateway = fakeGateway(gatewayError(503, 'SERVICE_UNAVAILABLE'), 'no answer', {
      body: held,
    });
    const { data } = await apollo(gateway.fetch).mutate({
      mutation: HoldSlotDocument,
      variables: { input: holdInput },
    });
    expect(data?.holdSlot).toMatchObject({ __typename: 'SlotUnavailable', slotId: 's1' });
    expect(gateway.sent.map((r) => r.body.variables.input.idempotencyKey)).toEqual([
      'key-1',
      'key-1',
      'key-1',
    ]);
  });

  it('gives a reservation mutation without an idempotency key one, the same on every retry', async () => {
    const gateway = fakeGateway(gatewayError(502, 'INTERNAL_SERVER_ERROR'), { body: held });
    const input = { slotId: 's1' } as HoldSlotInput;
    await apollo(gateway.fetch).mutate({ mutation: HoldSlotDocument, variables: { input } });
    const keys = gateway.sent.map((r) => r.body.variables.input.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(keys[1]).toBe(keys[0]);
  });

  it('adds no key to, and never retries, a mutation whose input has no idempotencyKey field', async () => {
    const gateway = fakeGateway(gatewayError(503, 'SERVICE_UNAVAILABLE'));
    const error = await apollo(gateway.fetch)
      .mutate({
        mutation: WatchAvailabilityDocument,
        variables: { input: { before: '2026-12-01T00:00:00Z' } },
      })
      .catch((e: unknown) => e);
    expect(bookingErrorCode(error)).toBe('SERVICE_UNAVAILABLE');
    expect(gateway.sent).toHaveLength(1);
    expect(gateway.sent[0]?.body.variables.input).toEqual({ before: '2026-12-01T00:00:00Z' });
  });

  it('waits out the Retry-After of a 429 before retrying', async () => {
    const gateway = fakeGateway(gatewayError(429, 'RATE_LIMITED', { 'retry-after': '0.3' }), ok);
    await apollo(gateway.fetch).query({ query: ProvidersDocument });
    expect(gateway.sent).toHaveLength(2);
    expect(gateway.sent[1]!.at - gateway.sent[0]!.at).toBeGreaterThanOrEqual(290);
  });

  it('ends at once with the 429 when its Retry-After is longer than maxRetryAfterMs', async () => {
    const gateway = fakeGateway(gatewayError(429, 'RATE_LIMITED', { 'retry-after': '60' }), ok);
    const error = await apollo(gateway.fetch)
      .query({ query: ProvidersDocument })
      .catch((e: unknown) => e);
    expect(bookingErrorCode(error)).toBe('RATE_LIMITED');
    expect(gateway.sent).toHaveLength(1);
  });

  it('retries a 5xx that is no GraphQL answer (a proxy’s), then ends with Apollo’s ServerError', async () => {
    const gateway = fakeGateway({
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html>bad gateway</html>',
    });
    const error = await apollo(gateway.fetch)
      .query({ query: ProvidersDocument })
      .catch((e: unknown) => e);
    expect(ServerError.is(error)).toBe(true);
    expect(bookingErrorCode(error)).toBe('HTTP_ERROR');
    expect(gateway.sent).toHaveLength(3);
  });

  it('never retries another 4xx', async () => {
    const gateway = fakeGateway(gatewayError(401, 'UNAUTHENTICATED'), ok);
    const error = await apollo(gateway.fetch)
      .query({ query: ProvidersDocument })
      .catch((e: unknown) => e);
    expect(bookingErrorCode(error)).toBe('UNAUTHENTICATED');
    expect(gateway.sent).toHaveLength(1);
  });

  it('ends a request that never got an answer as a BookingApiError NETWORK_ERROR counting the attempts', async () => {
    const gateway = fakeGateway('no answer');
    const error = await apollo(gateway.fetch, { retry: { attempts: 4, baseDelayMs: 1 } })
      .query({ query: ProvidersDocument })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BookingApiError);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', operationName: 'Providers', attempts: 4 });
    expect(gateway.sent).toHaveLength(4);
  });

  it('makes exactly one request with retry: false', async () => {
    const gateway = fakeGateway(gatewayError(503, 'SERVICE_UNAVAILABLE'), ok);
    const error = await apollo(gateway.fetch, { retry: false })
      .query({ query: ProvidersDocument })
      .catch((e: unknown) => e);
    expect(bookingErrorCode(error)).toBe('SERVICE_UNAVAILABLE');
    expect(gateway.sent).toHaveLength(1);
  });

  it('repeats a mutation whose earlier call is still running after retryAfterSeconds, for its outcome', async () => {
    const stillRunning = {
      data: {
        __typename: 'Mutation',
        holdSlot: {
          __typename: 'ProviderUnavailable',
          message: 'an earlier call with this key is still running',
          provider: { __typename: 'Provider', id: 'p1', name: 'Nordklinik' },
          retryAfterSeconds: 0,
        },
      },
    };
    const gateway = fakeGateway({ body: stillRunning }, { body: held });
    const { data } = await apollo(gateway.fetch).mutate({
      mutation: HoldSlotDocument,
      variables: { input: holdInput },
    });
    expect(data?.holdSlot.__typename).toBe('SlotUnavailable');
    expect(gateway.sent.map((r) => r.body.variables.input.idempotencyKey)).toEqual([
      'key-1',
      'key-1',
    ]);
  });

  it('stops retrying when the query is unsubscribed during a backoff', async () => {
    const gateway = fakeGateway(gatewayError(503, 'SERVICE_UNAVAILABLE'));
    const client = apollo(gateway.fetch, {
      retry: { attempts: 5, baseDelayMs: 200, maxDelayMs: 200 },
    });
    const subscription = client
      .watchQuery({ query: ProvidersDocument })
      .subscribe({ next: () => {}, error: () => {} });
    await expect.poll(() => gateway.sent.length).toBe(1);
    subscription.unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(gateway.sent).toHaveLength(1);
  });

  it('knows every input of the schema that carries an idempotencyKey', () => {
    const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
    const schema = buildASTSchema(
      parse(
        `${read('../../schema/federation-directives.graphql')}\n${read('../../subgraphs/scheduling/schema.graphql')}`,
      ),
      { assumeValidSDL: true },
    );
    const withKey = Object.values(schema.getTypeMap())
      .filter(isInputObjectType)
      .filter((type) => 'idempotencyKey' in type.getFields())
      .map((type) => type.name);
    expect(withKey.length).toBeGreaterThan(0);
    expect(new Set(withKey)).toEqual(new Set(inputsWithIdempotencyKey));
  });
});
