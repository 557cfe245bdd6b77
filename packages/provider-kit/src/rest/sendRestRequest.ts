import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { ProviderError, ProviderErrorCode } from '../errors.js';
import { describeIssues } from './describeIssues.js';
import type { RequestBudget } from './requestBudget.js';
import { sendHttpRequest, statusFailure } from './sendHttpRequest.js';

/** How a vendor wants to be authenticated; the secrets in it are never logged. */
export type RestAuth =
  | { readonly scheme: 'none' }
  /** The key in a header of the vendor's choosing, e.g. `X-Api-Key`. */
  | { readonly scheme: 'apiKey'; readonly header: string; readonly key: string }
  /** `Authorization: Bearer <token>`. */
  | { readonly scheme: 'bearer'; readonly token: string }
  /** `Authorization: Basic base64(<username>:<password>)` (RFC 7617). */
  | { readonly scheme: 'basic'; readonly username: string; readonly password: string };

/** Where and how to reach one vendor connection, and how that vendor says "no". */
export interface RestEndpoint<E, S extends number> {
  /** The vendor's name in errors, e.g. `Cliniq`. */
  readonly label: string;
  /** The API root; request paths are appended to it. */
  readonly baseUrl: string;
  /** The connection's keep-alive pool; closed by its owner, not here. */
  readonly dispatcher: Dispatcher;
  /** Default: `{ scheme: 'none' }`. */
  readonly auth?: RestAuth | undefined;
  /** Sent as `accept`, and as `content-type` of a body. Default: `application/json`. */
  readonly mediaType?: string | undefined;
  /**
   * Statuses that are expected failures of one call (a slot taken, a resource gone), with the
   * schema of the vendor's error body: they come back as `{ ok: false }` for the adapter to translate.
   */
  readonly expectedFailures: { readonly statuses: readonly S[]; readonly schema: z.ZodType<E> };
  /** Epoch ms, for Retry-After arithmetic against a budget's `deadlineAt`. Default: `Date.now`. */
  readonly now?: (() => number) | undefined;
}

export type RestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RestRequest<T> {
  readonly method: RestMethod;
  /**
   * Below the API root: `/slots/{id}` or `Slot/{id}`; `''` is the root itself. `{name}`
   * placeholders are filled from `params`, encoded; the template, not the values, names the call in
   * errors, so that no id a vendor or a patient chose ends up in a log.
   */
  readonly path: string;
  /** Values of the path's placeholders. Default: none. */
  readonly params?: Readonly<Record<string, string>> | undefined;
  /** Appended as the query string; `undefined` values are left out. Default: none. */
  readonly query?:
    | URLSearchParams
    | Readonly<Record<string, string | number | undefined>>
    | undefined;
  /** Sent as JSON in the endpoint's media type. Default: no body. */
  readonly body?: unknown;
  /** Extra headers, e.g. `if-match` or `prefer`. Default: none. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Validates a 2xx body; an empty body (204) is validated as `undefined`. */
  readonly schema: z.ZodType<T>;
  readonly budget: RequestBudget;
}

/** A call's result: the validated body, or an expected vendor failure (never a thrown error). */
export type RestOutcome<T, E, S extends number> =
  | { ok: true; status: number; value: T; headers: Dispatcher.ResponseData['headers'] }
  | { ok: false; status: S; error: E };

/**
 * Throws for an expected failure where the caller expected none (a 404 from a list), classified
 * by its status as any unexpected status is (`statusFailure`: a 4xx is the provider refusing the
 * request, not being unwell). `code` picks the vendor's error code from its error body for the
 * message; the rest of the body, which may quote input, is left out.
 */
export function unexpectedOutcome<E>(
  what: string,
  outcome: { ok: true } | { ok: false; status: number; error: E },
  code: (error: E) => string | undefined,
): never {
  if (outcome.ok) throw new Error(`${what}: not a failure`);
  throw new ProviderError(
    statusFailure(what, outcome.status).code,
    `${what}: unexpected ${outcome.status} (${code(outcome.error) || 'no error code'})`,
    { status: outcome.status },
  );
}

