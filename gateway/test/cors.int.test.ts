import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnvironment } from '../src/environment.js';
import { startGateway } from './startGateway.js';

const page = 'https://boka.varden.se';
const elsewhere = 'https://evil.example';

describe('web pages on listed origins may call the API (CORS)', () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let url: string;
  beforeAll(async () => {
    gateway = await startGateway({ CORS_ORIGINS: `${page}, http://127.0.0.1:5173` });
    url = gateway.url;
  });
  afterAll(() => gateway.close());

  const preflight = (origin: string) =>
    fetch(`${url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, traceparent',
      },
    });

  it('answers a listed origin’s preflight itself, before the CSRF check that refuses OPTIONS', async () => {
    const response = await preflight(page);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(page);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = response.headers.get('access-control-allow-headers') ?? '';
    for (const header of ['authorization', 'content-type', 'traceparent']) {
      expect(allowed).toContain(header);
    }
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('gives another origin no CORS headers, so the browser keeps the answer from it', async () => {
    const response = await preflight(elsewhere);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const post = await gateway.post({ query: '{ __typename }' }, { origin: elsewhere });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('lets a listed page read the answer, Retry-After and the trace it was served by', async () => {
    const post = await gateway.post({ query: '{ __typename }' }, { origin: page });
    expect(post.status).toBe(200);
    expect(post.body).toEqual({ data: { __typename: 'Query' } });
    expect(post.headers.get('access-control-allow-origin')).toBe(page);
    expect(post.headers.get('access-control-expose-headers')).toBe('retry-after,traceresponse');
  });
});

describe('CORS_ORIGINS', () => {
  it('lists the demo page outside production, and nothing in production unless told', () => {
    expect(readEnvironment({}).corsOrigins).toEqual([
      'http://localhost:5173',
      'http://127.0.0.1:5173',
    ]);
    expect(
      readEnvironment({
        NODE_ENV: 'production',
        AUTH_JWKS_URL: 'https://idp.example.se/jwks',
        AUTH_ISSUER: 'https://idp.example.se',
        INTERNAL_SECRET: 'a-secret-of-its-own',
      }).corsOrigins,
    ).toEqual([]);
    expect(readEnvironment({ CORS_ORIGINS: 'https://boka.varden.se/' }).corsOrigins).toEqual([
      'https://boka.varden.se',
    ]);
  });

  it('refuses what is not an origin: a wildcard, a path, another scheme', () => {
    for (const value of [
      '*',
      'https://boka.varden.se/app',
      'ftp://boka.varden.se',
      'boka.varden.se',
    ]) {
      expect(() => readEnvironment({ CORS_ORIGINS: value })).toThrow(
        /CORS_ORIGINS.*not an origin/s,
      );
    }
  });
});
