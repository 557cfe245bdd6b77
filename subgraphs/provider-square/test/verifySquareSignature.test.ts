import { createHmac } from 'node:crypto';
import { signNotification } from '@booking/simulator-square';
import { describe, expect, it } from 'vitest';
import { verifySquareSignature } from '../src/push/verifySquareSignature.js';

const url = 'https://booking.example/push/square-sodermalm';
const key = '1k9bIJKCeTmSQwyagtNRLg';
const body = Buffer.from('{"event_id":"e1","type":"booking.updated"}');
const headers = (signature: string | string[] | undefined) =>
  signature === undefined ? {} : { 'x-square-hmacsha256-signature': signature };

describe('verifySquareSignature', () => {
  it('accepts the signature Square (the simulator) makes over the notification URL and the body', () => {
    const signature = signNotification(key, url, body.toString());
    expect(verifySquareSignature(headers(signature), body, url, key)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['a repeated header', ['a', 'b']],
    ['not base64', '!!!'],
    ['a short signature', Buffer.alloc(16).toString('base64')],
    [
      'another key',
      createHmac('sha256', 'other')
        .update(url + body)
        .digest('base64'),
    ],
    ['another URL', createHmac('sha256', key).update(`${url}/`).update(body).digest('base64')],
    ['the body alone', createHmac('sha256', key).update(body).digest('base64')],
    ['hex, not base64', createHmac('sha256', key).update(url).update(body).digest('hex')],
  ])('refuses %s', (_case, signature) => {
    expect(verifySquareSignature(headers(signature), body, url, key)).toBe(false);
  });

  it('refuses a body changed by one byte', () => {
    const signature = signNotification(key, url, body.toString());
    const changed = Buffer.from(body);
    changed[changed.length - 2] = 0x21;
    expect(verifySquareSignature(headers(signature), changed, url, key)).toBe(false);
  });
});
