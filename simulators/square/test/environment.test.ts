import { ConfigurationError } from '@booking/simulator-kit';
import { describe, expect, it } from 'vitest';
import { createClock, parseEnvironment } from '../src/environment.js';

describe('parseEnvironment', () => {
  it('has defaults for every variable, port 4105', () => {
    expect(parseEnvironment({})).toEqual({
      PORT: 4105,
      HOST: '127.0.0.1',
      SQUARE_SEED: 1,
      SQUARE_BOOKED_SHARE: 0.25,
      SQUARE_RATE_LIMIT_PER_SECOND: 50,
      SQUARE_LATENCY_MS: 0,
      SQUARE_RESPONSE_DELAY_MS: 0,
      SQUARE_FAULT_RATE: 0,
      SQUARE_NOW: undefined,
    });
  });

  it('reports every invalid variable at once', () => {
    try {
      parseEnvironment({ PORT: 'x', SQUARE_BOOKED_SHARE: '2', SQUARE_NOW: '2026-03-29 09:00' });
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
