import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderErrorCode, restUrl, sendRestRequest, unexpectedOutcome } from '../src/index.js';
import {
  budget,
  endpoint,
  failure,
  handlers,
  reply,
  seen,
  slotSchema,
  useVendorServer,
} from './vendorServer.js';

useVendorServer();

describe('sendRestRequest', () => {
  it('builds the URL from the root, the encoded path parameters and the query, and validates the body', async () => {
    handlers.push(reply(200, { id: 'S 1', start: '2026-03-30T09:00:00' }));
    const outcome = await sendRestRequest(endpoint(), {
      method: 'GET',
      path: '/slots/{id}',
      params: { id: 'S 1/2' },
      query: { from: '2026-03-30T00:00:00', clinic: undefined, page: 2 },
      schema: slotSchema,
      budget: budget(),
    });
    expect(outcome).toMatchObject({ ok: true, status: 200, value: { id: 'S 1' } });
    expect(seen[0]?.url).toBe('/api/v1/slots/S%201%2F2?from=2026-03-30T00%3A00%3A00&page=2');
    expect(seen[0]?.headers.accept).toBe('application/json');
  });

  it('sends a body as JSON in the endpoint’s media type, with extra headers', async () => {
    handlers.push(reply(201, { id: 'S1', start: '2026-03-30T09:00:00' }));
    await sendRestRequest(endpoint({ mediaType: 'application/fhir+json' }), {
      method: 'POST',
      path: '',
      body: { resourceType: 'Bundle' },
      headers: { prefer: 'return=representation' },
      schema: slotSchema,
      budget: budget(),
    });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1',
      body: '{"resourceType":"Bundle"}',
      headers: {
        accept: 'application/fhir+json',
        'content-type': 'application/fhir+json',
        prefer: 'return=representation',
      },
    });
  });

  it.each([
    [{ scheme: 'apiKey', header: 'X-Api-Key', key: 'k1' } as const, 'x-api-key', 'k1'],
    [{ scheme: 'bearer', token: 't1' } as const, 'authorization', 'Bearer t1'],
    [
      { scheme: 'basic', username: 'user', password: 'pa:ss' } as const,
      'authorization',
      `Basic ${Buffer.from('user:pa:ss').toString('base64')}`,
    ],
  ])('authenticates with %o', async (auth, header, value) => {
    handlers.push(reply(204));
    const outcome = await sendRestRequest(endpoint({ auth }), {
      method: 'DELETE',
      path: '/holds/h1',
      schema: z.undefined(),
      budget: budget(),
    });
    expect(outcome).toMatchObject({ ok: true, status: 204, value: undefined });
    expect(seen[0]?.headers[header]).toBe(value);
  });

  it('sends no credentials without an auth scheme', async () => {
    handlers.push(reply(204));
    await sendRestRequest(endpoint(), {
      method: 'DELETE',
      path: '/h',
      schema: z.undefined(),
      budget: budget(),
    });
    expect(seen[0]?.headers.authorization).toBeUndefined();
    expect(seen[0]?.headers['x-api-key']).toBeUndefined();
  });

  it('returns an expected failure status with the vendor’s validated error body', async () => {
    handlers.push(reply(409, { error: 'slot_taken' }));
    const outcome = await sendRestRequest(endpoint(), {
      method: 'POST',
      path: '/holds',
      body: {},
      schema: slotSchema,
      budget: budget(),
    });
    expect(outcome).toEqual({ ok: false, status: 409, error: { error: 'slot_taken' } });
  });

  it('refuses an expected failure status whose body is not the vendor’s error', async () => {
    handlers.push(reply(404, { message: 'nope' }));
    const error = await failure(
      sendRestRequest(endpoint(), {
        method: 'GET',
        path: '/x',
        schema: slotSchema,
        budget: budget(),
      }),
    );
    expect(error.code).toBe(ProviderErrorCode.BadResponse);
    expect(error.message).toContain('error: Invalid input');
  });

  it('names paths and rules of an invalid body, never the values the vendor sent', async () => {
    handlers.push(reply(200, { id: 199001011234, start: 'Anna Lindqvist 19900101-1234' }));
    const error = await failure(
      sendRestRequest(endpoint(), {
        method: 'GET',
        path: '/slots/{id}',
        params: { id: '19900101-1234' },
        schema: slotSchema,
        budget: budget(),
      }),
    );
    expect(error.code).toBe(ProviderErrorCode.BadResponse);
    expect(error.message).toMatch(
      /^Acme GET \/slots\/\{id\}: unexpected body \(id: .*; start: .*\)$/,
    );
    expect(error.message).not.toMatch(/1990|Anna|1234/);
  });

  it('refuses a 2xx body that is not JSON', async () => {
    handlers.push(reply(200, '<html>'));
    const error = await failure(
      sendRestRequest(endpoint(), {
        method: 'GET',
        path: '/x',
        schema: slotSchema,
        budget: budget(),
      }),
    );
    expect(error.code).toBe(ProviderErrorCode.BadResponse);
    expect(error.message).toBe('Acme GET /x: body is not JSON');
  });

  it.each([
    [500, 'answered 500'],
    [503, 'answered 503'],
    [401, 'credentials refused'],
    [403, 'credentials refused'],
  ])('reports %i as the provider being unavailable', async (status, text) => {
    handlers.push(reply(status, { error: 'x' }));
    const error = await failure(
      sendRestRequest(endpoint(), {
        method: 'GET',
        path: '/x',
        schema: slotSchema,
        budget: budget(),
      }),
    );
    expect(error.code).toBe(ProviderErrorCode.Unavailable);
    expect(error.details.status).toBe(status);
    expect(error.message).toContain(text);
  });

  it.each([400, 405, 414, 418, 422, 431])(
    'reports an unexpected %i as the provider refusing the request, not as its failure',
    async (status) => {
      handlers.push(reply(status, { error: 'refused' }));
      const error = await failure(
        sendRestRequest(endpoint(), {
          method: 'GET',
          path: '/x',
          schema: slotSchema,
          budget: budget(),
        }),
      );
      expect(error.code).toBe(ProviderErrorCode.Refused);
      expect(error.details.status).toBe(status);
    },
  );

  it('reports an unexpected status outside 4xx as an internal failure', async () => {
    handlers.push(reply(302, { error: 'moved' }));
    const error = await failure(
      sendRestRequest(endpoint(), {
        method: 'GET',
        path: '/x',
        schema: slotSchema,
        budget: budget(),
      }),
    );
    expect(error.code).toBe(ProviderErrorCode.Internal);
  });

  it('reports a 503’s Retry-After', async () => {
    handlers.push(reply(503, '', { 'retry-after': '7' }));
    const error = await failure(
      sendRestRequest(endpoint(), {
        method: 'GET',
        path: '/x',
        schema: slotSchema,
        budget: budget(),
      }),
    );
    expect(error.details.retryAfterSeconds).toBe(7);
  });

  it('retries a rate-limited read once when Retry-After (seconds) fits in the deadline', async () => {
    handlers.push(
      reply(429, '', { 'retry-after': '1' }),
      reply(200, { id: 'S1', start: '2026-03-30T09:00:00' }),
    );
    const started = Date.now();
    const outcome = await sendRestRequest(endpoint(), {
      method: 'GET',
      path: '/x',
      schema: slotSchema,
      budget: budget(3_000),
    });
    expect(outcome.ok).toBe(true);
    expect(seen).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('retries a rate-limited read when Retry-After is an HTTP date', async () => {
    const now = Date.parse('2026-03-30T08:00:00Z');
    handlers.push(
      reply(429, '', { 'retry-after': 'Mon, 30 Mar 2026 08:00:01 GMT' }),
      reply(200, { id: 'S1', start: '2026-03-30T09:00:00' }),
    );
    const outcome = await sendRestRequest(endpoint({ now: () => now }), {
      method: 'GET',
      path: '/x',
      schema: slotSchema,
      budget: { signal: AbortSignal.timeout(5_000), deadlineAt: now + 3_000 },
    });
    expect(outcome.ok).toBe(true);
    expect(seen).toHaveLength(2);
  });

  it('does not retry when the wait does not fit in the deadline, and reports Retry-After', async () => {
    handlers.push(
      reply(429, '', { 'retry-after': '5' }),
      reply(200, { id: 'S1', start: '2026-03-30T09:00:00' }),
    );
    const started = Date.now();
    const error = await failure(
      sendRestRequest(endpoint(), {
        method: 'GET',
        path: '/x',
        schema: slotSchema,
        budget: budget(2_000),
      }),
    );
    expect(error.code).toBe(ProviderErrorCode.Unavailable);
    expect(error.details).toMatchObject({ status: 429, retryAfterSeconds: 5 });
    expect(seen).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('reads an HTTP-date Retry-After as the seconds until then', async () => {
    const now = Date.parse('2026-03-30T08:00:00Z');
    handlers.push(reply(429, '', { 'retry-after': 'Mon, 30 Mar 2026 08:01:00 GMT' }));
    const error = await failure(
      sendRestRequest(endpoint({ now: () => now }), {
        method: 'GET',
        path: '/x',
        schema: slotSchema,
        budget: { signal: AbortSignal.timeout(5_000), deadlineAt: now + 2_000 },
      }),
    );
    expect(error.details.retryAfterSeconds).toBe(60);
  });

  it('retries a read only once', async () => {
    handlers.push(reply(429, '', { 'retry-after': '0' }), reply(429, '', { 'retry-after': '0' }));
    const error = await failure(
      sendRestRequest(endpoint(), {
        method: 'GET',
        path: '/x',
        schema: slotSchema,
        budget: budget(),
      }),
    );
    expect(error.details.status).toBe(429);
    expect(seen).toHaveLength(2);
  });

  it('never retries a rate-limited write', async () => {
    handlers.push(
      reply(429, '', { 'retry-after': '0' }),
      reply(201, { id: 'S1', start: '2026-03-30T09:00:00' }),
    );
    const error = await failure(
      sendRestRequest(endpoint(), {
        method: 'POST',
        path: '/bookings',
        body: { slotId: 'S1' },
        schema: slotSchema,
        budget: budget(),
      }),
    );
    expect(error.details).toMatchObject({ status: 429, retryAfterSeconds: 0 });
    expect(seen).toHaveLength(1);
  });

  it('reports a refused connection as unavailable, naming the call but not the host', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(
      sendRestRequest(endpoint({ baseUrl: `http://127.0.0.1:${port}` }), {
        method: 'POST',
        path: '/bookings',
        body: {},
        schema: slotSchema,
        budget: budget(),
      }),
    );
    expect(error.code).toBe(ProviderErrorCode.Unavailable);
    expect(error.message).toBe('Acme POST /bookings: unreachable (ECONNREFUSED)');
  });

  it('reports a write whose answer was lost as a timeout: it may have happened', async () => {
    handlers.push((_request, response) => response.socket?.destroy());
    const error = await failure(
      sendRestRequest(endpoint(), {
        method: 'POST',
        path: '/bookings',
        body: {},
        schema: slotSchema,
        budget: budget(),
      }),
    );
    expect(error.code).toBe(ProviderErrorCode.Timeout);
  });

  it('lets an abort through untouched', async () => {
    handlers.push(() => {});
    const controller = new AbortController();
    const sent = sendRestRequest(endpoint(), {
      method: 'GET',
      path: '/x',
      schema: slotSchema,
      budget: { signal: controller.signal, deadlineAt: Date.now() + 1_000 },
    });
    setTimeout(() => controller.abort(new DOMException('deadline', 'TimeoutError')), 50);
    await expect(sent).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});

describe('restUrl', () => {
  it('refuses a path placeholder without a value', () => {
    expect(() => restUrl('http://h/api', { path: '/slots/{id}' })).toThrow('no value for {id}');
  });

  it('keeps a URLSearchParams query as given, repeated keys included', () => {
    const query = new URLSearchParams([
      ['date', 'ge2026'],
      ['date', 'lt2027'],
    ]);
    expect(restUrl('http://h/fhir/', { path: 'Slot', query })).toBe(
      'http://h/fhir/Slot?date=ge2026&date=lt2027',
    );
  });
});

describe('unexpectedOutcome', () => {
  it.each([
    [409, ProviderErrorCode.Refused],
    [400, ProviderErrorCode.Refused],
    [503, ProviderErrorCode.Unavailable],
    [302, ProviderErrorCode.Internal],
  ])(
    'throws for %i what the status says, naming it and the vendor code, not its message',
    (status, code) => {
      const outcome = {
        ok: false as const,
        status,
        error: { error: 'slot_taken', message: 'Anna' },
      };
      expect(() => unexpectedOutcome('Acme GET /slots', outcome, (e) => e.error)).toThrow(
        expect.objectContaining({
          code,
          message: `Acme GET /slots: unexpected ${status} (slot_taken)`,
          details: { status },
        }),
      );
    },
  );

  it('refuses to report a success as a failure', () => {
    expect(() => unexpectedOutcome('x', { ok: true }, () => 'y')).toThrow('x: not a failure');
  });
});
