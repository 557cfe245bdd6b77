import { ConfigurationError } from '@booking/server-kit';
import { expect, it } from 'vitest';
import { readEnvironment } from '../src/environment.js';

it('falls back to the documented defaults, also for empty variables', () => {
  expect(readEnvironment({ PORT: '' })).toEqual({
    port: 4101,
    host: '127.0.0.1',
    control: { latencyMs: 0, responseDelayMs: 0, faultRate: 0, rateLimitPerSecond: 50 },
    bookings: { holdTtlSeconds: 300, daysAhead: undefined },
  });
});

it('reads the variables as numbers into a frozen object', () => {
  const config = readEnvironment({
    PORT: '5000',
    CLINIQ_FAULT_RATE: '0.25',
    CLINIQ_RESPONSE_DELAY_MS: '750',
    HOST: '0.0.0.0',
  });
  expect(config).toMatchObject({
    port: 5000,
    host: '0.0.0.0',
    control: { faultRate: 0.25, responseDelayMs: 750 },
  });
  expect(Object.isFrozen(config)).toBe(true);
  expect(Object.isFrozen(config.control)).toBe(true);
});

it('reports every problem at once', () => {
  let caught: unknown;
  try {
    readEnvironment({ PORT: 'abc', CLINIQ_FAULT_RATE: '2', CLINIQ_DAYS_AHEAD: '-1' });
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigurationError);
  const problems = (caught as ConfigurationError).problems;
  expect(problems.map((p) => p.split(':')[0])).toEqual([
    'PORT',
    'CLINIQ_FAULT_RATE',
    'CLINIQ_DAYS_AHEAD',
  ]);
});
