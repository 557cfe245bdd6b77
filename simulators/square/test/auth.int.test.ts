import { afterEach, beforeEach, expect, it } from 'vitest';
import { fysio, massageToken, startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

it('refuses a request without an access token with 401 AUTHENTICATION_ERROR / UNAUTHORIZED', async () => {
  const res = await sim.call('GET', '/v2/locations', undefined, { token: null });
  expect(res.status).toBe(401);
  expect(res.body).toEqual({
    errors: [
      { category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED', detail: expect.any(String) },
    ],
  });
});

it('refuses an unknown token and a header that is not Bearer', async () => {
  expect(
    (await sim.call('GET', '/v2/locations', undefined, { token: 'EAAAnot-a-token' })).status,
  ).toBe(401);
  const basic = await sim.call('GET', '/v2/locations', undefined, {
    token: null,
    headers: { authorization: 'Basic dXNlcjpwYXNz' },
  });
  expect(basic.status).toBe(401);
  expect(basic.body.errors[0].code).toBe('UNAUTHORIZED');
});

it('echoes the Square-Version sent, and answers its own version when none is sent', async () => {
  const sent = await sim.call('GET', '/v2/locations', undefined, {
    headers: { 'square-version': '2024-01-18' },
  });
  expect(sent.headers.get('square-version')).toBe('2024-01-18');
  const res = await fetch(`${sim.url}/v2/locations`, {
    headers: { authorization: `Bearer ${fysio.token}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('square-version')).toBe('2025-08-20');
});

it('refuses a malformed Square-Version with INVALID_SQUARE_VERSION_FORMAT', async () => {
  const res = await sim.call('GET', '/v2/locations', undefined, {
    headers: { 'square-version': 'latest' },
  });
  expect(res.status).toBe(400);
  expect(res.body.errors[0]).toMatchObject({
    category: 'INVALID_REQUEST_ERROR',
    code: 'INVALID_SQUARE_VERSION_FORMAT',
  });
});

it('answers an unknown path with 404 NOT_FOUND in the errors shape', async () => {
  const res = await sim.call('GET', '/v2/merchants');
  expect(res.status).toBe(404);
  expect(res.body.errors[0]).toMatchObject({
    category: 'INVALID_REQUEST_ERROR',
    code: 'NOT_FOUND',
  });
});

it('refuses a body that is not JSON with EXPECTED_JSON_BODY', async () => {
  const res = await fetch(`${sim.url}/v2/bookings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fysio.token}` },
    body: '{not json',
  });
  expect(res.status).toBe(400);
  const body = (await res.json()) as { errors: { code: string }[] };
  expect(body.errors[0]?.code).toBe('EXPECTED_JSON_BODY');
});

it('rate-limits per access token: 429 RATE_LIMIT_ERROR / RATE_LIMITED with Retry-After, other sellers unaffected', async () => {
  await sim.close();
  sim = await startSimulator({ rateLimitPerSecond: 3 });
  const answers = await Promise.all(
    Array.from({ length: 10 }, () => sim.call('GET', '/v2/locations')),
  );
  const limited = answers.filter((r) => r.status === 429);
  // A burst of one second's allowance passes (one more if a token refills meanwhile).
  expect(answers.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(3);
  expect(limited.length).toBeGreaterThanOrEqual(6);
  expect(limited[0]?.body.errors[0]).toMatchObject({
    category: 'RATE_LIMIT_ERROR',
    code: 'RATE_LIMITED',
  });
  expect(Number(limited[0]?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect((await sim.call('GET', '/v2/locations', undefined, { token: massageToken })).status).toBe(
    200,
  );
});

it('answers /health/ready without a token', async () => {
  const res = await fetch(`${sim.url}/health/ready`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
});
