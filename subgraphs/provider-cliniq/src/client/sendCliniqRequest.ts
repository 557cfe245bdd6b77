import { setTimeout as sleep } from 'node:timers/promises';
import {
  connectionFailure as classifyConnectionFailure,
  ProviderError,
  ProviderErrorCode,
  type RequestBudget,
} from '@booking/provider-kit';
import { type Dispatcher, request } from 'undici';
import type { z } from 'zod';
import { errorSchema, type VendorError } from './schemas.js';

/** Cliniq answers that are expected failures of one call, handed to the adapter to translate. */
export const expectedFailureStatuses = [400, 404, 409, 410, 422] as const;
export type ExpectedFailureStatus = (typeof expectedFailureStatuses)[number];

/** A call's result: the validated body, or an expected vendor failure (never a thrown error). */
export type VendorOutcome<T> =
  | { ok: true; status: number; value: T }
  | { ok: false; status: ExpectedFailureStatus; error: VendorError };

/** Where and how to reach one tenant. */
export interface CliniqEndpoint {
  /** The tenant's API root, e.g. `http://127.0.0.1:4101/t/nordklinik/api/v1`. */
  readonly baseUrl: string;
  /** Sent as `X-Api-Key`. */
  readonly apiKey: string;
  /** The tenant's keep-alive connection pool. */
  readonly dispatcher: Dispatcher;
  /** Epoch ms; compared with a budget's `deadlineAt`. Default: `Date.now`. */
  readonly now?: () => number;
}

export interface CliniqRequest<T> {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below the tenant's API root, with a leading slash and ids already encoded. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Schema of a 200/201 body; omitted for 204 answers. */
  schema?: z.ZodType<T>;
  budget: RequestBudget;
}

/** A wait before the single retry of a read must leave this much of the deadline for the retry. */
const retryHeadroomMs = 100;

/**
 * `Retry-After` as whole seconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); `undefined`
 * when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number,
): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function describeIssues(error: z.ZodError): string {
  // Paths and rules only: never the values, which could be anything the vendor sent.
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

function connectionFailure(error: unknown, call: CliniqRequest<unknown>, what: string): unknown {
  return classifyConnectionFailure(error, {
    signal: call.budget.signal,
    isWrite: call.method !== 'GET',
    label: `Cliniq ${what}`,
  });
}

async function readJson(
  body: Dispatcher.ResponseData['body'],
  call: CliniqRequest<unknown>,
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
    throw new ProviderError(ProviderErrorCode.BadResponse, `Cliniq ${what}: body is not JSON`, {
      cause,
    });
  }
}

/**
 * Sends one request to a Cliniq tenant and classifies the answer. Successes are validated against
 * `schema`; 400/404/409/410/422 come back as typed failures; everything else throws a
 * `ProviderError`. A rate-limited read is retried once when the `Retry-After` wait fits in the
 * budget; writes are never retried here (the caller owns their idempotency and reconciliation).
 */
export async function sendCliniqRequest<T>(
  endpoint: CliniqEndpoint,
  call: CliniqRequest<T>,
): Promise<VendorOutcome<T>> {
  const now = endpoint.now ?? Date.now;
  const isRead = call.method === 'GET';
  const what = `${call.method} ${call.path.split('?')[0]}`;
  const url = new URL(`${endpoint.baseUrl.replace(/\/+$/, '')}${call.path}`);
  for (const [key, value] of Object.entries(call.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }

  for (let attempt = 1; ; attempt += 1) {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        dispatcher: endpoint.dispatcher,
        method: call.method,
        signal: call.budget.signal,
        headers: {
          accept: 'application/json',
          'x-api-key': endpoint.apiKey,
          ...(call.body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(call.body !== undefined && { body: JSON.stringify(call.body) }),
      });
    } catch (error) {
      throw connectionFailure(error, call, what);
    }

    const { statusCode: status, headers, body } = response;
    if (status === 204) {
      await body.dump();
      return { ok: true, status, value: undefined as T };
    }
    if (status >= 200 && status < 300) {
      const json = await readJson(body, call, what);
      if (!call.schema) return { ok: true, status, value: json as T };
      const parsed = call.schema.safeParse(json);
      if (!parsed.success) {
        throw new ProviderError(
          ProviderErrorCode.BadResponse,
          `Cliniq ${what}: unexpected body (${describeIssues(parsed.error)})`,
          { status },
        );
      }
      return { ok: true, status, value: parsed.data };
    }
    if ((expectedFailureStatuses as readonly number[]).includes(status)) {
      const parsed = errorSchema.safeParse(await readJson(body, call, what));
      if (!parsed.success) {
        throw new ProviderError(
          ProviderErrorCode.BadResponse,
          `Cliniq ${what}: unexpected error body for ${status} (${describeIssues(parsed.error)})`,
          { status },
        );
      }
      return { ok: false, status: status as ExpectedFailureStatus, error: parsed.data };
    }
    await body.dump();
    if (status === 429) {
      const retryAfterSeconds = parseRetryAfter(headers['retry-after'], now());
      const waitMs = (retryAfterSeconds ?? 1) * 1000;
      if (isRead && attempt === 1 && now() + waitMs + retryHeadroomMs <= call.budget.deadlineAt) {
        await sleep(waitMs, undefined, { signal: call.budget.signal });
        continue;
      }
      throw new ProviderError(ProviderErrorCode.Unavailable, `Cliniq ${what}: rate limited`, {
        status,
        ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
      });
    }
    if (status === 401 || status === 403) {
      // A configuration problem (wrong key), but to the caller it is a provider refusing calls.
      throw new ProviderError(ProviderErrorCode.Unavailable, `Cliniq ${what}: API key rejected`, {
        status,
      });
    }
    if (status >= 500) {
      throw new ProviderError(ProviderErrorCode.Unavailable, `Cliniq ${what}: answered ${status}`, {
        status,
      });
    }
    throw new ProviderError(
      ProviderErrorCode.Internal,
      `Cliniq ${what}: unexpected status ${status}`,
      { status },
    );
  }
}
