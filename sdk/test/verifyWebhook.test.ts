import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookSignatureError } from '../src/verifyWebhook.js';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const body = JSON.stringify({
  type: 'reservation.cancelled',
  timestamp: '2026-12-06T10:00:00.000Z',
  data: { id: 'evt', status: 'CANCELLED', source: 'PROVIDER' },
});
const signed = (at = new Date(), payload = body) => ({
  'webhook-id': 'evt',
  'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
  'webhook-signature': new Webhook(secret).sign('evt', at, payload),
});

describe('verifyWebhook', () => {
  it('answers the content of a webhook signed with the endpoint secret', () => {
    expect(verifyWebhook(body, signed(), secret)).toMatchObject({
      type: 'reservation.cancelled',
      data: { source: 'PROVIDER' },
    });
    expect(verifyWebhook(Buffer.from(body), new Headers(signed()), secret).data.id).toBe('evt');
  });

  it('refuses an altered body, another secret, a missing signature and a replay of an old one', () => {
    const headers = signed();
    expect(() => verifyWebhook(body.replace('CANCELLED', 'CONFIRMED'), headers, secret)).toThrow(
      WebhookSignatureError,
    );
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    expect(() => verifyWebhook(body, headers, other)).toThrow(WebhookSignatureError);
    expect(() =>
      verifyWebhook(body, { ...headers, 'webhook-signature': undefined }, secret),
    ).toThrow(WebhookSignatureError);
    const anHourAgo = new Date(Date.now() - 3600_000);
    expect(() => verifyWebhook(body, signed(anHourAgo), secret)).toThrow(/too old/i);
  });
});
