import type { Fetcher } from '@apollo/utils.fetcher';
import { Agent, fetch } from 'undici';

export interface SubgraphFetcherOptions {
  /** Longest a subgraph call may take before it is aborted. */
  timeoutMs: number;
  /** Most sockets kept open per subgraph origin. */
  connections: number;
}

/**
 * The gateway's subgraph transport: undici fetch over a shared keep-alive agent, each call
 * aborted after `timeoutMs` so a stuck subgraph cannot hold a request (or a socket) forever, or
 * sooner when the caller's `signal` aborts.
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
  const fetcher = ((url: string, init?: { signal?: AbortSignal }) => {
    const deadline = AbortSignal.timeout(options.timeoutMs);
    return fetch(url, {
      ...(init as object),
      dispatcher,
      // A shared call also ends when every caller sharing it has gone (createInFlightRequests).
      signal: init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline,
    });
  }) as unknown as Fetcher;
  return { fetcher, close: () => dispatcher.close() };
}
