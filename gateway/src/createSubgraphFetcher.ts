import { STATUS_CODES } from 'node:http';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { Agent } from 'undici';

export interface SubgraphFetcherOptions {
  /** Longest a subgraph call may take before it is aborted. */
  timeoutMs: number;
  /** Most sockets kept open per subgraph origin. */
  connections: number;
}

/** Statuses whose response has no body (the Fetch standard's null body statuses). */
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/**
 * A subgraph's answer, read to its end, as the Fetch API's `Response` shows it to Apollo, without
 * the Fetch API's machinery. Each call makes a response of its own (its body read once).
 */
export function subgraphResponse(
  url: string,
  status: number,
  headers: Headers,
  body: string,
): FetcherResponse {
  const text = nullBodyStatuses.has(status) ? '' : body;
  let bodyUsed = false;
  const read = () => {
    bodyUsed = true;
    return text;
  };
  const response: FetcherResponse = {
    get bodyUsed() {
      return bodyUsed;
    },
    url,
    redirected: false,
    status,
    ok: status >= 200 && status < 300,
    statusText: STATUS_CODES[status] ?? '',
    headers,
    text: async () => read(),
    json: async () => JSON.parse(read()),
    arrayBuffer: async () => new TextEncoder().encode(read()).buffer as ArrayBuffer,
    clone: () => subgraphResponse(url, status, new Headers(headers), text),
  };
  return response;
}

/**
 * The gateway's subgraph transport: undici's `request` over a shared keep-alive agent (the
 * Fetch API's machinery costs the gateway about a sixth of its CPU per request, for nothing it
 * uses), each call aborted after `timeoutMs` so a stuck subgraph cannot hold a request (or a
 * socket) forever, or sooner when the caller's `signal` aborts. The answer is read whole before
 * it is handed on: every subgraph answer is a small JSON document that is read anyway.
 */
export function createSubgraphFetcher(options: SubgraphFetcherOptions): {
  fetcher: Fetcher;
  close: () => Promise<void>;
} {
  const dispatcher = new Agent({
    connections: options.connections,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 60_000,
  });
  /** Subgraph URLs are few: each parsed once. */
  const targets = new Map<string, URL>();
  const fetcher: Fetcher = async (url, init) => {
    let target = targets.get(url);
    if (!target) {
      target = new URL(url);
      targets.set(url, target);
    }
    const deadline = AbortSignal.timeout(options.timeoutMs);
    const { statusCode, headers, body } = await dispatcher.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: (init?.method ?? 'GET') as 'GET',
      headers: init?.headers,
      body: init?.body,
      // A shared call also ends when every caller sharing it has gone (createInFlightRequests).
      signal: init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline,
    });
    const text = await body.text();
    const received = new Headers();
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) received.append(name, one);
    }
    return subgraphResponse(url, statusCode, received, text);
  };
  return { fetcher, close: () => dispatcher.close() };
}
