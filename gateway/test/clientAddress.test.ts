import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress } from '../src/auth/clientAddress.js';

const request = (forwardedFor?: string | string[]) =>
  ({
    socket: { remoteAddress: '10.0.0.7' },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  }) as unknown as IncomingMessage;

describe('clientAddress', () => {
  it('is the socket address when no proxy is trusted, whatever X-Forwarded-For claims', () => {
    expect(clientAddress(request('203.0.113.9'), 0)).toBe('10.0.0.7');
  });

  it('behind one load balancer, is the entry it appended, not what the client wrote', () => {
    expect(clientAddress(request('203.0.113.9'), 1)).toBe('203.0.113.9');
    expect(clientAddress(request('1.2.3.4, 203.0.113.9'), 1)).toBe('203.0.113.9');
    expect(clientAddress(request(['1.2.3.4', ' 203.0.113.9 ']), 1)).toBe('203.0.113.9');
  });

  it('behind two proxies, is the entry the outer one appended', () => {
    expect(clientAddress(request('1.2.3.4, 203.0.113.9, 10.0.0.2'), 2)).toBe('203.0.113.9');
  });

  it('is the socket address when the request did not pass through every trusted proxy', () => {
    expect(clientAddress(request(), 1)).toBe('10.0.0.7');
    expect(clientAddress(request('203.0.113.9'), 2)).toBe('10.0.0.7');
  });
});
