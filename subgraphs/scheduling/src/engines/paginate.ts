import { invalidInput } from '../errors.js';
import type { Cursors, SortKey } from './cursors.js';

/** Page size bounds shared by every connection in the public API. */
export const pageSize = { default: 50, max: 200 } as const;

/** Validates `first` against the shared bounds and applies the default. */
export function resolvePageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return pageSize.default;
  if (!Number.isInteger(first) || first < 1 || first > pageSize.max) {
    throw invalidInput('first', `must be an integer from 1 to ${pageSize.max}`);
  }
  return first;
}

/** Compares two strings of a sort key; the default orders by code unit (stable, locale-free). */
export type StringOrder = (a: string, b: string) => number;

const byCodeUnit: StringOrder = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** Orders sort keys element by element: numbers numerically, strings by `strings`. */
export function compareKeys(a: SortKey, b: SortKey, strings: StringOrder = byCodeUnit): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'string' && typeof y === 'string') {
      const order = strings(x, y);
      if (order !== 0) return order;
      continue;
    }
    return x < y ? -1 : 1;
  }
  return 0;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** Which page: its size, the cursor it follows, and the cursors of the query asking. */
export interface PageRequest {
  first: number;
  after: string | null | undefined;
  cursors: Cursors;
}

/**
 * One page of `items` (already sorted by `keyOf` under `strings`) after the keyset cursor `after`.
 * Items are found by key, not position, so a page is right even when items before it came or went.
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => SortKey,
  { first, after, cursors }: PageRequest,
  strings: StringOrder = byCodeUnit,
): Page<T> {
  let start = 0;
  if (after) {
    const afterKey = cursors.decode(after);
    // Binary search for the first item whose key is greater than the cursor's.
    let low = 0;
    let high = items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareKeys(keyOf(items[mid] as T), afterKey, strings) <= 0) low = mid + 1;
      else high = mid;
    }
    start = low;
  }
  const slice = items.slice(start, start + first);
  return pageOf(slice, keyOf, {
    hasNextPage: start + first < items.length,
    totalCount: () => items.length,
    cursors,
  });
}

/** What `pageOf` needs besides the page's items. */
export interface PageFacts {
  hasNextPage: boolean;
  /** Counted only when read (a client selecting `totalCount`). */
  totalCount: () => number;
  cursors: Cursors;
}

/** A page of `slice` (already the page's items, in order) with its cursors. */
export function pageOf<T>(
  slice: readonly T[],
  keyOf: (item: T) => SortKey,
  { hasNextPage, totalCount, cursors }: PageFacts,
): Page<T> {
  // An edge's cursor is signed only when a client selects it (a few µs each; most clients read
  // only `pageInfo.endCursor`).
  const edges = slice.map((node) => ({
    node,
    get cursor() {
      return cursors.encode(keyOf(node));
    },
  }));
  const last = slice.at(-1);
  let counted: number | undefined;
  return {
    edges,
    pageInfo: {
      hasNextPage,
      endCursor: last === undefined ? null : cursors.encode(keyOf(last)),
    },
    get totalCount() {
      counted ??= totalCount();
      return counted;
    },
  };
}
