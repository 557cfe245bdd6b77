import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The header Square signs event notifications in. */
export const signatureHeader = 'x-square-hmacsha256-signature';

const base64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Whether a notification carries Square's signature: base64 HMAC-SHA256, keyed with the
 * subscription's signature key, over the exact notification URL the subscription was made with
 * followed by the raw body. Compared in constant time; a missing, repeated or malformed header is
 * simply not valid.
 * @link https://developer.squareup.com/docs/webhooks/step3validate
 */
export function verifySquareSignature(
  headers: IncomingHttpHeaders,
  body: Buffer,
  notificationUrl: string,
  signatureKey: string,
): boolean {
  const header = headers[signatureHeader];
  if (typeof header !== 'string' || !base64.test(header)) return false;
  const given = Buffer.from(header, 'base64');
  const expected = createHmac('sha256', signatureKey)
    .update(Buffer.concat([Buffer.from(notificationUrl, 'utf8'), body]))
    .digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
