import { expect, it } from 'vitest';
import { createRateLimiter } from '../src/createRateLimiter.js';

it('allows a burst of one second, then refills at the rate, per key', () => {
  let now = 0;
  const limiter = createRateLimiter({ perSecond: () => 3, now: () => now });
  const takes = () => limiter.take('a');
  expect([takes(), takes(), takes()].every((d) => d.ok)).toBe(true);
  expect(takes()).toEqual({ ok: false, retryAfterSeconds: 1 });
  expect(limiter.take('b').ok).toBe(true);
  now = 400;
  expect(takes().ok).toBe(true);
  expect(takes().ok).toBe(false);
});

it('asks a slow key to wait whole seconds', () => {
  let now = 0;
  const limiter = createRateLimiter({ perSecond: () => 0.25, now: () => now });
  now = 4000;
  expect(limiter.take('a').ok).toBe(false);
  const limiterWithToken = createRateLimiter({ perSecond: () => 1, now: () => now });
  expect(limiterWithToken.take('a').ok).toBe(true);
  expect(limiterWithToken.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
});
