import {
  numberedPages,
  type RequestBudget,
  type RestEndpoint,
  type RestOutcome,
  type RestRequest,
  sendRestRequest,
  unexpectedOutcome,
} from '@booking/provider-kit';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import {
  bookingListSchema,
  bookingSchema,
  clinicSchema,
  errorSchema,
  holdListSchema,
  holdSchema,
  pageSchema,
  serviceSchema,
  slotSchema,
  slotStateSchema,
  type VendorBooking,
  type VendorClinic,
  type VendorError,
  type VendorHold,
  type VendorService,
  type VendorSlot,
  type VendorSlotState,
} from './schemas.js';

/** Cliniq answers that are expected failures of one call, handed to the adapter to translate. */
export const expectedFailureStatuses = [400, 404, 409, 410, 422] as const;
export type ExpectedFailureStatus = (typeof expectedFailureStatuses)[number];

/** A call's result: the validated body, or an expected vendor failure (never a thrown error). */
export type VendorOutcome<T> = RestOutcome<T, VendorError, ExpectedFailureStatus>;

export interface CliniqClientOptions {
  /** The tenant's API root, e.g. `http://127.0.0.1:4101/t/nordklinik/api/v1`. */
  baseUrl: string;
  /** Sent as `X-Api-Key` on every call. */
  apiKey: string;
  /** The tenant's keep-alive pool (undici `Pool` or `Agent`); closed by its owner, not here. */
  dispatcher: Dispatcher;
  /** Epoch ms, for Retry-After arithmetic. Default: `Date.now`. */
  now?: () => number;
  /** Items per page of list calls. Default: 100, Cliniq's maximum, to need the fewest pages. */
  pageSize?: number;
  /** A list longer than this many pages is refused as a bad response. Default: 100. */
  maxPages?: number;
}

/** Free-slot search; `from`/`to` are Cliniq local times (`yyyy-MM-ddTHH:mm:ss`). */
export interface VendorSlotQuery {
  from: string;
  to: string;
  /** Sent comma-separated; empty means every clinic of the tenant. */
  clinicIds: readonly string[];
  serviceCode?: string | undefined;
  practitionerId?: string | undefined;
}

/** What Cliniq needs to know about the patient, in its own field names. */
export interface VendorPatient {
  personalIdentityNumber: string;
  firstName: string;
  lastName: string;
  email?: string | undefined;
  phone?: string | undefined;
}

export type CliniqClient = ReturnType<typeof createCliniqClient>;

/**
 * Cliniq's REST API for one tenant: one method per endpoint, every answer validated. Lists are
 * followed to their last page; expected failures (400, 404, 409, 410, 422) come back as outcomes.
 */
