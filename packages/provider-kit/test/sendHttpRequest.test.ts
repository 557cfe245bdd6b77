import { describe, expect, it } from 'vitest';
import { ProviderErrorCode, sendHttpRequest } from '../src/index.js';
import {
  baseUrl,
  budget,
  dispatcher,
  failure,
  handlers,
  reply,
  seen,
  useVendorServer,
} from './vendorServer.js';

useVendorServer();

describe('sendHttpRequest', () => {
  /** A SOAP-style call: a POST that is a read, its body and answers XML. */
  const soap = (overrides: Partial<Parameters<typeof sendHttpRequest>[0]> = {}) =>
    sendHttpRequest({
      what: 'Acme GetSlots',
      url: `${baseUrl}soap`,
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'text/xml' },
      body: '<GetSlots/>',
      isWrite: false,
      budget: budget(),
      answered: [500],
      ...overrides,
    });

  it('answers 2xx and the statuses the caller reads with their text, whatever the format', async () => {
    handlers.push(reply(200, '<ok/>'), reply(500, '<Fault/>'));
    expect(await soap()).toMatchObject({ status: 200, text: '<ok/>' });
    expect(await soap()).toMatchObject({ status: 500, text: '<Fault/>' });
    expect(seen[0]).toMatchObject({ method: 'POST', body: '<GetSlots/>' });
    expect(seen[0]?.headers['content-type']).toBe('text/xml');
  });

  it('retries a rate-limited read sent as a POST, never a write', async () => {
    handlers.push(reply(429, '', { 'retry-after': '0' }), reply(200, '<ok/>'));
    expect((await soap()).text).toBe('<ok/>');
    handlers.push(reply(429, '', { 'retry-after': '0' }), reply(200, '<ok/>'));
    const error = await failure(soap({ isWrite: true }));
    expect(error.details).toMatchObject({ status: 429, retryAfterSeconds: 0 });
    expect(seen).toHaveLength(3);
  });

  it('refuses, unread, a response declaring more than the most bytes', async () => {
    handlers.push(reply(200, 'x'.repeat(2048), { 'content-length': '2048' }));
    const error = await failure(soap({ maxResponseBytes: 1024 }));
    expect(error.code).toBe(ProviderErrorCode.BadResponse);
    expect(error.message).toBe('Acme GetSlots: response of 2048 bytes');
  });
});
