import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import manifest from '../src/__generated__/persisted-documents.json' with { type: 'json' };
import { ProvidersDocument } from '../src/documents.js';
import { BookingApiError, type BookingClientOptions, createBookingClient } from '../src/index.js';

interface Answer {
  /** Close the connection without answering, as a server that dies mid-request. */
  reset?: boolean;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
}
interface Received {
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: the test reads the request body by path
  body: any;
  at: number;
}

const providers = [
  {
    id: 'p1',
    name: 'Nordklinik',
    system: 'cliniq',
    status: 'UP',
    capabilities: ['API_BOOKING'],
  },
];
const ok: Answer = { body: { data: { providers } } };
const unavailable: Answer = { status: 503, body: 'upstream down' };
const reserved = {
  data: {
    reserveSlot: {
      __typename: 'SlotUnavailable',
      message: 'The slot was taken.',
      slotId: 's1',
    },
  },
};
const reserveInput = {
  slotId: 's1',
  idempotencyKey: 'key-1',
  patient: { personalIdentityNumber: '19900101-0017', givenName: 'Selma', familyName: 'L' },
};

describe('createBookingClient against a stub gateway', () => {
  let server: Server;
  let url: string;
  let answers: Answer[];
  let received: Received[];

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      let text = '';
      for await (const chunk of req) text += chunk;
      received.push({ headers: req.headers, body: JSON.parse(text), at: Date.now() });
      // The last canned answer repeats, so "always 503" is one entry.
      const answer = (answers.length > 1 ? answers.shift() : answers[0]) ?? ok;
      if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
      if (answer.reset) {
        req.socket.destroy();
        return;
      }
      if (res.destroyed) return;
      const json = typeof answer.body !== 'string';
      res.writeHead(answer.status ?? 200, {
        'content-type': json ? 'application/json' : 'text/plain',
        ...answer.headers,
      });
      res.end(json ? JSON.stringify(answer.body) : answer.body);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    answers = [ok];
    received = [];
  });

  const client = (options: Partial<BookingClientOptions> = {}) =>
    createBookingClient({ url, retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...options });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.unreachable('the call should have failed'),
      (error: unknown) => {
        expect(error).toBeInstanceOf(BookingApiError);
        return error as BookingApiError;
      },
    );

  it('sends the bearer token and the exact manifest text of the operation', async () => {
    expect(await client({ token: 'secret' }).providers()).toEqual(providers);
    const [request] = received;
    expect(request?.headers.authorization).toBe('Bearer secret');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.body.operationName).toBe('Providers');
    const hash = createHash('sha256').update(request?.body.query).digest('hex');
    expect(manifest).toHaveProperty(hash, request?.body.query);
  });

  it('asks getToken for a fresh token on every request, retries included', async () => {
    answers = [unavailable, ok];
    let issued = 0;
    await client({ token: 'ignored', getToken: async () => `t${++issued}` }).providers();
    expect(received.map((r) => r.headers.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it('aborts a request after timeoutMs with code TIMEOUT', async () => {
    answers = [{ ...ok, delayMs: 1000 }];
    const started = Date.now();
    const error = await failure(client({ timeoutMs: 100, retry: false }).providers());
    expect(Date.now() - started).toBeLessThan(900);
    expect(error).toMatchObject({ code: 'TIMEOUT', status: undefined, attempts: 1 });
  });

  it('retries a query answered 503 until it succeeds', async () => {
    answers = [unavailable, unavailable, ok];
    expect(await client().providers()).toEqual(providers);
    expect(received).toHaveLength(3);
  });

  it('retries a mutation answered 503 with the same idempotency key', async () => {
    answers = [unavailable, { body: reserved }];
    const result = await client().reserveSlot(reserveInput);
    expect(result.__typename === 'SlotUnavailable' && result.slotId).toBe('s1');
    expect(received.map((r) => r.body.variables.input.idempotencyKey)).toEqual(['key-1', 'key-1']);
  });

  it('repeats a mutation whose connection dropped before the answer, with the same idempotency key', async () => {
    answers = [{ reset: true }, { reset: true }, { body: reserved }];
    const result = await client().reserveSlot(reserveInput);
    expect(result.__typename).toBe('SlotUnavailable');
    expect(received.map((r) => r.body.variables.input.idempotencyKey)).toEqual([
      'key-1',
      'key-1',
      'key-1',
    ]);
  });

  it('repeats a mutation whose earlier call is still running after retryAfterSeconds, for its outcome', async () => {
    // As the gateway answers the SDK's document: the root's __typename first.
    const stillRunning = {
      data: {
        __typename: 'Mutation',
        reserveSlot: {
          __typename: 'ProviderUnavailable',
          message: 'an earlier call with this idempotency key is still waiting for the provider',
          provider: { id: 'p1', name: 'Nordklinik' },
          retryAfterSeconds: 1,
        },
      },
    };
    answers = [{ body: stillRunning }, { body: reserved }];
    const result = await client().reserveSlot(reserveInput);
    expect(result.__typename).toBe('SlotUnavailable');
    expect(received).toHaveLength(2);
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(950);
    expect(received[1]!.body.variables.input.idempotencyKey).toBe('key-1');

    // Longer than the client waits out, or with retries off: the result as it is, at once.
    for (const options of [{ retry: { maxRetryAfterMs: 500 } }, { retry: false as const }]) {
      answers = [{ body: stillRunning }, { body: reserved }];
      received = [];
      const answered = await client(options).reserveSlot(reserveInput);
      expect(answered).toMatchObject({ __typename: 'ProviderUnavailable', retryAfterSeconds: 1 });
      expect(received).toHaveLength(1);
    }
  });

  it('never retries a 400, and maps its GraphQL error to code and status', async () => {
    answers = [
      {
        status: 400,
        body: {
          errors: [
            { message: 'Cannot query field', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
          ],
        },
      },
    ];
    const error = await failure(client().providers());
    expect(error).toMatchObject({
      name: 'BookingApiError',
      code: 'GRAPHQL_VALIDATION_FAILED',
      status: 400,
      operationName: 'Providers',
      attempts: 1,
    });
    expect(error.errors[0]?.message).toBe('Cannot query field');
    expect(received).toHaveLength(1);
  });

  it('waits out the Retry-After of a 429 before retrying', async () => {
    answers = [{ status: 429, headers: { 'retry-after': '1' }, body: 'slow down' }, ok];
    expect(await client().providers()).toEqual(providers);
    expect(received).toHaveLength(2);
    expect(received[1]!.at - received[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('fails at once when Retry-After is longer than maxRetryAfterMs', async () => {
    answers = [{ status: 429, headers: { 'retry-after': '120' }, body: 'come back later' }, ok];
    const error = await failure(client().providers());
    expect(error).toMatchObject({ code: 'HTTP_ERROR', status: 429, attempts: 1 });
  });

  it('gives up after the configured number of attempts', async () => {
    answers = [unavailable];
    const error = await failure(
      client({ retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 } }).providers(),
    );
    expect(error).toMatchObject({ code: 'HTTP_ERROR', status: 503, attempts: 4 });
    expect(received).toHaveLength(4);
  });

  it('does not retry a GraphQL error in a 200 answer', async () => {
    answers = [
      {
        body: {
          data: null,
          errors: [
            {
              message: 'filter.to: must be after filter.from',
              extensions: { code: 'BAD_USER_INPUT', field: 'filter.to' },
            },
          ],
        },
      },
    ];
    const error = await failure(
      client().availability({
        filter: { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' },
      }),
    );
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', status: 200, attempts: 1 });
    expect(error.errors[0]?.extensions?.field).toBe('filter.to');
    expect(received).toHaveLength(1);
  });

  it('reports a refused connection as NETWORK_ERROR after retrying it', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as { port: number }).port;
    closed.close();
    await once(closed, 'close');
    const error = await failure(client({ url: `http://127.0.0.1:${port}/graphql` }).providers());
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', status: undefined, attempts: 3 });
    expect(error.cause).toBeDefined();
  });

  it('sends only the sha256 hash, never the query text, in persisted-document mode', async () => {
    await client({ persistedDocuments: 'hash' }).providers();
    const { body } = received[0]!;
    expect(body).not.toHaveProperty('query');
    expect(body).toEqual({
      operationName: 'Providers',
      variables: {},
      extensions: { persistedQuery: { version: 1, sha256Hash: expect.any(String) } },
    });
    const text = (manifest as Record<string, string>)[body.extensions.persistedQuery.sha256Hash];
    expect(text).toMatch(/^fragment ProviderSummary on Provider .* query Providers /);
    expect(body.extensions.persistedQuery.sha256Hash).toBe(
      (ProvidersDocument as unknown as { __meta__: { hash: string } }).__meta__.hash,
    );
  });

  it('lists the caller’s reservations with myReservations, paging with first and after', async () => {
    const page = { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
    answers = [{ body: { data: { myReservations: page } } }];
    expect(await client().myReservations({ first: 10, after: 'c1' })).toEqual(page);
    const [request] = received;
    expect(request?.body.operationName).toBe('MyReservations');
    expect(request?.body.variables).toEqual({ first: 10, after: 'c1' });
    const hash = createHash('sha256').update(request?.body.query).digest('hex');
    expect(manifest).toHaveProperty(hash, request?.body.query);
  });

  it('runs any document through execute, resolving with the whole data', async () => {
    const data = await client().execute(ProvidersDocument, {});
    expect(data.providers[0]?.name).toBe('Nordklinik');
  });
});
