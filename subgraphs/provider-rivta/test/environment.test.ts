import { ConfigurationError } from '@booking/server-kit';
import { describe, expect, it } from 'vitest';
import { developmentUnits, loadEnvironment } from '../src/environment.js';

describe('provider-rivta environment', () => {
  it('defaults to the simulator’s units and platform outside production', () => {
    const environment = loadEnvironment({});
    expect(environment).toMatchObject({
      port: 4012,
      baseUrl: 'http://127.0.0.1:4103/vp',
      searchSubjectOfCare: '191212121212',
      catalogueTtlMs: 60_000,
    });
    expect(environment.units.map((u) => u.unit)).toEqual(developmentUnits.map((u) => u.unit));
  });

  it('reads units from RIVTA_UNITS', () => {
    const environment = loadEnvironment({
      RIVTA_BASE_URL: 'https://ntjp.example/vp',
      RIVTA_UNITS: JSON.stringify([
        {
          unit: 'nord',
          name: 'Nord',
          logicalAddress: 'SE1',
          timeTypes: { NYB: 'general-practitioner' },
        },
      ]),
    });
    expect(environment.units).toEqual([
      {
        unit: 'nord',
        name: 'Nord',
        logicalAddress: 'SE1',
        timeTypes: { NYB: 'general-practitioner' },
      },
    ]);
  });

  it('requires units and base URL in production, and reports every problem at once', () => {
    try {
      loadEnvironment({
        NODE_ENV: 'production',
        RIVTA_SEARCH_SUBJECT_OF_CARE: '191212121213',
        RIVTA_UNITS: JSON.stringify([
          { unit: 'Nord', name: 'Nord', logicalAddress: 'SE1', timeTypes: { A: 'x' } },
        ]),
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      const problems = (error as ConfigurationError).problems.join('\n');
      expect(problems).toMatch(/RIVTA_BASE_URL: required in production/);
      expect(problems).toMatch(/RIVTA_SEARCH_SUBJECT_OF_CARE/);
      expect(problems).toMatch(/RIVTA_UNITS\.0\.unit/);
      expect(problems).toMatch(/not a catalogue treatment id/);
      // The offending identity number is not echoed.
      expect(problems).not.toContain('191212121213');
    }
  });

  it('refuses duplicate units and invalid JSON', () => {
    const unit = { unit: 'a', name: 'A', logicalAddress: 'SE1' };
    expect(() => loadEnvironment({ RIVTA_UNITS: JSON.stringify([unit, unit]) })).toThrow(
      /duplicate unit/,
    );
    expect(() => loadEnvironment({ RIVTA_UNITS: '[' })).toThrow(/not valid JSON/);
  });
});
