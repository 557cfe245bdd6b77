import { setTimeout as sleep } from 'node:timers/promises';
import { type Dispatcher, request } from 'undici';
import { connectionFailure, ProviderError, ProviderErrorCode } from '../errors.js';
import { parseRetryAfter } from './parseRetryAfter.js';
import type { RequestBudget } from './requestBudget.js';

/** One HTTP exchange with a vendor, whatever its body format (JSON, XML, …). */
export interface HttpRequest {
  /** Names the call in errors, e.g. `Cliniq GET /slots/{id}`: never an id or patient data. */
  readonly what: string;
  readonly url: string;
  readonly method: string;
  /** The connection's keep-alive pool; closed by its owner, not here. */
  readonly dispatcher: Dispatcher;
  readonly headers: Readonly<Record<string, string>>;
  /** Sent as it is. Default: no body. */
  readonly body?: string | undefined;
  /** A write is never retried, and its lost answer is PROVIDER_TIMEOUT: it may have been done. */
  readonly isWrite: boolean;
  readonly budget: RequestBudget;
  /**
   * Statuses besides 2xx whose body the caller reads (a vendor's error body, a SOAP fault).
   * Default: none.
   */
  readonly answered?: readonly number[] | undefined;
  /** A response declaring more bytes is PROVIDER_BAD_RESPONSE, unread. Default: no limit. */
  readonly maxResponseBytes?: number | undefined;
  /** Epoch ms, for Retry-After arithmetic against the budget's `deadlineAt`. Default: `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/** A status the caller reads, with the response's headers and text. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Dispatcher.ResponseData['headers'];
  readonly text: string;
}

/** A wait before the single retry of a read must leave this much of the deadline for the retry. */
const retryHeadroomMs = 100;
/** The wait before retrying a 429 that gave no usable `Retry-After`. */
const defaultRetryAfterSeconds = 1;

/**
 * Sends one request and classifies every status the caller does not read (`statusFailure`); no
 * answer at all is the kit's `connectionFailure`. A rate-limited read is
 * retried once when the `Retry-After` wait (1 s when absent) still fits before the deadline.
 * 2xx and the `answered` statuses come back with their text, for the caller's own body format.
 */
export async function sendHttpRequest(call: HttpRequest): Promise<HttpAnswer> {
  const now = call.now ?? Date.now;
  const { what, budget } = call;
  const failed = (error: unknown) =>
    connectionFailure(error, { signal: budget.signal, isWrite: call.isWrite, label: what });

  for (let attempt = 1; ; attempt += 1) {
    let response: Dispatcher.ResponseData;
    try {
      response = await request(call.url, {
        dispatcher: call.dispatcher,
        method: call.method as Dispatcher.HttpMethod,
        signal: budget.signal,
        headers: call.headers,
        ...(call.body !== undefined && { body: call.body }),
      });
    } catch (error) {
      throw failed(error);
    }

    const { statusCode: status, headers, body } = response;
    if ((status >= 200 && status < 300) || call.answered?.includes(status)) {
      const declared = Number(headers['content-length'] ?? 0);
      if (call.maxResponseBytes !== undefined && declared > call.maxResponseBytes) {
        await body.dump();
        throw new ProviderError(
          ProviderErrorCode.BadResponse,
          `${what}: response of ${declared} bytes`,
          { status },
        );
      }
      try {
        return { status, headers, text: await body.text() };
      } catch (error) {
        throw failed(error);
      }
    }
    await body.dump();
    const retryAfterSeconds = parseRetryAfter(headers['retry-after'], now());
    if (status === 429) {
      const waitMs = (retryAfterSeconds ?? defaultRetryAfterSeconds) * 1000;
      if (!call.isWrite && attempt === 1 && now() + waitMs + retryHeadroomMs <= budget.deadlineAt) {
        await sleep(waitMs, undefined, { signal: budget.signal });
        continue;
      }
    }
    throw statusFailure(what, status, retryAfterSeconds);
  }
}

/**
 * What a status nobody expected says about the provider: rate limited, refusing the platform's
 * credentials or failing is PROVIDER_UNAVAILABLE (with its `Retry-After`); any other 4xx is the
 * provider refusing this request (PROVIDER_REFUSED: it is up, and did nothing); anything else
 * PROVIDER_INTERNAL.
 */
export function statusFailure(
  what: string,
  status: number,
  retryAfterSeconds?: number,
): ProviderError {
  const retry = retryAfterSeconds !== undefined ? { retryAfterSeconds } : {};
  if (status === 429) {
    return new ProviderError(ProviderErrorCode.Unavailable, `${what}: rate limited`, {
      status,
      ...retry,
    });
  }
  if (status === 401 || status === 403) {
    return new ProviderError(ProviderErrorCode.Unavailable, `${what}: credentials refused`, {
      status,
    });
  }
  if (status >= 500) {
    return new ProviderError(ProviderErrorCode.Unavailable, `${what}: answered ${status}`, {
      status,
      ...retry,
    });
  }
  if (status >= 400) {
    // E.g. a malformed or oversized id: the provider is not unwell.
    return new ProviderError(ProviderErrorCode.Refused, `${what}: refused with ${status}`, {
      status,
    });
  }
  return new ProviderError(ProviderErrorCode.Internal, `${what}: unexpected status ${status}`, {
    status,
  });
}