export function createCliniqClient(options: CliniqClientOptions) {
  const { pageSize = 100, maxPages = 100 } = options;
  const endpoint: RestEndpoint<VendorError, ExpectedFailureStatus> = {
    label: 'Cliniq',
    baseUrl: options.baseUrl,
    dispatcher: options.dispatcher,
    auth: { scheme: 'apiKey', header: 'x-api-key', key: options.apiKey },
    expectedFailures: { statuses: expectedFailureStatuses, schema: errorSchema },
    now: options.now,
  };
  const send = <T>(call: RestRequest<T>) => sendRestRequest(endpoint, call);

  /** A read that has no expected failure: anything but success is the provider misbehaving. */
  async function read<T>(call: RestRequest<T>): Promise<T> {
    const outcome = await send(call);
    if (outcome.ok) return outcome.value;
    return unexpectedOutcome(`Cliniq ${call.method} ${call.path}`, outcome, (e) => e.error);
  }

  /**
   * Every item of a paged list. Page 1 says how many pages there are; the rest are fetched in
   * parallel, since a slot search over many clinics can span several pages and the deadline is short.
   */
  async function readAll<T extends z.ZodType>(
    path: string,
    item: T,
    query: Record<string, string | undefined>,
    budget: RequestBudget,
  ): Promise<z.output<T>[]> {
    const schema = pageSchema(item);
    const pages = await numberedPages({
      fetchPage: (page) =>
        read({ method: 'GET', path, query: { ...query, page, pageSize }, schema, budget }),
      pageCount: (first) => first.totalPages,
      pageNumber: (page) => page.page,
      maxPages,
      label: `Cliniq GET ${path}`,
    });
    return pages.flatMap((page) => page.data);
  }

  return {
    /** `GET /clinics`, every page. */
    listClinics(budget: RequestBudget): Promise<VendorClinic[]> {
      return readAll('/clinics', clinicSchema, {}, budget);
    },

    /** `GET /services`, every page. */
    listServices(budget: RequestBudget): Promise<VendorService[]> {
      return readAll('/services', serviceSchema, {}, budget);
    },

    /** `GET /slots`, every page: free slots ordered by start then id. */
    listSlots(query: VendorSlotQuery, budget: RequestBudget): Promise<VendorSlot[]> {
      return readAll(
        '/slots',
        slotSchema,
        {
          from: query.from,
          to: query.to,
          clinicId: query.clinicIds.length > 0 ? query.clinicIds.join(',') : undefined,
          serviceCode: query.serviceCode,
          practitionerId: query.practitionerId,
        },
        budget,
      );
    },

    /** `GET /slots/{id}`: the slot with its status; 404 when unknown. */
    getSlot(slotId: string, budget: RequestBudget): Promise<VendorOutcome<VendorSlotState>> {
      const params = { id: slotId };
      return send({ method: 'GET', path: '/slots/{id}', params, schema: slotStateSchema, budget });
    },

    /** The booking made under `externalRef`, if any. */
    async findBooking(externalRef: string, budget: RequestBudget): Promise<VendorBooking | null> {
      const list = await read({
        method: 'GET',
        path: '/bookings',
        query: { externalRef },
        schema: bookingListSchema,
        budget,
      });
      return list.data[0] ?? null;
    },

    /** The latest hold made under `externalRef`, if any. */
    async findHold(externalRef: string, budget: RequestBudget): Promise<VendorHold | null> {
      const list = await read({
        method: 'GET',
        path: '/holds',
        query: { externalRef },
        schema: holdListSchema,
        budget,
      });
      return list.data[0] ?? null;
    },

    /** `GET /holds/{id}`; 404 when unknown. */
    getHold(holdId: string, budget: RequestBudget): Promise<VendorOutcome<VendorHold>> {
      const params = { id: holdId };
      return send({ method: 'GET', path: '/holds/{id}', params, schema: holdSchema, budget });
    },

    /** `GET /bookings/{id}`; 404 when unknown. */
    getBooking(bookingId: string, budget: RequestBudget): Promise<VendorOutcome<VendorBooking>> {
      return send({
        method: 'GET',
        path: '/bookings/{id}',
        params: { id: bookingId },
        schema: bookingSchema,
        budget,
      });
    },

    /** `POST /holds`: 201 new, 200 the same hold again for a repeated `externalRef`. */
    createHold(
      body: { slotId: string; externalRef: string },
      budget: RequestBudget,
    ): Promise<VendorOutcome<VendorHold>> {
      return send({ method: 'POST', path: '/holds', body, schema: holdSchema, budget });
    },

    /** `POST /holds/{id}/confirm`: 201 new booking, 200 when already confirmed. */
    confirmHold(
      holdId: string,
      body: { patient: VendorPatient; note?: string | undefined },
      budget: RequestBudget,
    ): Promise<VendorOutcome<VendorBooking>> {
      return send({
        method: 'POST',
        path: '/holds/{id}/confirm',
        params: { id: holdId },
        body,
        schema: bookingSchema,
        budget,
      });
    },

    /** `DELETE /holds/{id}`: 204, also when already released or expired. */
    releaseHold(holdId: string, budget: RequestBudget): Promise<VendorOutcome<undefined>> {
      const params = { id: holdId };
      return send({ method: 'DELETE', path: '/holds/{id}', params, schema: z.undefined(), budget });
    },

    /** `POST /bookings`: 201 new, 200 the same booking again for a repeated `externalRef`. */
    createBooking(
      body: {
        slotId: string;
        externalRef: string;
        patient: VendorPatient;
        note?: string | undefined;
      },
      budget: RequestBudget,
    ): Promise<VendorOutcome<VendorBooking>> {
      return send({ method: 'POST', path: '/bookings', body, schema: bookingSchema, budget });
    },

    /** `DELETE /bookings/{id}`: 200 with status `cancelled`, also on a repeat. */
    cancelBooking(bookingId: string, budget: RequestBudget): Promise<VendorOutcome<VendorBooking>> {
      return send({
        method: 'DELETE',
        path: '/bookings/{id}',
        params: { id: bookingId },
        schema: bookingSchema,
        budget,
      });
    },
  };
}