function authHeaders(auth: RestAuth | undefined): Record<string, string> {
  switch (auth?.scheme) {
    case 'apiKey':
      return { [auth.header.toLowerCase()]: auth.key };
    case 'bearer':
      return { authorization: `Bearer ${auth.token}` };
    case 'basic':
      return {
        authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`,
      };
    default:
      return {};
  }
}

/** The call's URL: the root without trailing slashes, the filled path, the query. */
export function restUrl(
  baseUrl: string,
  call: Pick<RestRequest<unknown>, 'path' | 'params' | 'query'>,
): string {
  const base = baseUrl.replace(/\/+$/, '');
  const path = call.path.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = call.params?.[name];
    if (value === undefined)
      throw new Error(`restUrl: no value for ${placeholder} in ${call.path}`);
    return encodeURIComponent(value);
  });
  const query =
    call.query instanceof URLSearchParams
      ? new URLSearchParams(call.query)
      : new URLSearchParams(
          Object.entries(call.query ?? {}).flatMap(([key, value]): [string, string][] =>
            value === undefined ? [] : [[key, String(value)]],
          ),
        );
  const search = query.toString();
  const joined = path === '' ? base : `${base}${path.startsWith('/') ? '' : '/'}${path}`;
  return search ? `${joined}?${search}` : joined;
}

/** The body as JSON; an empty body (a 204) is `undefined`. */
function parseJson(text: string, what: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ProviderError(ProviderErrorCode.BadResponse, `${what}: body is not JSON`, { cause });
  }
}

/**
 * Sends one request to a vendor and classifies the answer:
 *
 * - 2xx: the body validated against `schema` (else PROVIDER_BAD_RESPONSE naming paths and rules,
 *   never values);
 * - the endpoint's expected failure statuses: `{ ok: false }` with the validated error body;
 * - 429, 5xx, 401 and 403: PROVIDER_UNAVAILABLE (a rejected credential is a configuration problem,
 *   but to the caller it is a provider refusing calls), with `retryAfterSeconds` from `Retry-After`;
 * - anything else: PROVIDER_INTERNAL; no answer at all: the kit's `connectionFailure`.
 *
 * A rate-limited read (429) is retried once when the `Retry-After` wait (1 s when absent) still
 * fits before the budget's deadline. Writes are never retried here: the caller owns their
 * idempotency and reconciliation.
 */
export async function sendRestRequest<T, E, S extends number>(
  endpoint: RestEndpoint<E, S>,
  call: RestRequest<T>,
): Promise<RestOutcome<T, E, S>> {
  const mediaType = endpoint.mediaType ?? 'application/json';
  const what = `${endpoint.label} ${call.method} ${call.path || '(root)'}`;
  const hasBody = call.body !== undefined;
  const { status, headers, text } = await sendHttpRequest({
    what,
    url: restUrl(endpoint.baseUrl, call),
    method: call.method,
    dispatcher: endpoint.dispatcher,
    headers: {
      accept: mediaType,
      ...authHeaders(endpoint.auth),
      ...(hasBody && { 'content-type': mediaType }),
      ...call.headers,
    },
    body: hasBody ? JSON.stringify(call.body) : undefined,
    isWrite: call.method !== 'GET',
    budget: call.budget,
    answered: endpoint.expectedFailures.statuses,
    now: endpoint.now,
  });
  if (status >= 200 && status < 300) {
    // A 204, or any 2xx without content, is validated as `undefined`.
    const parsed = call.schema.safeParse(parseJson(text, what));
    if (!parsed.success) {
      throw new ProviderError(
        ProviderErrorCode.BadResponse,
        `${what}: unexpected body (${describeIssues(parsed.error)})`,
        { status },
      );
    }
    return { ok: true, status, value: parsed.data, headers };
  }
  const parsed = endpoint.expectedFailures.schema.safeParse(parseJson(text, what));
  if (!parsed.success) {
    throw new ProviderError(
      ProviderErrorCode.BadResponse,
      `${what}: unexpected error body for ${status} (${describeIssues(parsed.error)})`,
      { status },
    );
  }
  return { ok: false, status: status as S, error: parsed.data };
}
