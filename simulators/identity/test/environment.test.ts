import { ConfigurationError } from '@booking/server-kit';
import { expect, it } from 'vitest';
import { readEnvironment } from '../src/environment.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    readEnvironment(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
  throw new Error('expected a ConfigurationError');
}

it('falls back to the documented defaults, also for empty variables', () => {
  expect(
    readEnvironment({ PORT: '', IDENTITY_ISSUER: '', IDENTITY_WEB_REDIRECT_URIS: '' }),
  ).toEqual({
    port: 4106,
    host: '127.0.0.1',
    issuer: undefined,
    webRedirectUris: ['http://127.0.0.1:5173/', 'http://localhost:5173/'],
    accessTokenTtlSeconds: 900,
  });
});

it('reads the variables into a frozen object', () => {
  const config = readEnvironment({
    PORT: '4200',
    NODE_ENV: 'development',
    IDENTITY_ISSUER: 'http://identity:4106',
    IDENTITY_WEB_REDIRECT_URIS: 'http://127.0.0.1:5173/, http://localhost:5173/callback',
    IDENTITY_ACCESS_TOKEN_TTL_SECONDS: '300',
  });
  expect(config).toEqual({
    port: 4200,
    host: '127.0.0.1',
    issuer: 'http://identity:4106',
    webRedirectUris: ['http://127.0.0.1:5173/', 'http://localhost:5173/callback'],
    accessTokenTtlSeconds: 300,
  });
  expect(Object.isFrozen(config.webRedirectUris)).toBe(true);
});

it('refuses to start in production, where its public passwords would be a way in', () => {
  const problems = problemsOf({ NODE_ENV: 'production' });
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(
    /^NODE_ENV: the development identity provider does not run in production/,
  );
});

it('reports every problem at once, naming entries rather than repeating values', () => {
  const problems = problemsOf({
    PORT: 'abc',
    IDENTITY_ISSUER: 'http://127.0.0.1:4106/oidc',
    IDENTITY_WEB_REDIRECT_URIS: 'http://127.0.0.1:5173/,/relative,ftp://x/,http://a/#frag',
    IDENTITY_ACCESS_TOKEN_TTL_SECONDS: '86400',
  });
  expect(problems.map((p) => p.split(':')[0])).toEqual([
    'PORT',
    'IDENTITY_ISSUER',
    'IDENTITY_WEB_REDIRECT_URIS',
    'IDENTITY_WEB_REDIRECT_URIS',
    'IDENTITY_WEB_REDIRECT_URIS',
    'IDENTITY_ACCESS_TOKEN_TTL_SECONDS',
  ]);
  expect(problems.filter((p) => p.startsWith('IDENTITY_WEB'))).toEqual([
    'IDENTITY_WEB_REDIRECT_URIS: entry 2 is not an absolute URL',
    'IDENTITY_WEB_REDIRECT_URIS: entry 3 is not http or https',
    'IDENTITY_WEB_REDIRECT_URIS: entry 4 has a fragment',
  ]);
});
