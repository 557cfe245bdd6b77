import { ServerError, ServerParseError } from '@apollo/client/errors';
import { ApolloLink } from '@apollo/client/link';
import { Observable } from '@apollo/client/utilities';
import type { Subscription } from 'rxjs';
import { BookingApiError } from '../BookingApiError.js';
import {
  isRepeatable,
  isRetryableStatus,
  nextAttemptDelayMs,
  type RetryPolicy,
  retryAfterMs,
  stillRunningMs,
} from '../retryPolicy.js';
import { isNetworkFailure } from './networkFailures.js';

/** Whether an attempt's outcome is worth repeating, and the wait the server asked for. */
type Verdict = { repeat: false } | { repeat: true; serverWaitMs: number | undefined };

const final: Verdict = { repeat: false };

/** An HTTP answer whose status says "try again" (429, 5xx), with its `Retry-After`. */
function byStatus(response: { status: number; headers: Headers } | undefined): Verdict {
  if (!response || !isRetryableStatus(response.status)) return final;
  return {
    repeat: true,
    serverWaitMs: retryAfterMs(response.status, response.headers.get('retry-after')),
  };
}

function verdictOfError(error: unknown): Verdict {
  if (ServerError.is(error) || ServerParseError.is(error)) return byStatus(error.response);
  return isNetworkFailure(error) ? { repeat: true, serverWaitMs: undefined } : final;
}

function verdictOfResult(operation: ApolloLink.Operation, data: unknown): Verdict {
  // The gateway answers its errors as `application/graphql-response+json` with their HTTP status
  // (503, 429, …), which Apollo hands on as a result: the status is in the context's response.
  const status = byStatus(operation.getContext().response as Response | undefined);
  if (status.repeat) return status;
  // An earlier call with the idempotency key is still running: ask again when it says.
  const pendingMs = operation.operationType === 'mutation' ? stillRunningMs(data) : undefined;
  return pendingMs === undefined ? final : { repeat: true, serverWaitMs: pendingMs };
}

/**
 * Repeats what the backend client repeats, by the same rules (`retryPolicy.ts`): a request that
 * got no answer, a 429 or 5xx answer (after its `Retry-After`), and a mutation whose earlier call
 * is still running; queries always, mutations only with an `input.idempotencyKey`, sent again
 * unchanged. Every attempt goes down the rest of the chain again, so the links after this one (the
 * token) run per attempt. A request that never got an answer ends as a {@link BookingApiError}
 * `NETWORK_ERROR` counting the attempts; every other outcome passes through as Apollo made it.
 */
export function createRetryLink(policy: RetryPolicy): ApolloLink {
  return new ApolloLink((operation, forward) => {
    if (operation.operationType === 'subscription') return forward(operation);
    const allowed = isRepeatable(operation.operationType, operation.variables)
      ? policy.attempts
      : 1;
    return new Observable<ApolloLink.Result>((observer) => {
      let attempt = 0;
      let current: Subscription | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;

      const send = () => {
        attempt += 1;
        let repeating = false;
        /** Schedules the next attempt when the verdict and the policy allow one. */
        const repeated = (verdict: Verdict): boolean => {
          if (!verdict.repeat) return false;
          const wait = nextAttemptDelayMs(policy, attempt, allowed, verdict.serverWaitMs);
          if (wait === undefined) return false;
          repeating = true;
          current?.unsubscribe();
          timer = setTimeout(send, wait);
          return true;
        };
        current = forward(operation).subscribe({
          next(result) {
            if (repeating || repeated(verdictOfResult(operation, result.data))) return;
            observer.next(result);
          },
          error(error: unknown) {
            if (repeated(verdictOfError(error))) return;
            observer.error(
              isNetworkFailure(error)
                ? new BookingApiError({
                    code: 'NETWORK_ERROR',
                    message: `${operation.operationName ?? 'the operation'}: ${error.message}`,
                    operationName: operation.operationName ?? '',
                    attempts: attempt,
                    cause: error,
                  })
                : error,
            );
          },
          complete() {
            if (!repeating) observer.complete();
          },
        });
        // An attempt that answered synchronously may have scheduled the next one already.
        if (repeating) current.unsubscribe();
      };

      send();
      return () => {
        clearTimeout(timer);
        current?.unsubscribe();
      };
    });
  });
}
