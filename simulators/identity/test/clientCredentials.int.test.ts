import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterEach, expect, it } from 'vitest';
import { apiAudience, apiResource, backendClientId, backendClientSecret } from '../src/server.js';
import { startIdentity, type TestIdentity } from './startIdentity.js';

let idp: TestIdentity;
afterEach(async () => {
  await idp?.close();
});

/** `curl -u booking-backend:<secret> -d grant_type=client_credentials -d scope=… <token endpoint>` */
function requestToken(body: Record<string, string>, secret = backendClientSecret) {
  return fetch(idp.discovery.token_endpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${backendClientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...body }),
  });
}

it('gives the backend client a booking API token with itself as subject and the scopes it asked for', async () => {
  idp = await startIdentity();
  const res = await requestToken({ scope: 'availability:read reservations:read webhooks:manage' });
  expect(res.status).toBe(200);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
  const keys = createRemoteJWKSet(new URL(idp.discovery.jwks_uri));
  const { payload } = await jwtVerify(body.access_token as string, keys, {
    issuer: idp.discovery.issuer,
    audience: apiAudience,
  });
  expect(payload).toMatchObject({
    sub: backendClientId,
    client_id: backendClientId,
    scope: 'availability:read reservations:read webhooks:manage',
  });
});

it('may ask for admin, drops words that are not the booking API’s, and names the resource explicitly too', async () => {
  idp = await startIdentity();
  const res = await requestToken({ scope: 'admin openid cheese', resource: apiResource });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ scope: 'admin' });
});

it('refuses a wrong secret and a resource other than the booking API', async () => {
  idp = await startIdentity();
  const wrongSecret = await requestToken({ scope: 'admin' }, 'guess-guess-guess');
  expect(wrongSecret.status).toBe(401);
  expect(await wrongSecret.json()).toMatchObject({ error: 'invalid_client' });

  const otherApi = await requestToken({ scope: 'admin', resource: 'https://other.example/api' });
  expect(otherApi.status).toBe(400);
  expect(await otherApi.json()).toMatchObject({ error: 'invalid_target' });
});
