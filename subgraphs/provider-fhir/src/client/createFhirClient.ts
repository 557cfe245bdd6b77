import {
  linkedPages,
  ProviderError,
  ProviderErrorCode,
  parseVendorValue,
  type RequestBudget,
  type RestEndpoint,
  type RestOutcome,
  sendRestRequest,
  unexpectedOutcome,
} from '@booking/provider-kit';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import {
  type FhirOperationOutcome,
  operationOutcomeSchema,
  searchsetSchema,
  type TransactionResponse,
  transactionResponseSchema,
} from './schemas.js';

/** FHIR answers that are expected failures of one call, handed to the adapter to translate. */
export const expectedFailureStatuses = [400, 404, 409, 410, 412, 422] as const;
export type ExpectedFailureStatus = (typeof expectedFailureStatuses)[number];

/** A call's result: the validated body, or an expected failure with its OperationOutcome. */
export type FhirOutcome<T> = RestOutcome<T, FhirOperationOutcome, ExpectedFailureStatus>;

export interface FhirClientOptions {
  /** The FHIR base URL, e.g. `http://127.0.0.1:4102/fhir/R4`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` when set. Default: none. */
  accessToken?: string | undefined;
  /** The connection's keep-alive pool (undici `Pool` or `Agent`); closed by its owner, not here. */
  dispatcher: Dispatcher;
  /**
   * `_count` asked for per search page: few large pages cost a server less than many small ones.
   * Servers cap it (Medplum at 1000, many lower) and answer fewer. Default: 500.
   */
  pageSize?: number;
  /** A search longer than this many pages is refused as a bad response. Default: 50. */
  maxPages?: number;
}

/** One entry of a transaction bundle. */
export interface TransactionEntry {
  /** `urn:uuid:…` for a resource other entries reference before it has an id. */
  fullUrl?: string;
  resource: { resourceType: string } & Record<string, unknown>;
  request: {
    method: 'POST' | 'PUT';
    url: string;
    /** `W/"<versionId>"`: the update fails with 412 when the resource changed since it was read. */
    ifMatch?: string;
    /** A search: the create is skipped when exactly one resource matches it. */
    ifNoneExist?: string;
  };
}

export type FhirClient = ReturnType<typeof createFhirClient>;

/** `,`, `|`, `$` and `\` are syntax inside FHIR search values; a value containing them is escaped. */
export function escapeSearchValue(value: string): string {
  return value.replace(/[\\,|$]/g, (char) => `\\${char}`);
}

/** The issue codes of an OperationOutcome, for messages: its texts may quote input. */
export const issueCodes = (outcome: FhirOperationOutcome): string =>
  outcome.issue.map((issue) => issue.code).join(', ');

/**
 * FHIR REST for one server: searches followed through every `next` page, reads and transactions,
 * every answer validated. Expected failures (400, 404, 409, 410, 412, 422) of reads and
 * transactions come back as outcomes for the adapter to translate.
 */
export function createFhirClient(options: FhirClientOptions) {
  const { pageSize = 500, maxPages = 50 } = options;
  const endpoint: RestEndpoint<FhirOperationOutcome, ExpectedFailureStatus> = {
    label: 'FHIR',
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    dispatcher: options.dispatcher,
    auth: options.accessToken ? { scheme: 'bearer', token: options.accessToken } : undefined,
    mediaType: 'application/fhir+json',
    expectedFailures: { statuses: expectedFailureStatuses, schema: operationOutcomeSchema },
  };

  return {
    baseUrl: endpoint.baseUrl,

    /**
     * Every match of `GET {resourceType}?{params}`, page after page along `Bundle.link[next]`.
     * Entries with `search.mode` `include` or `outcome` are not results and are skipped; an entry
     * without a mode counts as a match when it has the searched type.
     */
    async search<T>(
      resourceType: string,
      params: Record<string, string> | readonly (readonly [string, string])[],
      schema: z.ZodType<T>,
      budget: RequestBudget,
    ): Promise<T[]> {
      const what = `search ${resourceType}`;
      const results: T[] = [];
      const pairs: [string, string][] = Array.isArray(params)
        ? params.map(([key, value]): [string, string] => [key, value])
        : Object.entries(params);
      const query = new URLSearchParams(pairs);
      query.set('_count', String(pageSize));
      const pages = linkedPages({
        baseUrl: endpoint.baseUrl,
        first: { path: resourceType, query },
        fetchPage: async (page) => {
          const answer = await sendRestRequest(endpoint, {
            method: 'GET',
            ...page,
            schema: searchsetSchema,
            budget,
          });
          return answer.ok ? answer.value : unexpectedOutcome(`FHIR ${what}`, answer, issueCodes);
        },
        nextUrl: (page) => page.link?.find((link) => link.relation === 'next')?.url,
        maxPages,
        label: `FHIR ${what}`,
      });
      for await (const page of pages) {
        for (const [index, entry] of (page.entry ?? []).entries()) {
          const mode =
            entry.search?.mode ??
            (entry.resource.resourceType === resourceType ? 'match' : 'include');
          if (mode !== 'match') continue;
          const invalid = `FHIR ${what}: entry ${index} is not a valid ${resourceType}`;
          results.push(parseVendorValue(schema, entry.resource, invalid));
        }
      }
      return results;
    },

    /** `GET {resourceType}/{id}`; 404 and 410 come back as outcomes. */
    read<T>(
      resourceType: string,
      id: string,
      schema: z.ZodType<T>,
      budget: RequestBudget,
    ): Promise<FhirOutcome<T>> {
      return sendRestRequest(endpoint, {
        method: 'GET',
        path: `${resourceType}/{id}`,
        params: { id },
        schema,
        budget,
      });
    },

    /**
     * `POST {resourceType}` (create) or `PUT {resourceType}/{id}` (update) of one resource; the
     * server's version comes back. Expected failures (400, 404, 409, 412, …) as outcomes.
     */
    write<T>(
      resource: { resourceType: string; id?: string } & Record<string, unknown>,
      schema: z.ZodType<T>,
      budget: RequestBudget,
    ): Promise<FhirOutcome<T>> {
      const { resourceType, id } = resource;
      return sendRestRequest(endpoint, {
        method: id ? 'PUT' : 'POST',
        path: id ? `${resourceType}/{id}` : resourceType,
        params: id ? { id } : {},
        body: resource,
        headers: { prefer: 'return=representation' },
        schema,
        budget,
      });
    },

    /**
     * `POST [base]` with a transaction bundle: all entries succeed or none does. A failed entry
     * fails the whole request with its status (412 for a stale `ifMatch`).
     */
    async transaction(
      entries: readonly TransactionEntry[],
      budget: RequestBudget,
    ): Promise<FhirOutcome<TransactionResponse>> {
      const answer = await sendRestRequest(endpoint, {
        method: 'POST',
        path: '',
        body: { resourceType: 'Bundle', type: 'transaction', entry: entries },
        headers: { prefer: 'return=representation' },
        schema: transactionResponseSchema,
        budget,
      });
      if (answer.ok && answer.value.entry.length !== entries.length) {
        throw new ProviderError(
          ProviderErrorCode.BadResponse,
          `FHIR transaction: ${answer.value.entry.length} response entries for ${entries.length} requests`,
        );
      }
      return answer;
    },
  };
}
