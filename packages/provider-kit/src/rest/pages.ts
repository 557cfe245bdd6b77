import { ProviderError, ProviderErrorCode } from '../errors.js';

/** A page's address below an API root, as `sendRestRequest` takes it. */
export interface PageAddress {
  readonly path: string;
  readonly query: URLSearchParams;
}

export interface CursorPagesOptions<P> {
  /** Fetches the page at `cursor`; `undefined` is the first page. */
  readonly fetchPage: (cursor: string | undefined) => Promise<P>;
  /** The cursor of the page after `page`, from its body; absent, `null` or `''` on the last page. */
  readonly nextCursor: (page: P) => string | null | undefined;
  /** More pages than this is a bad response, not a long list. */
  readonly maxPages: number;
  /** Names the list in errors, e.g. `Acme GET /slots`. */
  readonly label: string;
}

/**
 * The pages of a list whose body carries the next page's cursor, one after the other. A cursor
 * seen before (the vendor looping) or more than `maxPages` pages is PROVIDER_BAD_RESPONSE.
 */
export async function* cursorPages<P>(options: CursorPagesOptions<P>): AsyncGenerator<P> {
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let pages = 1; ; pages += 1) {
    const page = await options.fetchPage(cursor);
    yield page;
    const next = options.nextCursor(page);
    if (!next) return;
    if (seen.has(next)) {
      throw new ProviderError(ProviderErrorCode.BadResponse, `${options.label}: next cursor loops`);
    }
    if (pages >= options.maxPages) {
      throw new ProviderError(
        ProviderErrorCode.BadResponse,
        `${options.label}: more than ${options.maxPages} pages`,
      );
    }
    seen.add(next);
    cursor = next;
  }
}

export interface NumberedPagesOptions<P> {
  /** Fetches page `number`, counting from 1. */
  readonly fetchPage: (number: number) => Promise<P>;
  /** How many pages the list has, as its first page says. */
  readonly pageCount: (first: P) => number;
  /** Which page a body says it is. */
  readonly pageNumber: (page: P) => number;
  /** More pages than this is a bad response, not a long list. */
  readonly maxPages: number;
  /** Names the list in errors, e.g. `Cliniq GET /slots`. */
  readonly label: string;
}

/**
 * Every page of a list numbered from 1 whose first page says how many there are: page 1, then the
 * rest at once, since the count is known and deadlines are short. More than `maxPages` pages, or
 * a page other than the one asked for, is PROVIDER_BAD_RESPONSE.
 */
export async function numberedPages<P>(options: NumberedPagesOptions<P>): Promise<P[]> {
  const { fetchPage, pageNumber, maxPages, label } = options;
  const first = await fetchPage(1);
  const count = options.pageCount(first);
  if (count > maxPages) {
    throw new ProviderError(
      ProviderErrorCode.BadResponse,
      `${label}: ${count} pages, more than the ${maxPages} allowed`,
    );
  }
  const rest = await Promise.all(
    Array.from({ length: Math.max(0, count - 1) }, (_, index) => fetchPage(index + 2)),
  );
  for (const [index, page] of rest.entries()) {
    if (pageNumber(page) !== index + 2) {
      throw new ProviderError(
        ProviderErrorCode.BadResponse,
        `${label}: asked for page ${index + 2}, got page ${pageNumber(page)}`,
      );
    }
  }
  return [first, ...rest];
}

export interface LinkedPagesOptions<P> {
  /** The API root that every page must stay below. */
  readonly baseUrl: string;
  /** The first page. */
  readonly first: PageAddress;
  /** Fetches one page. */
  readonly fetchPage: (address: PageAddress) => Promise<P>;
  /** The URL of the page after `page` (a body's `next` link, or `nextLink` of a `Link` header). */
  readonly nextUrl: (page: P) => string | null | undefined;
  /** More pages than this is a bad response, not a long list. */
  readonly maxPages: number;
  /** Names the list in errors, e.g. `FHIR search Slot`. */
  readonly label: string;
}

/**
 * A next link as an address below `baseUrl`. Servers behind proxies often advertise their internal
 * host in links, so only the path and query are taken, to be sent to the configured root: a link
 * outside the root's path is refused rather than followed off the server.
 */
export function pageAddress(baseUrl: string, link: string, label: string): PageAddress {
  const root = new URL(`${baseUrl.replace(/\/+$/, '')}/`);
  let url: URL;
  try {
    url = new URL(link, root);
  } catch {
    throw new ProviderError(ProviderErrorCode.BadResponse, `${label}: unreadable next link`);
  }
  if (!url.pathname.startsWith(root.pathname)) {
    throw new ProviderError(
      ProviderErrorCode.BadResponse,
      `${label}: next link leaves the API root`,
    );
  }
  return { path: url.pathname.slice(root.pathname.length), query: url.searchParams };
}

/**
 * The pages of a list that links to its next page by URL, one after the other. A link seen before,
 * a link leaving the API root or more than `maxPages` pages is PROVIDER_BAD_RESPONSE.
 */
export async function* linkedPages<P>(options: LinkedPagesOptions<P>): AsyncGenerator<P> {
  const key = (address: PageAddress) => `${address.path}?${address.query.toString()}`;
  const seen = new Set<string>();
  let address = options.first;
  for (let pages = 1; ; pages += 1) {
    seen.add(key(address));
    const page = await options.fetchPage(address);
    yield page;
    const next = options.nextUrl(page);
    if (!next) return;
    address = pageAddress(options.baseUrl, next, options.label);
    if (seen.has(key(address))) {
      throw new ProviderError(ProviderErrorCode.BadResponse, `${options.label}: next link loops`);
    }
    if (pages >= options.maxPages) {
      throw new ProviderError(
        ProviderErrorCode.BadResponse,
        `${options.label}: more than ${options.maxPages} pages`,
      );
    }
  }
}

/**
 * The `rel="next"` target of an RFC 8288 `Link` header (GitHub-style paging), or `undefined`.
 */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header.join(',') : header;
  for (const match of (text ?? '').matchAll(/<([^>]*)>\s*((?:;\s*[^;,]*)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";]*)"?/i.exec(match[2] ?? '')?.[1];
    if (rel?.split(/\s+/).includes('next')) return match[1];
  }
  return undefined;
}
