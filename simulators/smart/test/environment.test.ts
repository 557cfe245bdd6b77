import { ConfigurationError } from '@booking/server-kit';
import { expect, it } from 'vitest';
import { readEnvironment } from '../src/environment.js';

it('falls back to the documented defaults, also for empty variables', () => {
  expect(readEnvironment({ PORT: '', SMART_STANDARDS_DIR: '', SMART_DAYS_AHEAD: '' })).toEqual({
    port: 4104,
    host: '127.0.0.1',
    control: { latencyMs: 0, faultRate: 0 },
    publication: { maxAgeSeconds: 60 },
  });
});

it('reads SMART_DAYS_AHEAD as an override of 0..365 days', () => {
  expect(readEnvironment({ SMART_DAYS_AHEAD: '0' }).publication.daysAhead).toBe(0);
  expect(readEnvironment({ SMART_DAYS_AHEAD: '365' }).publication.daysAhead).toBe(365);
  for (const value of ['366', '-1', '1.5', 'month']) {
    expect(() => readEnvironment({ SMART_DAYS_AHEAD: value }), value).toThrow(ConfigurationError);
  }
});

it('reads the variables into a frozen object', () => {
  const config = readEnvironment({
    PORT: '5000',
    SMART_FAULT_RATE: '0.25',
    SMART_MAX_AGE_SECONDS: '300',
    SMART_STANDARDS_DIR: '/srv/standards/smart-scheduling-links',
    SMART_PUBLIC_URL: 'https://smart.example.se',
  });
  expect(config).toMatchObject({
    port: 5000,
    control: { faultRate: 0.25 },
    publication: {
      maxAgeSeconds: 300,
      standardsDir: '/srv/standards/smart-scheduling-links',
      publicUrl: 'https://smart.example.se',
    },
  });
  expect(Object.isFrozen(config)).toBe(true);
  expect(Object.isFrozen(config.publication)).toBe(true);
});

it('reports every problem at once', () => {
  try {
    readEnvironment({ PORT: 'x', SMART_FAULT_RATE: '2', SMART_PUBLIC_URL: 'ftp://x' });
    expect.unreachable();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).problems).toHaveLength(3);
  }
});
