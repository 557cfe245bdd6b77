/** The errors of requests that got no answer, as marked by {@link markingNetworkFailures}. */
const failures = new WeakSet<object>();

/** Whether `error` is a request of the link's `fetch` that got no (complete) answer. */
export function isNetworkFailure(error: unknown): error is Error {
  return typeof error === 'object' && error !== null && failures.has(error);
}

/**
 * `fetch` that reads the whole answer before handing it on and marks what it throws when no
 * complete answer came (refused, reset, DNS, a connection lost mid-answer): only this `fetch` knows
 * for certain that a failure is the network's, and the retry link repeats exactly those. Aborts by
 * the caller (an unsubscribed query) are not marked.
 */
export function markingNetworkFailures(fetchImpl: typeof fetch): typeof fetch {
  return async (input, init) => {
    try {
      const response = await fetchImpl(input, init);
      const body = await response.text();
      return new Response(body === '' ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } catch (thrown) {
      if (init?.signal?.aborted) throw thrown;
      const error =
        typeof thrown === 'object' && thrown !== null
          ? thrown
          : new TypeError(String(thrown), { cause: thrown });
      failures.add(error);
      throw error;
    }
  };
}
