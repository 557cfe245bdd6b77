import { ConfigurationError } from '@booking/server-kit';
import { describe, expect, it } from 'vitest';
import { readEnvironment } from '../src/environment.js';

describe('readEnvironment', () => {
  it('defaults to port 4102, no latency or faults, each location’s own horizon, pages of at most 200, no token, 5 notification tries', () => {
    const config = readEnvironment({});
    expect(config).toEqual({
      port: 4102,
      host: '127.0.0.1',
      control: { latencyMs: 0, responseDelayMs: 0, faultRate: 0 },
      slots: { seed: 1 },
      api: { maxPageSize: 200 },
      subscriptionDelivery: { attempts: 5, retryMs: 200, timeoutMs: 5000 },
    });
    expect(config.slots.daysAhead).toBeUndefined();
    expect(config.api.accessToken).toBeUndefined();
  });

  it('reads FHIR_DAYS_AHEAD as an override of 0..365 days, empty meaning unset', () => {
    expect(readEnvironment({ FHIR_DAYS_AHEAD: '' }).slots.daysAhead).toBeUndefined();
    expect(readEnvironment({ FHIR_DAYS_AHEAD: '0' }).slots.daysAhead).toBe(0);
    expect(readEnvironment({ FHIR_DAYS_AHEAD: '365' }).slots.daysAhead).toBe(365);
    for (const invalid of ['366', '-1', '2.5', 'soon']) {
      expect(() => readEnvironment({ FHIR_DAYS_AHEAD: invalid })).toThrow(ConfigurationError);
    }
  });

  it('treats empty variables as unset and reads the knobs', () => {
    const config = readEnvironment({
      PORT: '',
      FHIR_FAULT_RATE: '0.25',
      FHIR_ACCESS_TOKEN: 'a-long-token',
    });
    expect(config.port).toBe(4102);
    expect(config.control.faultRate).toBe(0.25);
    expect(config.api.accessToken).toBe('a-long-token');
  });

  it('reports every problem at once, never the token', () => {
    let error: unknown;
    try {
      readEnvironment({ PORT: 'x', FHIR_FAULT_RATE: '2', FHIR_ACCESS_TOKEN: 'short' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const problems = (error as ConfigurationError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).not.toContain('short');
  });

  it('reads the Subscription delivery knobs and refuses ones out of range', () => {
    const config = readEnvironment({
      FHIR_SUBSCRIPTION_ATTEMPTS: '3',
      FHIR_SUBSCRIPTION_RETRY_MS: '50',
      FHIR_SUBSCRIPTION_TIMEOUT_MS: '1000',
    });
    expect(config.subscriptionDelivery).toEqual({ attempts: 3, retryMs: 50, timeoutMs: 1000 });
    expect(() => readEnvironment({ FHIR_SUBSCRIPTION_ATTEMPTS: '0' })).toThrow(ConfigurationError);
    expect(() => readEnvironment({ FHIR_SUBSCRIPTION_TIMEOUT_MS: '10' })).toThrow(
      ConfigurationError,
    );
  });
});
