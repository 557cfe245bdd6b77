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
        'SQUARE_RESERVATIONS_DIR',
        'SQUARE_PUSH_BASE_URL',
        'SQUARE_PUSH_MAX_AGE_MS',
      ]),
    );
  });

  it('takes pushes at its own port outside production when started with PORT (npm start), else only when told where', () => {
    const base = (env: Record<string, string>) =>
      loadProviderEnvironment(squareProvider, env).pushBaseUrl;
    expect(base({ PORT: '4014' })).toBe('http://127.0.0.1:4014');
    expect(base({ PORT: '53011', NODE_ENV: 'test' })).toBe('http://127.0.0.1:53011');
    expect(base({})).toBeUndefined();
    expect(base({ PORT: '0' })).toBeUndefined();
    expect(base({ PORT: '4014', SQUARE_PUSH_BASE_URL: 'https://square.booking.example' })).toBe(
      'https://square.booking.example',
    );
    expect(
      base({ ...production, PORT: '4014', SQUARE_RESERVATIONS_DATABASE_URL: 'postgres://db/b' }),
    ).toBeUndefined();
  });

  it('refuses pushes older than a day by default, or than SQUARE_PUSH_MAX_AGE_MS (at least a second)', () => {
    const settings = (env: Record<string, string>) =>
      loadProviderEnvironment(squareProvider, env).settings;
    expect(settings({}).SQUARE_PUSH_MAX_AGE_MS).toBe(86_400_000);
    expect(settings({ SQUARE_PUSH_MAX_AGE_MS: '300000' }).SQUARE_PUSH_MAX_AGE_MS).toBe(300_000);
    expect(problemsOf({ SQUARE_PUSH_MAX_AGE_MS: '10' })).toEqual([
      expect.stringMatching(/^SQUARE_PUSH_MAX_AGE_MS/),
    ]);
  });

  it('keeps its reservation index in files outside production, in the folder it is given', () => {
    const reservations = (env: Record<string, string>) =>
      loadProviderEnvironment(squareProvider, env).reservations;
    expect(reservations({})).toEqual({ databaseUrl: undefined, directory: undefined });
    expect(reservations({ SQUARE_RESERVATIONS_DIR: '/var/lib/provider-square' })).toEqual({
      databaseUrl: undefined,
      directory: '/var/lib/provider-square',
    });
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
