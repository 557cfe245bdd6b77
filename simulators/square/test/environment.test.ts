import { ConfigurationError } from '@booking/server-kit';
import { describe, expect, it } from 'vitest';
import { createClock, readEnvironment } from '../src/environment.js';

describe('readEnvironment', () => {
  it('has defaults for every variable, port 4105', () => {
    expect(readEnvironment({})).toEqual({
      port: 4105,
      host: '127.0.0.1',
      control: { latencyMs: 0, responseDelayMs: 0, faultRate: 0, rateLimitPerSecond: 50 },
      sellers: { seed: 1, bookedShare: 0.25 },
      webhooks: { attempts: 5, retryDelayMs: 1000, timeoutMs: 10_000 },
      now: undefined,
    });
  });

  it('reports every invalid variable at once', () => {
    try {
      readEnvironment({ PORT: 'x', SQUARE_BOOKED_SHARE: '2', SQUARE_NOW: '2026-03-29 09:00' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      const problems = (error as ConfigurationError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/SQUARE_BOOKED_SHARE/);
      expect(problems).toMatch(/SQUARE_NOW/);
    }
  });
});

describe('createClock', () => {
  it('starts at SQUARE_NOW and runs on with real time', () => {
    let real = 1_000_000;
    const clock = createClock('2026-03-29T00:30:00Z', () => real);
    expect(clock().toISOString()).toBe('2026-03-29T00:30:00.000Z');
    real += 90_000;
    expect(clock().toISOString()).toBe('2026-03-29T00:31:30.000Z');
  });

  it('is the real clock when SQUARE_NOW is unset', () => {
    expect(createClock(undefined, () => 42)().getTime()).toBe(42);
  });
});
