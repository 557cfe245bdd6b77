import {
  connectionFailure as classifyConnectionFailure,
  ProviderError,
  ProviderErrorCode,
} from '@booking/provider-kit';
import { type Dispatcher, request } from 'undici';
import type { z } from 'zod';
import { type FhirOperationOutcome, operationOutcomeSchema } from './schemas.js';

/** What one outgoing call may still spend: its abort signal and when that fires at the latest. */
export interface RequestBudget {
  readonly signal: AbortSignal;
  /** Epoch ms by which `signal` fires at the latest. */
  readonly deadlineAt: number;
}

/** FHIR answers that are expected failures of one call, handed to the adapter to translate. */
export const expectedFailureStatuses = [400, 404, 409, 410, 412, 422] as const;
export type ExpectedFailureStatus = (typeof expectedFailureStatuses)[number];

/** A call's result: the validated body, or an expected failure with its OperationOutcome. */
export type FhirOutcome<T> =
  | { ok: true; status: number; value: T }
  | { ok: false; status: ExpectedFailureStatus; outcome: FhirOperationOutcome };

/** Where and how to reach one FHIR server. */
export interface FhirEndpoint {
  /** The FHIR base URL, e.g. `http://127.0.0.1:4102/fhir/R4`. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer …` when set. A secret: never logged. */
  readonly accessToken?: string | undefined;
  /** The connection's keep-alive pool. */
  readonly dispatcher: Dispatcher;
}

export interface FhirRequest<T> {
  method: 'GET' | 'POST' | 'PUT';
  /** Below the base URL without leading slash, ids already encoded: `Slot/abc`, `Slot`, `` (transactions). */
  path: string;
  query?: URLSearchParams | undefined;
  body?: unknown;
  /** Extra headers, e.g. `if-match`. */
  headers?: Record<string, string>;
  /** Schema of a 2xx body. */
  schema: z.ZodType<T>;
  budget: RequestBudget;
}

function describeIssues(error: z.ZodError): string {
  // Paths and rules only: never the values, which may be patient data.
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

function connectionFailure(error: unknown, call: FhirRequest<unknown>, what: string): unknown {
  return classifyConnectionFailure(error, {
    signal: call.budget.signal,
    isWrite: call.method !== 'GET',
    label: `FHIR ${what}`,
  });
}

async function readJson(
  body: Dispatcher.ResponseData['body'],
  call: FhirRequest<unknown>,
  what: string,
): Promise<unknown> {
  let text: string;
  try {
    text = await body.text();
  } catch (error) {
    throw connectionFailure(error, call, what);
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ProviderError(ProviderErrorCode.BadResponse, `FHIR ${what}: body is not JSON`, {
      cause,
    });
  }
}

/** The path of `call` as logged: resource type and interaction, never ids or search values. */
function describe(call: FhirRequest<unknown>): string {
  const [type, id] = call.path.split('/');
  if (!type) return `${call.method} (transaction)`;
  return `${call.method} ${type}${id ? '/{id}' : ''}`;
}

/**
 * Sends one FHIR REST request as `application/fhir+json` and classifies the answer. A 2xx body is
 * validated against `schema`; 400, 404, 409, 410, 412 and 422 come back as typed failures with
 * their OperationOutcome; 401/403, 429 and 5xx are PROVIDER_UNAVAILABLE; anything else throws.
 * Nothing is retried here: the adapter owns retries, idempotency and reconciliation.
 */
export async function sendFhirRequest<T>(
  endpoint: FhirEndpoint,
  call: FhirRequest<T>,
): Promise<FhirOutcome<T>> {
  const what = describe(call);
  const search = call.query?.toString() ?? '';
  // A transaction goes to the base itself: `POST [base]`, no trailing slash.
  const base = endpoint.baseUrl.replace(/\/+$/, '');
  const url = `${call.path ? `${base}/${call.path}` : base}${search ? `?${search}` : ''}`;
  let response: Dispatcher.ResponseData;
  try {
    response = await request(url, {
      dispatcher: endpoint.dispatcher,
      method: call.method,
      signal: call.budget.signal,
      headers: {
        accept: 'application/fhir+json',
        ...(endpoint.accessToken && { authorization: `Bearer ${endpoint.accessToken}` }),
        ...(call.body !== undefined && { 'content-type': 'application/fhir+json' }),
        ...call.headers,
      },
      ...(call.body !== undefined && { body: JSON.stringify(call.body) }),
    });
  } catch (error) {
    throw connectionFailure(error, call, what);
  }

  const { statusCode: status, headers, body } = response;
  if (status >= 200 && status < 300) {
    const parsed = call.schema.safeParse(await readJson(body, call, what));
    if (!parsed.success) {
      throw new ProviderError(
        ProviderErrorCode.BadResponse,
        `FHIR ${what}: unexpected body (${describeIssues(parsed.error)})`,
        { status },
      );
    }
    return { ok: true, status, value: parsed.data };
  }
  if ((expectedFailureStatuses as readonly number[]).includes(status)) {
    const parsed = operationOutcomeSchema.safeParse(await readJson(body, call, what));
    if (!parsed.success) {
      throw new ProviderError(
        ProviderErrorCode.BadResponse,
        `FHIR ${what}: ${status} without an OperationOutcome (${describeIssues(parsed.error)})`,
        { status },
      );
    }
    return { ok: false, status: status as ExpectedFailureStatus, outcome: parsed.data };
  }
  await body.dump();
  if (status === 401 || status === 403) {
    // A configuration problem (token), but to the caller it is a provider refusing calls.
    throw new ProviderError(ProviderErrorCode.Unavailable, `FHIR ${what}: access refused`, {
      status,
    });
  }
  if (status === 429 || status >= 500) {
    const retryAfter = Number(headers['retry-after']);
    throw new ProviderError(ProviderErrorCode.Unavailable, `FHIR ${what}: answered ${status}`, {
      status,
      ...(Number.isInteger(retryAfter) && retryAfter >= 0 && { retryAfterSeconds: retryAfter }),
    });
  }
  throw new ProviderError(ProviderErrorCode.Internal, `FHIR ${what}: unexpected status ${status}`, {
    status,
  });
}
