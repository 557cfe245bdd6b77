import { fingerprint, type SellerStore } from './createSellerStore.js';
import { type Answer, invalid } from './errors.js';

/**
 * Runs a write once per idempotency key: a repeat with the same body answers what the first
 * call answered (and does nothing), a repeat with a different body is `IDEMPOTENCY_KEY_REUSED`.
 * Only successes are kept, so a refused request can be retried with its key.
 */
export function idempotent(
  store: SellerStore,
  operation: string,
  key: string | undefined,
  body: unknown,
  perform: () => Answer,
): Answer {
  if (key === undefined) return perform();
  const kept = store.recall(operation, key);
  if (kept) {
    if (kept.fingerprint !== fingerprint(body)) {
      throw invalid(
        'IDEMPOTENCY_KEY_REUSED',
        'The idempotency key has already been used with a different request.',
        'idempotency_key',
      );
    }
    return kept.answer;
  }
  const answer = perform();
  if (answer.status < 300) store.remember(operation, key, body, answer);
  return answer;
}
