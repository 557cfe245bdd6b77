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
import {
  type FhirOperationOutcome,
  type FhirResource,
  type FhirResourceType,
  fhirId,
  fhirResources,
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

/**
 * Throws for an expected failure where none was expected, naming the OperationOutcome's issue
 * codes only: its texts may quote input.
 */
export const unexpected = (what: string, outcome: FhirOutcome<unknown>): never =>
  unexpectedOutcome(`FHIR ${what}`, outcome, (error) => error.issue.map((i) => i.code).join(', '));

/** A 409 or 412: someone wrote a resource of the transaction since it was read. */
export const isConflict = (outcome: FhirOutcome<unknown>) =>
  !outcome.ok && (outcome.status === 409 || outcome.status === 412);

/** The resource of `type` a transaction wrote, as its answer has it. */
export function writtenResource<K extends FhirResourceType>(
  response: TransactionResponse,
  type: K,
  what: string,
): FhirResource<K> {
  const found = response.entry.find((entry) => entry.resource?.resourceType === type);
  return parseVendorValue(
    fhirResources[type],
    found?.resource,
    `FHIR ${what}: the ${type} written`,
  );
}

/**
 * FHIR REST for one server: searches followed through every `next` page, reads and transactions,
 * every answer validated. Expected failures (400, 404, 409, 410, 412, 422) of transactions come
 * back as outcomes for the adapter to translate.
 */
export function createFhirClient(options: FhirClientOptions) {
  const { pageSize = 500 } = options;
  const endpoint: RestEndpoint<FhirOperationOutcome, ExpectedFailureStatus> = {
    label: 'FHIR',
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    dispatcher: options.dispatcher,
    auth: options.accessToken ? { scheme: 'bearer', token: options.accessToken } : undefined,
    mediaType: 'application/fhir+json',
    expectedFailures: { statuses: expectedFailureStatuses, schema: operationOutcomeSchema },
  };

  return {
    /**
     * Every match of `GET {type}?{params}`, page after page along `Bundle.link[next]`. Entries
     * with `search.mode` `include` or `outcome` are not results and are skipped; an entry without
     * a mode counts as a match when it has the searched type.
     */
    async search<K extends FhirResourceType>(
      type: K,
      params: Record<string, string> | [string, string][],
      budget: RequestBudget,
    ): Promise<FhirResource<K>[]> {
      const what = `search ${type}`;
      const query = new URLSearchParams(params);
      query.set('_count', String(pageSize));
      const pages = linkedPages({
        baseUrl: endpoint.baseUrl,
        first: { path: type, query },
        fetchPage: async (page) => {
          const answer = await sendRestRequest(endpoint, {
            method: 'GET',
            ...page,
            schema: searchsetSchema,
            budget,
          });
          return answer.ok ? answer.value : unexpected(what, answer);
        },
        nextUrl: (page) => page.link?.find((link) => link.relation === 'next')?.url,
        // A longer search is a server looping or a query gone wrong, not a longer answer.
        maxPages: 50,
        label: `FHIR ${what}`,
      });
      const schema = fhirResources[type];
      const results: FhirResource<K>[] = [];
      for await (const page of pages) {
        for (const [index, entry] of (page.entry ?? []).entries()) {
          const mode =
            entry.search?.mode ?? (entry.resource.resourceType === type ? 'match' : 'include');
          if (mode !== 'match') continue;
          const invalid = `FHIR ${what}: entry ${index} is not a valid ${type}`;
          results.push(parseVendorValue(schema, entry.resource, invalid));
        }
      }
      return results;
    },

    /** `GET {type}/{id}`: null when the id cannot be one or the server has none (404, 410). */
    async read<K extends FhirResourceType>(
      type: K,
      id: string,
      budget: RequestBudget,
    ): Promise<FhirResource<K> | null> {
      if (!fhirId.safeParse(id).success) return null;
      const answer = await sendRestRequest(endpoint, {
        method: 'GET',
        path: `${type}/{id}`,
        params: { id },
        schema: fhirResources[type],
        budget,
      });
      if (answer.ok) return answer.value;
      return answer.status === 404 || answer.status === 410
        ? null
        : unexpected(`read ${type}`, answer);
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
