import { ConfigurationError } from '@booking/server-kit';
import { describe, expect, it } from 'vitest';
import { readEnvironment } from '../src/environment.js';

const base = { PROVIDER_SUBGRAPHS: 'provider-cliniq=http://127.0.0.1:4010/graphql' };

/** The problems `readEnvironment` reports for `env`, or none. */
function problems(env: Record<string, string>): readonly string[] {
  try {
    readEnvironment({ ...base, ...env });
    return [];
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
}

describe('scheduling configuration', () => {
  it('reads the reconciler’s settings, with their defaults', () => {
    expect(readEnvironment(base).reconcile).toEqual({
      intervalMs: 5_000,
      afterMs: 10_000,
      maxBackoffMs: 300_000,
      alertAfterMs: 600_000,
    });
  });

  it('refuses a per-connection deadline as long as RECONCILE_AFTER_MS, naming the connection, with every other problem', () => {
    expect(
      problems({
        PROVIDER_DEADLINES: 'cliniq-nordklinik=1500,square-rorelse=10000',
        RECONCILE_AFTER_MS: '10000',
        CIRCUIT_FAILURES: '0',
      }),
    ).toEqual([
      'CIRCUIT_FAILURES: Too small: expected number to be >0',
      'PROVIDER_DEADLINES: "square-rorelse" (10000 ms) must be shorter than RECONCILE_AFTER_MS (10000 ms), or the reconciler would second-guess calls still in flight',
    ]);
  });

  it('refuses a PROVIDER_DEADLINE_MS as long as RECONCILE_AFTER_MS', () => {
    expect(problems({ PROVIDER_DEADLINE_MS: '12000' })).toEqual([
      'RECONCILE_AFTER_MS: must be longer than PROVIDER_DEADLINE_MS (12000 ms), or the reconciler would second-guess calls still in flight',
    ]);
  });

  it.each([
    ['the default', {}],
    ['the in-process tests', { PROVIDER_DEADLINE_MS: '800', RECONCILE_AFTER_MS: '1000' }],
    ['the reservations system test', { PROVIDER_DEADLINE_MS: '3000', RECONCILE_AFTER_MS: '3500' }],
    [
      'startSystem with an 8 s deadline',
      { PROVIDER_DEADLINE_MS: '8000', RECONCILE_AFTER_MS: '10000' },
    ],
    [
      'startSystem with a 12 s deadline',
      { PROVIDER_DEADLINE_MS: '12000', RECONCILE_AFTER_MS: '14000' },
    ],
    ['a slower connection', { PROVIDER_DEADLINES: 'rivta-kungsholmen=9999' }],
  ])('accepts %s', (_name, env) => {
    expect(problems(env)).toEqual([]);
  });
});
