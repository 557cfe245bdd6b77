import { abortable } from '@booking/server-kit';
import { ProviderError, ProviderErrorCode } from '../errors.js';
import type { RequestBudget } from '../rest/requestBudget.js';

/** One connection's catalogue (clinics, services, practitioners: what every call needs). */
export interface CatalogueCache<T> {
  /** The catalogue, from the cache while fresh; one fetch at a time, whoever asks. */
  get(signal: AbortSignal): Promise<T>;
}

export interface CatalogueCacheOptions<T> {
  /** Fetches the catalogue from the vendor, under the fetch's own budget. */
  readonly load: (budget: RequestBudget) => Promise<T>;
  /** How long a fetched catalogue is reused, counted from the start of its fetch; 0 fetches every time. */
  readonly ttlMs: number;
  /** How long one fetch may take, whoever waits for it: the connection's deadline. */
  readonly fetchTimeoutMs: number;
  /** Names the catalogue in the error of a fetch that ran out of time, e.g. `FHIR directory`. */
  readonly label: string;
  /** Epoch ms. Default: `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/**
 * Keeps a connection's catalogue for `ttlMs`: it changes seldom and every search and booking needs
 * it. Concurrent callers share one fetch, which runs under its own deadline rather than the first
 * caller's, so that one impatient caller giving up does not fail the others; each caller still
 * stops waiting at its own signal. A fetch that fails is not kept: the next caller fetches again.
 * A fetch that runs out of time is PROVIDER_TIMEOUT.
 */
export function createCatalogueCache<T>(options: CatalogueCacheOptions<T>): CatalogueCache<T> {
  const { load, ttlMs, fetchTimeoutMs, label, now = Date.now } = options;
  let current: { at: number; value: Promise<T> } | undefined;

  function fetchCatalogue(): Promise<T> {
    const signal = AbortSignal.timeout(fetchTimeoutMs);
    return load({ signal, deadlineAt: now() + fetchTimeoutMs }).catch((error: unknown) => {
      if (!signal.aborted) throw error;
      throw new ProviderError(
        ProviderErrorCode.Timeout,
        `${label}: no answer within ${fetchTimeoutMs} ms`,
        { cause: error },
      );
    });
  }

  return {
    get(signal) {
      if (!current || now() - current.at >= ttlMs) {
        const entry = { at: now(), value: fetchCatalogue() };
        current = entry;
        entry.value.catch(() => {
          if (current === entry) current = undefined;
        });
      }
      return abortable(current.value, signal);
    },
  };
}
