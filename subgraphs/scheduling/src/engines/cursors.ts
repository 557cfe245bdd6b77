import { createHmac, timingSafeEqual } from 'node:crypto';
import { invalidInput } from '../errors.js';

/** A sort key of one item, compared element by element. */
export type SortKey = readonly (string | number)[];

/** Keyset cursors of one query: made for its items, accepted only back from the same query. */
export interface Cursors {
  encode(key: SortKey): string;
  /** The sort key in `cursor`; a typed `field` error for anything this query did not make. */
  decode(cursor: string, field?: string): SortKey;
}

const macBytes = 16;

/** JSON with object keys sorted, so that one query spelled two ways has one scope. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Tamper-evident keyset cursors: base64url of the item's sort key, a dot, and a MAC over the key
 * and the query's `scope` (its name and arguments other than `first` and `after`). A changed
 * digit, a cursor of another filter or of another list is refused as `InvalidInput` instead of
 * silently paging somewhere else. `secret` is shared by every instance, so a cursor made by one
 * is accepted by another.
 */
export function createCursorSealer(secret: string | Buffer) {
  return (scope: unknown): Cursors => {
    const bound = canonicalJson(scope);
    const macOf = (payload: string) =>
      createHmac('sha256', secret)
        .update(bound)
        .update('\u0000')
        .update(payload)
        .digest()
        .subarray(0, macBytes);
    return {
      encode(key) {
        const payload = Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
        return `${payload}.${macOf(payload).toString('base64url')}`;
      },
      decode(cursor, field = 'after') {
        const [payload = '', mac = '', ...rest] = cursor.split('.');
        const given = Buffer.from(mac, 'base64url');
        if (
          rest.length === 0 &&
          given.length === macBytes &&
          timingSafeEqual(given, macOf(payload))
        ) {
          const key: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
          if (
            Array.isArray(key) &&
            key.every((k) => typeof k === 'string' || typeof k === 'number')
          ) {
            return key;
          }
        }
        throw invalidInput(field, 'is not a cursor this query returned');
      },
    };
  };
}

export type CursorSealer = ReturnType<typeof createCursorSealer>;
