/*
 * A vendor's HTTP server in process for the transport's tests: each test queues the answers
 * (`handlers`) and reads what was sent (`seen`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { z } from 'zod';
import { ProviderError, type RequestBudget, type RestEndpoint } from '../src/index.js';

/** What the server saw of one request. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (request: Seen, response: ServerResponse) => void;

let server: Server;
export let baseUrl: string;
/** The answers to the next requests, in order; a request without one gets a 599. */
export let handlers: Handler[] = [];
/** The requests the server saw, in order. */
export let seen: Seen[] = [];
/** The connection pool of the calling test file, closed after it. */
export let dispatcher: Agent;

/** The vendor server for the calling test file, its handlers and requests cleared after each test. */
export function useVendorServer(): void {
  beforeAll(async () => {
    dispatcher = new Agent();
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        const entry = {
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body,
        };
        seen.push(entry);
        const handler = handlers.shift();
        if (!handler) {
          response.writeHead(599).end();
          return;
        }
        handler(entry, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/`;
  });
  afterEach(() => {
    handlers = [];
    seen = [];
  });
  afterAll(async () => {
    await dispatcher.close();
    await new Promise((resolve) => server.close(resolve));
  });
}

export function reply(
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): Handler {
  return (_request, response) => {
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(text);
  };
}

export const errorSchema = z.object({ error: z.string() });
export const slotSchema = z.object({ id: z.string(), start: z.iso.datetime({ local: true }) });

export function endpoint(overrides: Partial<RestEndpoint<{ error: string }, 404 | 409>> = {}) {
  return {
    label: 'Acme',
    baseUrl,
    dispatcher,
    expectedFailures: { statuses: [404, 409] as const, schema: errorSchema },
    ...overrides,
  } satisfies RestEndpoint<{ error: string }, 404 | 409>;
}

export function budget(ms = 5_000): RequestBudget {
  return { signal: AbortSignal.timeout(ms), deadlineAt: Date.now() + ms };
}

export async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}
