import type { SellerStore } from './createSellerStore.js';
import type { Answer } from './errors.js';

/** One request to the seller's API, after authentication. */
export interface ApiRequest {
  query: URLSearchParams;
  /** The parsed JSON body, `undefined` when there was none. */
  body: unknown;
  /** Path parameters in order, e.g. `[booking_id]`. */
  params: readonly string[];
}

/** A Square endpoint: answers, or throws a `SquareFailure`. Synchronous on purpose (atomic writes). */
export type Operation = (store: SellerStore, request: ApiRequest) => Answer;

export const ok = (body: unknown): Answer => ({ status: 200, body });
