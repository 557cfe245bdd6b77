import { ConfigurationError } from '@booking/simulator-kit';
import { expect, it } from 'vitest';
import { parseEnvironment } from '../src/environment.js';

it('falls back to the documented defaults, also for empty variables', () => {
  expect(parseEnvironment({ PORT: '', SMART_STANDARDS_DIR: '', SMART_DAYS_AHEAD: '' })).toEqual({
    PORT: 4104,
    HOST: '127.0.0.1',
    SMART_LATENCY_MS: 0,
    SMART_FAULT_RATE: 0,
    SMART_MAX_AGE_SECONDS: 60,
  });
});

it('reads SMART_DAYS_AHEAD as an override of 0..365 days', () => {
  expect(parseEnvironment({ SMART_DAYS_AHEAD: '0' }).SMART_DAYS_AHEAD).toBe(0);
  expect(parseEnvironment({ SMART_DAYS_AHEAD: '365' }).SMART_DAYS_AHEAD).toBe(365);
  for (const value of ['366', '-1', '1.5', 'month']) {
    expect(() => parseEnvironment({ SMART_DAYS_AHEAD: value }), value).toThrow(ConfigurationError);
  }
});

it('reads the variables into a frozen object', () => {
  const environment = parseEnvironment({
    PORT: '5000',
    SMART_FAULT_RATE: '0.25',
    SMART_MAX_AGE_SECONDS: '300',
    SMART_STANDARDS_DIR: '/srv/standards/smart-scheduling-links',
    SMART_PUBLIC_URL: 'https://smart.example.se',
  });
  expect(environment).toMatchObject({
    PORT: 5000,
    SMART_FAULT_RATE: 0.25,
    SMART_MAX_AGE_SECONDS: 300,
    SMART_STANDARDS_DIR: '/srv/standards/smart-scheduling-links',
    SMART_PUBLIC_URL: 'https://smart.example.se',
  });
  expect(Object.isFrozen(environment)).toBe(true);
});

it('reports every problem at once', () => {
  try {
    parseEnvironment({ PORT: 'x', SMART_FAULT_RATE: '2', SMART_PUBLIC_URL: 'ftp://x' });
    expect.unreachable();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).problems).toHaveLength(3);
  }
});
