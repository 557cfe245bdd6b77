import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '@booking/server-kit';
import { describe, expect, it } from 'vitest';
import { readEnvironment, standardsDirFromEnvironment } from '../src/environment.js';

describe('simulator environment', () => {
  it("has defaults for everything, the standards in the repository's standards/", () => {
    const config = readEnvironment({});
    expect(config).toMatchObject({
      port: 4103,
      host: '127.0.0.1',
      timeslots: { cancelCutoffMinutes: 60, bookingLeadMinutes: 120 },
    });
    expect(config.timeslots.daysAhead).toBeUndefined();
    const repository = fileURLToPath(new URL('../../../', import.meta.url));
    expect(config.standardsDir).toBe(join(repository, 'standards/riv-crm-scheduling-1.1/'));
    expect(existsSync(join(config.standardsDir, 'core_components'))).toBe(true);
  });

  it('takes RIVTA_DAYS_AHEAD as an override of every facility’s horizon, empty as unset', () => {
    expect(() => readEnvironment({ RIVTA_DAYS_AHEAD: '400' })).toThrow(ConfigurationError);
    expect(readEnvironment({ RIVTA_DAYS_AHEAD: '14' }).timeslots.daysAhead).toBe(14);
    expect(readEnvironment({ RIVTA_DAYS_AHEAD: '' }).timeslots.daysAhead).toBeUndefined();
  });

  it('takes the standards folder from RIVTA_STANDARDS_DIR', () => {
    expect(standardsDirFromEnvironment({ RIVTA_STANDARDS_DIR: '/opt/riv' })).toBe('/opt/riv');
    expect(readEnvironment({ RIVTA_STANDARDS_DIR: '/opt/riv' }).standardsDir).toBe('/opt/riv');
  });

  it('reports every invalid variable at once', () => {
    try {
      readEnvironment({ PORT: 'x', RIVTA_FAULT_RATE: '2' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as ConfigurationError).problems).toHaveLength(2);
    }
  });
});
