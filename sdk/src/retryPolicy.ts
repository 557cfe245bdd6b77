/**
 * When a failed call is repeated, and after how long: the rules both transports of the SDK follow,
 * the backend client (`createBookingClient`) and the Apollo link (`createBookingLink`).
 */

/** When and how often a failed call is repeated. */
export interface RetryOptions {
  /** Most HTTP requests per call, the first included. Default: `3`. */
  attempts?: number;
  /**
   * Backoff base: before retry `n` the client waits a random time up to
   * `min(maxDelayMs, baseDelayMs * 2^(n-1))` (full jitter). Default: `200` ms.
   */
  baseDelayMs?: number;
  /** Cap on one backoff wait. Default: `5000` ms. */
  maxDelayMs?: number;
  /**
   * Longest `Retry-After` (of a 429 or 503, or a mutation's `retryAfterSeconds`) the client waits
   * out; a longer one ends the call at once with the server's answer. Default: `30000` ms.
   */
  maxRetryAfterMs?: number;
}

/** {@link RetryOptions} with every default applied. */
export type RetryPolicy = Readonly<Required<RetryOptions>>;

/** The policy of a client's `retry` option: `false` makes exactly one request. */
export function retryPolicy(retry: RetryOptions | false | undefined): RetryPolicy {
  const options = retry === false ? { attempts: 1 } : (retry ?? {});
  return {
    attempts: Math.max(1, options.attempts ?? 3),
    baseDelayMs: options.baseDelayMs ?? 200,
    maxDelayMs: options.maxDelayMs ?? 5000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
  };
}

/** A 4xx other than 429 means the request itself is wrong: repeating it cannot help. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * The `Retry-After` of a 429 or 503 answer in milliseconds (delta-seconds or an HTTP date);
 * undefined for other statuses or without the header.
 */
export function retryAfterMs(status: number, header: string | null): number | undefined {
  if ((status !== 429 && status !== 503) || !header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Whether an operation may be sent again after a failure that may have reached the server. A
 * query may. A mutation may only with an `input.idempotencyKey`: the platform answers a repeat
 * with the first call's outcome, so the repeat cannot book twice.
 */
export function isRepeatable(operationType: string, variables: unknown): boolean {
  if (operationType === 'query') return true;
  const input = (variables as { input?: { idempotencyKey?: unknown } } | null | undefined)?.input;
  return operationType === 'mutation' && typeof input?.idempotencyKey === 'string';
}

/**
 * How long to wait before the next attempt after attempt `attempt` (1-based) failed in a way
 * worth repeating, or undefined when the call ends with this failure: no attempt is left, or the
 * server asked for a longer wait (`serverWaitMs`) than `maxRetryAfterMs`. Without a wait from the
 * server: full-jitter exponential backoff.
 */
export function nextAttemptDelayMs(
  policy: RetryPolicy,
  attempt: number,
  allowedAttempts: number,
  serverWaitMs?: number,
): number | undefined {
  if (attempt >= allowedAttempts) return undefined;
  if (serverWaitMs !== undefined) {
    return serverWaitMs > policy.maxRetryAfterMs ? undefined : serverWaitMs;
  }
  return Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

/**
 * When a mutation's result says an earlier call with its idempotency key is still running
 * (`ProviderUnavailable` with `retryAfterSeconds`): how long to wait before repeating it.
 */
export function stillRunningMs(data: unknown): number | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  // The mutation's one field; the SDK's documents also select the root's `__typename` (first).
  const result = Object.entries(data).find(([field]) => field !== '__typename')?.[1] as
    | { __typename?: unknown; retryAfterSeconds?: unknown }
    | null
    | undefined;
  const seconds = result?.retryAfterSeconds;
  return result?.__typename === 'ProviderUnavailable' && typeof seconds === 'number'
    ? seconds * 1000
    : undefined;
}
