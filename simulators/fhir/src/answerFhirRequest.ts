import type { IncomingHttpHeaders } from 'node:http';
import { badRequest, getStatus, normalizeOperationOutcome } from '@medplum/core';
import type { FhirRepository, FhirRouter, HttpMethod } from '@medplum/fhir-router';
import type {
  Bundle,
  BundleEntry,
  BundleLink,
  OperationOutcome,
  Resource,
} from '@medplum/fhirtypes';

/** One FHIR REST call, already taken apart from its HTTP request. */
export interface FhirCall {
  method: HttpMethod;
  /** Path below the FHIR base without a leading slash, e.g. `Slot/abc` or `Slot` or `` (transactions). */
  path: string;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingHttpHeaders;
}

export interface FhirEndpoint {
  router: FhirRouter;
  repository: FhirRepository;
  /** The base URL clients see (from their `Host` header), for `fullUrl`, `Location` and links. */
  baseUrl: string;
  /** Page size of a search without `_count`. */
  defaultPageSize: number;
  /** A larger `_count` is silently lowered to this. */
  maxPageSize: number;
}

export interface FhirAnswer {
  status: number;
  body: Resource;
  headers: Record<string, string>;
}

const fhirJson = 'application/fhir+json; charset=utf-8';

/** A search of one resource type by GET: `Slot?…`. */
function isTypeSearch(call: FhirCall): boolean {
  return call.method === 'GET' && /^[A-Z][A-Za-z]+$/.test(call.path);
}

function outcomeAnswer(outcome: OperationOutcome): FhirAnswer {
  return { status: getStatus(outcome), body: outcome, headers: { 'content-type': fhirJson } };
}

/** `_count` and `_offset` as the server applies them, or the OperationOutcome refusing them. */
function paging(
  query: URLSearchParams,
  endpoint: FhirEndpoint,
): { count: number; offset: number } | OperationOutcome {
  const read = (name: string) => {
    const text = query.get(name);
    if (text === null) return undefined;
    return /^\d+$/.test(text) ? Number(text) : Number.NaN;
  };
  const count = read('_count');
  const offset = read('_offset');
  if (Number.isNaN(count)) return badRequest('_count must be a non-negative integer', '_count');
  if (Number.isNaN(offset)) return badRequest('_offset must be a non-negative integer', '_offset');
  return {
    count: Math.min(count ?? endpoint.defaultPageSize, endpoint.maxPageSize),
    offset: offset ?? 0,
  };
}

/**
 * Adds what Medplum's memory repository leaves out of a searchset and Medplum's server adds:
 * `fullUrl` and `search.mode` on every entry and `self`/`next`/`previous` links (offset paging).
 * A search that matches nothing gets an informational OperationOutcome entry with
 * `search.mode = outcome`, as several production servers send: clients must not read it as a match.
 */
function decorateSearchset(
  bundle: Bundle,
  call: FhirCall,
  endpoint: FhirEndpoint,
  page: { count: number; offset: number },
): Bundle {
  const pageUrl = (offset: number) => {
    const query = new URLSearchParams(call.query);
    query.set('_count', String(page.count));
    query.set('_offset', String(offset));
    return `${endpoint.baseUrl}/${call.path}?${query.toString()}`;
  };
  const total = bundle.total ?? 0;
  const link: BundleLink[] = [{ relation: 'self', url: pageUrl(page.offset) }];
  if (page.count > 0 && page.offset + page.count < total) {
    link.push({ relation: 'next', url: pageUrl(page.offset + page.count) });
  }
  if (page.offset > 0) {
    link.push({ relation: 'previous', url: pageUrl(Math.max(0, page.offset - page.count)) });
  }
  const entry: BundleEntry[] = (bundle.entry ?? []).map((item) => ({
    fullUrl: `${endpoint.baseUrl}/${item.resource?.resourceType}/${item.resource?.id}`,
    ...item,
    search: { mode: 'match' },
  }));
  if (entry.length === 0) {
    entry.push({
      fullUrl: `urn:uuid:${crypto.randomUUID()}`,
      resource: {
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'information',
            code: 'informational',
            details: { text: 'No resources match the search' },
          },
        ],
      },
      search: { mode: 'outcome' },
    });
  }
  return { resourceType: 'Bundle', type: 'searchset', total, link, entry };
}

/**
 * Answers one FHIR REST call with Medplum's router over the repository, as Medplum's server
 * would: status from the OperationOutcome, `ETag`/`Last-Modified`/`Location` headers, searches
 * paged with `_count`/`_offset`, transactions atomic (`config.transactions`).
 */
export async function answerFhirRequest(
  endpoint: FhirEndpoint,
  call: FhirCall,
): Promise<FhirAnswer> {
  let page: { count: number; offset: number } | undefined;
  const query = new URLSearchParams(call.query);
  if (isTypeSearch(call)) {
    const parsed = paging(call.query, endpoint);
    if ('resourceType' in parsed) return outcomeAnswer(parsed);
    page = parsed;
    query.set('_count', String(page.count));
    query.set('_offset', String(page.offset));
  }
  const search = query.toString();
  let response: Awaited<ReturnType<FhirRouter['handleRequest']>>;
  try {
    response = await endpoint.router.handleRequest(
      {
        method: call.method,
        url: `/${call.path}${search ? `?${search}` : ''}`,
        pathname: '',
        params: {},
        query: {},
        body: call.body,
        headers: call.headers,
        config: { transactions: true },
      },
      endpoint.repository,
    );
  } catch (error) {
    return outcomeAnswer(normalizeOperationOutcome(error));
  }
  const [outcome, resource] = response;
  if (!resource) return outcomeAnswer(outcome);
  const status = getStatus(outcome);
  const headers: Record<string, string> = { 'content-type': fhirJson };
  if (page && resource.resourceType === 'Bundle' && resource.type === 'searchset') {
    return { status, headers, body: decorateSearchset(resource, call, endpoint, page) };
  }
  const { versionId, lastUpdated } = resource.meta ?? {};
  if (versionId && resource.resourceType !== 'Bundle') {
    headers.etag = `W/"${versionId}"`;
    if (lastUpdated) headers['last-modified'] = new Date(lastUpdated).toUTCString();
    if (status === 201) {
      headers.location = `${endpoint.baseUrl}/${resource.resourceType}/${resource.id}/_history/${versionId}`;
    }
  }
  return { status, headers, body: resource };
}
