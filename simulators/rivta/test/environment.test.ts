import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '@booking/simulator-kit';
import { describe, expect, it } from 'vitest';
import { parseEnvironment, standardsDirFromEnvironment } from '../src/environment.js';

describe('simulator environment', () => {
  it("has defaults for everything, the standards in the repository's standards/", () => {
    const environment = parseEnvironment({});
    expect(environment).toMatchObject({
      PORT: 4103,
      HOST: '127.0.0.1',
      RIVTA_CANCEL_CUTOFF_MINUTES: 60,
      RIVTA_BOOKING_LEAD_MINUTES: 120,
    });
    expect(environment.RIVTA_DAYS_AHEAD).toBeUndefined();
    const repository = fileURLToPath(new URL('../../../', import.meta.url));
    expect(environment.standardsDir).toBe(join(repository, 'standards/riv-crm-scheduling-1.1/'));
    expect(existsSync(join(environment.standardsDir, 'core_components'))).toBe(true);
  });

  it('takes RIVTA_DAYS_AHEAD as an override of every facility’s horizon, empty as unset', () => {
    expect(() => parseEnvironment({ RIVTA_DAYS_AHEAD: '400' })).toThrow(ConfigurationError);
    expect(parseEnvironment({ RIVTA_DAYS_AHEAD: '14' }).RIVTA_DAYS_AHEAD).toBe(14);
    expect(parseEnvironment({ RIVTA_DAYS_AHEAD: '' }).RIVTA_DAYS_AHEAD).toBeUndefined();
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
