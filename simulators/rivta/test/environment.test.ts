import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  parseEnvironment,
  standardsDirFromEnvironment,
} from '../src/environment.js';

describe('simulator environment', () => {
  it('has defaults for everything, the standards beside the repository', () => {
    const environment = parseEnvironment({});
    expect(environment).toMatchObject({
      PORT: 4103,
      HOST: '127.0.0.1',
      RIVTA_DAYS_AHEAD: 28,
      RIVTA_CANCEL_CUTOFF_MINUTES: 60,
      RIVTA_BOOKING_LEAD_MINUTES: 120,
    });
    expect(environment.standardsDir).toMatch(/shared\/standards\/riv-crm-scheduling-1\.1\/$/);
  });

  it('takes the standards folder from RIVTA_STANDARDS_DIR', () => {
    expect(standardsDirFromEnvironment({ RIVTA_STANDARDS_DIR: '/opt/riv' })).toBe('/opt/riv');
  });

  it('reports every invalid variable at once', () => {
    try {
      parseEnvironment({ PORT: 'x', RIVTA_FAULT_RATE: '2' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).problems).toHaveLength(2);
    }
  });
});
