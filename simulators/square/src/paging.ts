import { invalid } from './errors.js';

/**
 * Square's cursors are opaque strings; this one carries the offset into the result list. An
 * unreadable cursor is `INVALID_CURSOR`, as Square answers for a cursor it did not issue.
 */
export function page<T>(items: readonly T[], cursor: string | null | undefined, limit: number) {
  let offset = 0;
  if (cursor) {
    try {
      const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
        o?: unknown;
      };
      if (typeof decoded.o !== 'number' || !Number.isInteger(decoded.o) || decoded.o < 0)
        throw new Error();
      offset = decoded.o;
    } catch {
      throw invalid('INVALID_CURSOR', 'The pagination cursor is invalid.', 'cursor');
    }
  }
  const next = offset + limit;
  return {
    items: items.slice(offset, next),
    cursor:
      next < items.length
        ? Buffer.from(JSON.stringify({ o: next })).toString('base64url')
        : undefined,
  };
}
