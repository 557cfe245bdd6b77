import { createHmac, timingSafeEqual } from 'node:crypto';

/** How vendors write an HMAC, each with its strict shape: anything else is no signature. */
const encodings = {
  hex: /^(?:[0-9a-fA-F]{2})+$/,
  base64: /^[A-Za-z0-9+/]+={0,2}$/,
} as const;

/** A push's HMAC signature and the vendor's recipe for it. */
export interface HmacSignatureCheck {
  /**
   * The signature the push carries, as its header gives it (or the part of the header that holds
   * it, e.g. Stripe's `v1=`). Missing or repeated (an array) is never valid.
   */
  readonly signature: string | readonly string[] | undefined;
  /**
   * The endpoint's signing secrets, any of which may have signed: normally one; more while a
   * secret is being rolled, or when the vendor holds several subscriptions for the endpoint. None:
   * nothing is valid.
   */
  readonly keys: readonly (string | Buffer)[];
  /**
   * What the vendor signs, in this order and nothing between: `[notificationUrl, body]` (Square),
   * `[timestamp, '.', body]` (Stripe), `[body]` (Cal.com). The body as received, byte for byte.
   */
  readonly signed: readonly (string | Buffer)[];
  /** The HMAC's hash. Default: `sha256`. */
  readonly algorithm?: 'sha1' | 'sha256' | 'sha512';
  /** How the signature is written. Default: `hex`. */
  readonly encoding?: keyof typeof encodings;
}

/**
 * Whether a push carries the vendor's HMAC over what it signs, keyed with one of the endpoint's
 * secrets. Compared in constant time (only the length, which is no secret, is compared first).
 */
export function verifyHmacSignature(check: HmacSignatureCheck): boolean {
  const { signature, encoding = 'hex' } = check;
  if (typeof signature !== 'string' || !encodings[encoding].test(signature)) return false;
  const given = Buffer.from(signature, encoding);
  return check.keys.some((key) => {
    const hmac = createHmac(check.algorithm ?? 'sha256', key);
    for (const part of check.signed) hmac.update(part);
    const expected = hmac.digest();
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
