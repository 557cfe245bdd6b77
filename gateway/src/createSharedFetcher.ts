import type { Fetcher, FetcherRequestInit, FetcherResponse } from '@apollo/utils.fetcher';
import type { InFlightRequests } from './createInFlightRequests.js';
import { subgraphResponse } from './createSubgraphFetcher.js';

/**
 * The header `PlatformDataSource` marks a query with that may share its fetch. It only carries
 * that mark from `willSendRequest` to the fetcher, which removes it: it never reaches a subgraph.
 */
export const shareableMark = 'x-gateway-shareable';

/** A subgraph's answer read to its end, so that several callers can each read it. */
export interface SubgraphAnswer {
  /** A response of its own for one caller: the same status, headers and body, unread. */
  response(): FetcherResponse;
}

type SentRequest = { method?: string; headers: Record<string, string>; body?: string | Buffer };

/**
 * The identity of a subgraph request: method, URL, every header and the body (query text,
 * operation name and variables), framed as an HTTP message is. Header values cannot hold a line
 * break, so no header can pass for another, nor for the body after the blank line. Every header
 * counts, so a caller acting for another client or subject, with other scopes or another
 * internal secret never has the same key.
 */
export function subgraphRequestKey(url: string, init: SentRequest): string {
  let key = `${init.method ?? 'GET'} ${url}\n`;
  for (const name of Object.keys(init.headers).sort()) {
    key += `${name.toLowerCase()}: ${init.headers[name]}\n`;
  }
  return `${key}\n${init.body?.toString() ?? ''}`;
}

/** Fetches `url` and reads the whole answer, so that it can be handed to several callers. */
async function readAnswer(
  fetcher: Fetcher,
  url: string,
  init: FetcherRequestInit,
): Promise<SubgraphAnswer> {
  const fetched = await fetcher(url, init);
  const body = await fetched.text();
  const { status } = fetched;
  const headers = [...fetched.headers];
  const answeredUrl = fetched.url || url;
  return {
    response: () => subgraphResponse(answeredUrl, status, new Headers(headers), body),
  };
}

/**
 * `fetcher`, except that a request marked `shareableMark` joins an identical one in flight
 * (`subgraphRequestKey`) instead of being sent again. The answer is read once and handed to each
 * caller as a response of its own, so one caller reading, or failing to read, its body leaves the
 * others' untouched; a failed fetch is every sharer's failure, and the next caller fetches anew.
 */
export function createSharedFetcher(
  fetcher: Fetcher,
  inFlight: InFlightRequests<SubgraphAnswer>,
): Fetcher {
  return async (url, init) => {
    if (!init?.headers || !(shareableMark in init.headers)) return fetcher(url, init);
    const { [shareableMark]: _mark, ...headers } = init.headers;
    const request = { ...init, headers };
    const answer = await inFlight.run(
      subgraphRequestKey(url, request),
      (signal) => readAnswer(fetcher, url, { ...request, signal }),
      init.signal as AbortSignal | undefined,
    );
    return answer.response();
  };
}
