import type { z } from 'zod';
import { describeIssues } from '../rest/describeIssues.js';

/** An id that is not one this codec made: malformed, or of another provider. */
export class InvalidIdError extends Error {
  constructor(
    /** What the id was meant to be, e.g. `RIV-TA slot id`. */
    readonly label: string,
    /** Why it is not one: counts, paths and rules, never the id or its parts. */
    readonly reason: string,
  ) {
    super(`${label}: ${reason}`);
    this.name = 'InvalidIdError';
  }
}

/** A decoded id, or why it is not one: a bad id is an expected outcome, not an exception. */
export type IdDecoding<K> = { ok: true; value: K } | { ok: false; error: InvalidIdError };

/** Ids made of typed parts, for vendors whose slots or bookings have no single id of their own. */
export interface IdCodec<K> {
  encode(key: K): string;
  decode(id: string): IdDecoding<K>;
}

/** The parts of a key, each a string or absent. */
type Parts<F extends string> = { [P in F]?: string | undefined };

export interface IdCodecOptions<F extends string, K extends Parts<F>> {
  /** Names the id in errors, e.g. `RIV-TA slot id`. */
  readonly label: string;
  /** The parts, in the order they stand in the id. */
  readonly fields: readonly F[];
  /**
   * The rules of the parts, checked when decoding; an absent part is decoded as `undefined`.
   * Its messages must not quote values (zod's own never do).
   */
  readonly schema: z.ZodType<K, Parts<F>>;
}

const separator = '|';

/**
 * An id codec: each part URI-encoded (so a separator inside a part survives), absent parts empty,
 * joined by `|`. The format is the one RIV-TA slot ids have always had, and it must stay stable:
 * the scheduling ledger keeps the slot id of every reservation. Decoding checks the number of
 * parts, their encoding and `schema`, and names what failed without echoing the id.
 */
export function createIdCodec<F extends string, K extends Parts<F>>(
  options: IdCodecOptions<F, K>,
): IdCodec<K> {
  const { label, fields, schema } = options;
  const invalid = (reason: string): IdDecoding<K> => ({
    ok: false,
    error: new InvalidIdError(label, reason),
  });
  return {
    encode(key) {
      return fields.map((field) => encodeURIComponent(key[field] ?? '')).join(separator);
    },
    decode(id) {
      const raw = id.split(separator);
      if (raw.length !== fields.length) {
        return invalid(`${raw.length} parts, not ${fields.length}`);
      }
      const parts: Parts<F> = {};
      for (const [index, field] of fields.entries()) {
        let value: string;
        try {
          value = decodeURIComponent(raw[index] ?? '');
        } catch {
          return invalid(`${field}: not URI-encoded`);
        }
        parts[field] = value === '' ? undefined : value;
      }
      const parsed = schema.safeParse(parts);
      return parsed.success
        ? { ok: true, value: parsed.data }
        : invalid(describeIssues(parsed.error));
    },
  };
}
