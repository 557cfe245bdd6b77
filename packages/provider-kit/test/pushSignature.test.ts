import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyHmacSignature } from '../src/index.js';

const key = 'whsec_1k9bIJKCeTmSQwyagtNRLg';
const url = 'https://booking.example/push/acme-north';
const body = Buffer.from('{"id":"evt_1","type":"booking.updated"}');
const hmac = (algorithm: string, ...parts: (string | Buffer)[]) => {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
};

describe('verifyHmacSignature', () => {
  it.each([
    [
      'Square: base64 over the notification URL and the body',
      hmac('sha256', url, body).toString('base64'),
      { signed: [url, body], encoding: 'base64' as const },
    ],
    [
      'Stripe: hex over the timestamp, a dot and the body',
      hmac('sha256', '1774425600.', body).toString('hex'),
      { signed: ['1774425600', '.', body] },
    ],
    [
      'Cal.com: hex over the body, in capitals too',
      hmac('sha256', body).toString('hex').toUpperCase(),
      { signed: [body] },
    ],
    [
      'another hash',
      hmac('sha512', body).toString('hex'),
      { signed: [body], algorithm: 'sha512' as const },
    ],
  ])('accepts the signature of %s', (_case, signature, recipe) => {
    expect(verifyHmacSignature({ signature, keys: [key], ...recipe })).toBe(true);
  });

  const base64 = hmac('sha256', url, body).toString('base64');
  it.each([
    ['none', undefined],
    ['an empty one', ''],
    ['a repeated header', [base64, base64]],
    ['one that is not base64', '!!!'],
    ['a truncated one', base64.slice(0, 20)],
    ['one of another key', createHmac('sha256', 'other').update(url).update(body).digest('base64')],
    ['one of another URL', hmac('sha256', `${url}/`, body).toString('base64')],
    ['one of the body alone', hmac('sha256', body).toString('base64')],
    ['the right one in hex', hmac('sha256', url, body).toString('hex')],
  ])('refuses %s', (_case, signature) => {
    expect(
      verifyHmacSignature({ signature, keys: [key], signed: [url, body], encoding: 'base64' }),
    ).toBe(false);
  });

  it('refuses a body changed by one byte, and hex that is not whole bytes', () => {
    const changed = Buffer.from(body);
    changed[3] = 0x21;
    const signature = hmac('sha256', body).toString('hex');
    expect(verifyHmacSignature({ signature, keys: [key], signed: [changed] })).toBe(false);
    expect(verifyHmacSignature({ signature: `${signature}0`, keys: [key], signed: [body] })).toBe(
      false,
    );
  });

  it('accepts a signature made with any of the secrets, and none without a secret', () => {
    const signature = hmac('sha256', body).toString('hex');
    expect(verifyHmacSignature({ signature, keys: ['old-secret', key], signed: [body] })).toBe(
      true,
    );
    expect(verifyHmacSignature({ signature, keys: ['old-secret'], signed: [body] })).toBe(false);
    expect(verifyHmacSignature({ signature, keys: [], signed: [body] })).toBe(false);
  });
});
