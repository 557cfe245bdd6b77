import { cursorPages, numberedPages } from '../rest/pages.js';
import type { RequestBudget } from '../rest/requestBudget.js';
import { statusFailure } from '../rest/sendHttpRequest.js';
import {
  type RestEndpoint,
  type RestOutcome,
  type RestRequest,
  sendRestRequest,
} from '../rest/sendRestRequest.js';

/** A request as the builders of a generated client (`src/__generated__/client.gen.ts`) make it. */
export type OperationRequest<T> = Omit<RestRequest<T>, 'budget' | 'headers'>;

/** A body that carries the next page's cursor, as many vendors' list answers do. */
export interface CursorPage {
  readonly cursor?: string | null | undefined;
}

/**
 * Sends the requests of a client generated from a vendor's OpenAPI document through the kit's
 * REST transport (the connection's pool, the call's deadline, status classification, the single
 * 429 retry of a read), with the vendor's fixed headers (a version header, say).
 */
export function createOperationClient<E, S extends number>(
  endpoint: RestEndpoint<E, S>,
  options: {
    /** Sent with every request, e.g. `{ 'square-version': '2025-08-20' }`. Default: none. */
    headers?: Readonly<Record<string, string>>;
    /** Most pages of one list before it is a bad response. Default: 50. */
    maxPages?: number;
  } = {},
) {
  const send = <T>(request: OperationRequest<T>, budget: RequestBudget) =>
    sendRestRequest(endpoint, { ...request, headers: options.headers, budget });

  /**
   * The value of a call where any refusal is the provider failing (a read): a refusal is
   * PROVIDER_INTERNAL naming the status only (a vendor's error text may quote the request).
   */
  async function value<T>(request: OperationRequest<T>, budget: RequestBudget): Promise<T> {
    return outcomeValue(await send(request, budget), `${endpoint.label} ${request.path}`);
  }

  /** Every item of a cursor-paged list: `cursor` goes into the next request as the body gave it. */
  async function all<P extends CursorPage, I>(
    request: (cursor: string | undefined) => OperationRequest<P>,
    items: (page: P) => readonly I[] | null | undefined,
    budget: RequestBudget,
  ): Promise<I[]> {
    const found: I[] = [];
    const first = request(undefined);
    for await (const page of cursorPages({
      label: `${endpoint.label} ${first.path}`,
      maxPages: options.maxPages ?? 50,
      fetchPage: (cursor) => value(cursor === undefined ? first : request(cursor), budget),
      nextCursor: (page: P) => page.cursor,
    })) {
      found.push(...(items(page) ?? []));
    }
    return found;
  }

  /**
   * Every item of a list numbered from 1 whose first page says how many pages there are: page 1,
   * then the rest at once (`numberedPages`), since the count is known and deadlines are short.
   */
  async function numbered<P, I>(
    request: (page: number) => OperationRequest<P>,
    read: {
      items: (page: P) => readonly I[];
      pageCount: (first: P) => number;
      pageNumber: (page: P) => number;
    },
    budget: RequestBudget,
  ): Promise<I[]> {
    const first = request(1);
    const pages = await numberedPages({
      label: `${endpoint.label} ${first.path}`,
      maxPages: options.maxPages ?? 50,
      fetchPage: (page) => value(page === 1 ? first : request(page), budget),
      pageCount: read.pageCount,
      pageNumber: read.pageNumber,
    });
    return pages.flatMap((page) => [...read.items(page)]);
  }

  return { send, value, all, numbered };
}

/** The value of a successful outcome, else the failure its status says (`statusFailure`). */
export function outcomeValue<T, E, S extends number>(
  outcome: RestOutcome<T, E, S>,
  what: string,
): T {
  if (outcome.ok) return outcome.value;
  throw statusFailure(what, outcome.status);
}
