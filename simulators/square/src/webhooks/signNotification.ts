import { createHmac } from 'node:crypto';

/** The header Square signs every event notification in. */
export const signatureHeader = 'x-square-hmacsha256-signature';

/**
 * Square's signature of an event notification: HMAC-SHA256 keyed with the subscription's
 * `signature_key`, over the notification URL followed by the raw body, base64-encoded.
 * @link https://developer.squareup.com/docs/webhooks/step3validate
 */
export function signNotification(signatureKey: string, notificationUrl: string, body: string) {
  return createHmac('sha256', signatureKey)
    .update(notificationUrl + body)
    .digest('base64');
}
