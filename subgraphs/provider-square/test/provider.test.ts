import {
  environmentProblems,
  loadProviderEnvironment,
  providerVariables,
} from '@booking/provider-kit';
import { describe, expect, it } from 'vitest';
import { simulatorConnections, squareProvider } from '../src/provider.js';

const production = {
  NODE_ENV: 'production',
  INTERNAL_SECRET: 'a-production-secret-of-its-own',
  SQUARE_CONNECTIONS: JSON.stringify(simulatorConnections('https://connect.squareup.com')),
};

const problemsOf = (env: Record<string, string>) => environmentProblems(squareProvider, env);

describe('the Square provider definition', () => {
  it('names each variable it reads once, its own beside the shared ones', () => {
    const names = providerVariables(squareProvider);
    expect(names).toEqual([...new Set(names)]);
    expect(names).toEqual(
      expect.arrayContaining([
        'NODE_ENV',
        'SQUARE_CONNECTIONS',
        'SQUARE_RESERVATIONS_DATABASE_URL',
      ]),
    );
  });

  it('keeps its reservation index in files outside production', () => {
    const environment = loadProviderEnvironment(squareProvider, {});
    expect(environment.settings.SQUARE_RESERVATIONS_DATABASE_URL).toBeUndefined();
    expect(environment.settings.SQUARE_RESERVATIONS_DIR).toMatch(/provider-square$/);
  });

  it('requires a database for the reservation index in production, never echoing the tokens', () => {
    const problems = problemsOf(production);
    expect(problems).toEqual([
      expect.stringMatching(/^SQUARE_RESERVATIONS_DATABASE_URL: required in production/),
    ]);
    expect(problems.join('\n')).not.toContain('EAAA');
    expect(
      problemsOf({
        ...production,
        SQUARE_RESERVATIONS_DATABASE_URL: 'postgres://square@db.internal/booking',
      }),
    ).toEqual([]);
  });
});
