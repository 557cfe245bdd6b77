import { describe, expect, it } from 'vitest';
import { signNotification } from '../src/webhooks/signNotification.js';
import { expectedSignature } from './startReceiver.js';

describe('signNotification', () => {
  const url = 'https://platform.example/push/square-sodermalm';
  const body = '{"merchant_id":"MLRORELSEFYS01","type":"booking.updated"}';

  it('is base64 HMAC-SHA256 with the signature key over the notification URL then the body', async () => {
    const signature = signNotification('1k9bIJKCeTmSQwyagtNRLg', url, body);
    expect(signature).toBe(await expectedSignature('1k9bIJKCeTmSQwyagtNRLg', url, body));
    expect(Buffer.from(signature, 'base64')).toHaveLength(32);
  });

  it('changes with the key, the URL and every byte of the body', () => {
    const signature = signNotification('key', url, body);
    expect(signNotification('key2', url, body)).not.toBe(signature);
    expect(signNotification('key', `${url}/`, body)).not.toBe(signature);
    expect(signNotification('key', url, body.replace('updated', 'created'))).not.toBe(signature);
    expect(signNotification('key', url, `${body} `)).not.toBe(signature);
  });
});
