import { ConfigurationError } from '@booking/simulator-kit';
import { describe, expect, it } from 'vitest';
import { parseEnvironment } from '../src/environment.js';

describe('parseEnvironment', () => {
  it('defaults to port 4102, no latency or faults, each location’s own horizon, pages of at most 200, no token', () => {
    const environment = parseEnvironment({});
    expect(environment).toEqual({
      PORT: 4102,
      HOST: '127.0.0.1',
      FHIR_LATENCY_MS: 0,
      FHIR_RESPONSE_DELAY_MS: 0,
      FHIR_FAULT_RATE: 0,
      FHIR_SEED: 1,
      FHIR_MAX_PAGE_SIZE: 200,
    });
    expect(environment.FHIR_DAYS_AHEAD).toBeUndefined();
  });

  it('reads FHIR_DAYS_AHEAD as an override of 0..365 days, empty meaning unset', () => {
    expect(parseEnvironment({ FHIR_DAYS_AHEAD: '' }).FHIR_DAYS_AHEAD).toBeUndefined();
    expect(parseEnvironment({ FHIR_DAYS_AHEAD: '0' }).FHIR_DAYS_AHEAD).toBe(0);
    expect(parseEnvironment({ FHIR_DAYS_AHEAD: '365' }).FHIR_DAYS_AHEAD).toBe(365);
    for (const invalid of ['366', '-1', '2.5', 'soon']) {
      expect(() => parseEnvironment({ FHIR_DAYS_AHEAD: invalid })).toThrow(ConfigurationError);
    }
  });

  it('treats empty variables as unset and reads the knobs', () => {
    const environment = parseEnvironment({
      PORT: '',
      FHIR_FAULT_RATE: '0.25',
      FHIR_ACCESS_TOKEN: 'a-long-token',
    });
    expect(environment.PORT).toBe(4102);
    expect(environment.FHIR_FAULT_RATE).toBe(0.25);
    expect(environment.FHIR_ACCESS_TOKEN).toBe('a-long-token');
  });

  it('reports every problem at once, never the token', () => {
    let error: unknown;
    try {
      parseEnvironment({ PORT: 'x', FHIR_FAULT_RATE: '2', FHIR_ACCESS_TOKEN: 'short' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const problems = (error as ConfigurationError).problems;
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).not.toContain('short');
  });
});
