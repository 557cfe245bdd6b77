import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ConfigurationError,
  developmentSecret,
  environmentReader,
  keyValueList,
  milliseconds,
  port,
} from '../src/environment.js';

const readEnvironment = environmentReader(
  'test-service',
  z.object({
    PORT: port(4999),
    UPSTREAM_URLS: keyValueList(z.url()).default({}),
    UPSTREAM_TIMEOUT_MS: milliseconds(2000),
    API_TOKEN: developmentSecret('development-token-not-for-production'),
  }),
  (env) => ({
    port: env.PORT,
    upstream: { urls: env.UPSTREAM_URLS, timeoutMs: env.UPSTREAM_TIMEOUT_MS },
    apiToken: env.API_TOKEN,
  }),
);

describe('environmentReader', () => {
  it('reads the variables into the grouped object, with their defaults', () => {
    expect(readEnvironment({})).toEqual({
      port: 4999,
      upstream: { urls: {}, timeoutMs: 2000 },
      apiToken: 'development-token-not-for-production',
    });
    expect(
      readEnvironment({ UPSTREAM_URLS: 'a=http://a.example/x', UPSTREAM_TIMEOUT_MS: '500' }),
    ).toMatchObject({ upstream: { urls: { a: 'http://a.example/x' }, timeoutMs: 500 } });
  });

  it('freezes the object all the way down', () => {
    const config = readEnvironment({ UPSTREAM_URLS: 'a=http://a.example/x' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.upstream)).toBe(true);
    expect(Object.isFrozen(config.upstream.urls)).toBe(true);
  });

  it('reports every problem at once in one ConfigurationError, by variable and rule, never a value', () => {
    const read = () =>
      readEnvironment({
        PORT: '70000',
        UPSTREAM_URLS: 'a=not-a-url-secret,b=http://b.example,secret',
        UPSTREAM_TIMEOUT_MS: '-1',
        API_TOKEN: 'secret',
      });
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(
      [
        'test-service: invalid configuration',
        '  - PORT: Too big: expected number to be <=65535',
        '  - UPSTREAM_URLS: entry 1 ("a") is not key=value with a valid value',
        '  - UPSTREAM_URLS: entry 3 is not key=value with a valid value',
        '  - UPSTREAM_TIMEOUT_MS: Too small: expected number to be >0',
        '  - API_TOKEN: must be at least 16 characters',
      ].join('\n'),
    );
  });

  it('refuses a development secret in production', () => {
    expect(() => readEnvironment({ NODE_ENV: 'production' })).toThrow(
      'API_TOKEN: production needs its own; the development value is public',
    );
  });

  it('reads process.env when given no environment', () => {
    const readPath = environmentReader('test-service', z.object({ PATH: z.string() }), (env) => ({
      path: env.PATH,
    }));
    expect(readPath()).toEqual({ path: process.env.PATH });
  });
});
