import { describe, expect, it } from 'vitest';
import {
  isRepeatable,
  nextAttemptDelayMs,
  retryAfterMs,
  retryPolicy,
  stillRunningMs,
} from '../src/retryPolicy.js';

describe('retryPolicy', () => {
  it('applies the defaults, and makes one attempt with retry: false', () => {
    expect(retryPolicy(undefined)).toEqual({
      attempts: 3,
      baseDelayMs: 200,
      maxDelayMs: 5000,
      maxRetryAfterMs: 30_000,
    });
    expect(retryPolicy(false).attempts).toBe(1);
    expect(retryPolicy({ attempts: 0 }).attempts).toBe(1);
  });

  it.each([
    [429, '2', 2000],
    [503, '0', 0],
    [503, 'Wed, 21 Oct 2015 07:28:00 GMT', 0],
    [500, '2', undefined],
    [429, null, undefined],
    [429, 'soon', undefined],
  ])('reads the Retry-After of a %i answer %j as %j ms', (status, header, expected) => {
    expect(retryAfterMs(status, header)).toBe(expected);
  });

  it('reads a Retry-After date in the future as the time until it', () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(retryAfterMs(503, inTenSeconds)).toBeGreaterThan(8_000);
  });

  it.each([
    ['query', {}, true],
    ['mutation', { input: { idempotencyKey: 'k' } }, true],
    ['mutation', { input: { slotId: 's' } }, false],
    ['mutation', { id: 'w1' }, false],
    ['subscription', {}, false],
  ])('repeats a %s with %j: %s', (type, variables, expected) => {
    expect(isRepeatable(type, variables)).toBe(expected);
  });

  it('backs off with full jitter below the cap, waits what the server says, and stops when it must', () => {
    const policy = retryPolicy({ baseDelayMs: 100, maxDelayMs: 300, maxRetryAfterMs: 1000 });
    for (let i = 0; i < 50; i++) {
      expect(nextAttemptDelayMs(policy, 1, 5)).toBeLessThanOrEqual(100);
      expect(nextAttemptDelayMs(policy, 4, 5)).toBeLessThanOrEqual(300);
    }
    expect(nextAttemptDelayMs(policy, 1, 5, 800)).toBe(800);
    expect(nextAttemptDelayMs(policy, 1, 5, 1500)).toBeUndefined();
    expect(nextAttemptDelayMs(policy, 5, 5)).toBeUndefined();
  });

  it('tells a mutation whose earlier call with its key is still running from any other result', () => {
    const running = { __typename: 'ProviderUnavailable', message: 'm', retryAfterSeconds: 2 };
    expect(stillRunningMs({ __typename: 'Mutation', holdSlot: running })).toBe(2000);
    expect(stillRunningMs({ holdSlot: { ...running, retryAfterSeconds: null } })).toBeUndefined();
    expect(
      stillRunningMs({ __typename: 'Mutation', holdSlot: { __typename: 'SlotUnavailable' } }),
    ).toBeUndefined();
    expect(stillRunningMs(null)).toBeUndefined();
  });
});
