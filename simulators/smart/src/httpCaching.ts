import { createHash } from 'node:crypto';

/** A strong ETag for a body: the same bytes always get the same tag, across restarts too. */
export function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;
}

/**
 * Whether `If-None-Match` matches `etag` (RFC 9110 §13.1.2: weak comparison, `*` matches any
 * current representation, a list matches if any member does).
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || opaque(tag) === opaque(etag));
}

/**
 * Whether `If-Modified-Since` says the client's copy is current (RFC 9110 §13.1.3). Only used
 * without `If-None-Match`, which takes precedence. HTTP dates have whole seconds.
 */
export function notModifiedSince(header: string | undefined, lastModifiedMs: number): boolean {
  if (header === undefined) return false;
  const since = Date.parse(header);
  return !Number.isNaN(since) && Math.floor(lastModifiedMs / 1000) * 1000 <= since;
}
