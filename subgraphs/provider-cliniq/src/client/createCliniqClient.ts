import {
  createOperationClient,
  ianaTimeZone,
  type OperationRequest,
  type RequestBudget,
  type RestOutcome,
} from '@booking/provider-kit';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { zClinic, zClinicPage, zError } from '../__generated__/zod.gen.js';

/**
 * Cliniq's error body. Codes are read as strings, not as the document's enum, so that a code
 * Cliniq adds is translated by its status rather than failing the call.
 */
export const cliniqError = zError.extend({
  error: z.string().min(1),
  message: z.string().optional(),
});
export type CliniqError = z.output<typeof cliniqError>;

/** `GET /clinics`, each clinic's `timezone` a zone luxon knows: a document cannot say so. */
export const clinicPage = zClinicPage.extend({
  data: z.array(zClinic.extend({ timezone: ianaTimeZone })),
});

/** Cliniq answers that are expected failures of one call, handed to the adapter to translate. */
export const expectedFailureStatuses = [400, 404, 409, 410, 422] as const;
export type ExpectedFailureStatus = (typeof expectedFailureStatuses)[number];

/** A call's result: the validated body, or an expected vendor failure (never a thrown error). */
export type CliniqOutcome<T> = RestOutcome<T, CliniqError, ExpectedFailureStatus>;

/** Cliniq's list envelope (`{data, page, pageSize, totalPages, totalItems}`). */
interface Page<I> {
  data: I[];
  page: number;
  totalPages: number;
}

export type CliniqClient = ReturnType<typeof createCliniqClient>;

/**
 * Cliniq's API for one tenant, through the kit's REST transport and the requests generated from
 * Cliniq's OpenAPI document (`src/__generated__/client.gen.ts`, from `simulators/cliniq/openapi.json`).
 */
export function createCliniqClient(options: {
  /** The tenant's API root, e.g. `http://127.0.0.1:4101/t/nordklinik/api/v1`. */
  baseUrl: string;
  /** Sent as `X-Api-Key` on every call; never logged. */
  apiKey: string;
  /** The tenant's keep-alive pool; closed by its owner, not here. */
  dispatcher: Dispatcher;
  /** Epoch ms, for `Retry-After` against the deadline. Default: `Date.now`. */
  now?: () => number;
  /** Items per page of list calls. Default: 100, Cliniq's maximum, to need the fewest pages. */
  pageSize?: number;
}) {
  const { pageSize = 100 } = options;
  const client = createOperationClient(
    {
      label: 'Cliniq',
      baseUrl: options.baseUrl,
      dispatcher: options.dispatcher,
      auth: { scheme: 'apiKey', header: 'x-api-key', key: options.apiKey },
      expectedFailures: { statuses: expectedFailureStatuses, schema: cliniqError },
      now: options.now,
    },
    // A list over 100 pages (10000 items, more than any tenant has) is refused as a bad response.
    { maxPages: 100 },
  );
  const read = {
    items: <I>(page: Page<I>) => page.data,
    pageCount: (first: Page<unknown>) => first.totalPages,
    pageNumber: (page: Page<unknown>) => page.page,
  };
  return {
    ...client,
    /**
     * Every item of a paged list. Page 1 says how many pages there are; the rest are fetched in
     * parallel, since a slot search over many clinics can span several pages and the deadline is short.
     */
    list<I>(
      request: (paging: { page: number; pageSize: number }) => OperationRequest<Page<I>>,
      budget: RequestBudget,
    ): Promise<I[]> {
      return client.numbered<Page<I>, I>((page) => request({ page, pageSize }), read, budget);
    },
  };
}
