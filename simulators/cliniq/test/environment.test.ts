import { ConfigurationError } from '@booking/simulator-kit';
import { expect, it } from 'vitest';
import { parseEnvironment } from '../src/environment.js';

it('falls back to the documented defaults, also for empty variables', () => {
  expect(parseEnvironment({ PORT: '' })).toEqual({
    PORT: 4101,
    HOST: '127.0.0.1',
    CLINIQ_LATENCY_MS: 0,
    CLINIQ_RESPONSE_DELAY_MS: 0,
    CLINIQ_FAULT_RATE: 0,
    CLINIQ_RATE_LIMIT_PER_SECOND: 50,
    CLINIQ_HOLD_TTL_SECONDS: 300,
    CLINIQ_DAYS_AHEAD: undefined,
  });
});

it('reads the variables as numbers into a frozen object', () => {
  const environment = parseEnvironment({
    PORT: '5000',
    CLINIQ_FAULT_RATE: '0.25',
    CLINIQ_RESPONSE_DELAY_MS: '750',
    HOST: '0.0.0.0',
  });
  expect(environment).toMatchObject({
    PORT: 5000,
    CLINIQ_FAULT_RATE: 0.25,
    CLINIQ_RESPONSE_DELAY_MS: 750,
    HOST: '0.0.0.0',
  });
  expect(Object.isFrozen(environment)).toBe(true);
});

it('reports every problem at once', () => {
  let caught: unknown;
  try {
    parseEnvironment({ PORT: 'abc', CLINIQ_FAULT_RATE: '2', CLINIQ_DAYS_AHEAD: '-1' });
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
