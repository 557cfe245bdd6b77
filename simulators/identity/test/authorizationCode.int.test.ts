import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { apiAudience, webClientId } from '../src/server.js';
import {
  createBrowser,
  pkce,
  startIdentity,
  type TestIdentity,
  webOrigin,
  webPage,
} from './startIdentity.js';

let idp: TestIdentity;
afterEach(async () => {
  await idp?.close();
});

/** Verifies a token as the gateway does: the provider's published keys, issuer and audience. */
async function verify(token: string, audience = apiAudience) {
  const keys = createRemoteJWKSet(new URL(idp.discovery.jwks_uri));
  const { payload, protectedHeader } = await jwtVerify(token, keys, {
    issuer: idp.discovery.issuer,
    audience,
  });
  return { payload, protectedHeader };
}

describe('signing in to the web client (authorization code + PKCE)', () => {
  it('takes a patient from the authorization request to an access token the gateway accepts for her', async () => {
    idp = await startIdentity();
    expect(idp.discovery.issuer).toBe(idp.url);
    const browser = createBrowser();
    const { verifier, challenge } = pkce();

    // The web page sends the browser to the authorization endpoint; the provider asks for a sign-in.
    const authorize = await browser.request(idp.authorizeUrl({ code_challenge: challenge }));
    expect(authorize.status).toBe(303);
    const loginUrl = new URL(authorize.headers.get('location')!, idp.url);
    expect(loginUrl.pathname).toMatch(/^\/interaction\/[\w-]+$/);

    const login = await browser.request(loginUrl);
    expect(login.status).toBe(200);
    const form = await login.text();
    expect(form).toContain('<label for="username">Username</label>');
    expect(form).toContain('<label for="password">Password</label>');
    expect(form).toContain('<button type="submit">Sign in</button>');

    // The form posts the credentials; consent is given at once, and the browser returns.
    const posted = await browser.request(new URL(`${loginUrl.pathname}/login`, idp.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'astrid', password: 'demo' }),
    });
    expect(posted.status).toBe(303);
    const back = await idp.follow(browser, posted.headers.get('location')!);
    const redirect = new URL(back.url);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(webPage);
    expect(redirect.searchParams.get('state')).toBe('state-1');
    expect(redirect.searchParams.get('iss')).toBe(idp.discovery.issuer);
    const code = redirect.searchParams.get('code');
    expect(code).toBeTruthy();

    // The web page exchanges the code with its verifier, from its own origin.
    const exchanged = await idp.exchange(code!, verifier);
    expect(exchanged.status).toBe(200);
    expect(exchanged.headers.get('access-control-allow-origin')).toBe(webOrigin);
    const tokens = (await exchanged.json()) as Record<string, string>;
    expect(tokens.token_type).toBe('Bearer');

    const { payload, protectedHeader } = await verify(tokens.access_token!);
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({
      iss: idp.url,
      aud: 'booking-api',
      sub: 'astrid',
      client_id: webClientId,
      scope: 'availability:read reservations:read reservations:write',
    });
    expect(payload.exp! - payload.iat!).toBe(900);

    const idToken = await verify(tokens.id_token!, webClientId);
    expect(idToken.payload).toMatchObject({
      sub: 'astrid',
      name: 'Astrid Lindqvist',
      given_name: 'Astrid',
      family_name: 'Lindqvist',
    });
  });

  it('shows the sign-in page with the demo users under a Content-Security-Policy that loads nothing from elsewhere', async () => {
    idp = await startIdentity();
    const browser = createBrowser();
    const page = await idp.follow(
      browser,
      idp.authorizeUrl({ code_challenge: pkce().challenge }).href,
    );
    const html = await page.text();
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toMatch(/<code>astrid<\/code>.*<code>demo<\/code>/);
    expect(html).toContain('<code>selma</code>');
    expect(html).toContain('<code>staff</code>');
    expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1:5173)/);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`form-action 'self' ${webOrigin}`);
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('answers a wrong password with the form and a message, issues no code, and logs the failure without the password', async () => {
    idp = await startIdentity();
    const browser = createBrowser();
    const failed = await idp.signIn('astrid', 'not-her-password', {}, browser);
    expect(failed.ended).toBeUndefined();
    expect(failed.page).toContain('Wrong username or password');
    expect(failed.page).toContain('role="alert"');
    expect(failed.page).toContain('value="astrid"');
    expect(idp.logs).toEqual([
      { level: 'warn', msg: 'sign-in failed', fields: { username: 'astrid', client: webClientId } },
    ]);
    expect(JSON.stringify(idp.logs)).not.toContain('not-her-password');

    // The same sign-in goes on with the right password.
    const action = /action="([^"]+)"/.exec(failed.page!)![1]!;
    const posted = await browser.request(new URL(action, idp.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'astrid', password: 'demo' }),
    });
    const back = await idp.follow(browser, posted.headers.get('location')!);
    expect(new URL(back.url).searchParams.get('code')).toBeTruthy();
    expect(idp.logs.at(-1)).toEqual({
      level: 'info',
      msg: 'sign-in succeeded',
      fields: { username: 'astrid', client: webClientId },
    });
  });

  it('does not take an unknown username for a known one', async () => {
    idp = await startIdentity();
    const failed = await idp.signIn('nobody', 'demo');
    expect(failed.ended).toBeUndefined();
    expect(failed.page).toContain('Wrong username or password');
  });

  it('refuses a redirect URI that is not registered, without sending the browser there', async () => {
    idp = await startIdentity();
    const res = await createBrowser().request(
      idp.authorizeUrl({ code_challenge: pkce().challenge, redirect_uri: 'http://evil.example/' }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('redirect_uri did not match any of the client');
  });

  it('refuses an authorization request without PKCE, or with the plain method', async () => {
    idp = await startIdentity();
    for (const params of [
      { code_challenge_method: undefined },
      { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' },
    ]) {
      const res = await createBrowser().request(idp.authorizeUrl(params));
      const back = new URL(res.headers.get('location')!, idp.url);
      expect(`${back.origin}${back.pathname}`).toBe(webPage);
      expect(back.searchParams.get('error')).toBe('invalid_request');
      expect(back.searchParams.get('code')).toBeNull();
    }
  });

  it('refuses a code exchanged without its verifier', async () => {
    idp = await startIdentity();
    const { ended } = await idp.signIn('selma');
    const res = await idp.exchange(ended!.searchParams.get('code')!, pkce().verifier);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('cross-origin token requests', () => {
  it('answers the web page’s origin and refuses an unknown one', async () => {
    idp = await startIdentity();
    const { ended, verifier } = await idp.signIn('astrid');
    const code = ended!.searchParams.get('code')!;

    const foreign = await idp.exchange(code, verifier, 'http://evil.example');
    expect(foreign.status).toBe(400);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

    const own = await idp.exchange(code, verifier, webOrigin);
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBe(webOrigin);
  });

  it('publishes its keys to any origin', async () => {
    idp = await startIdentity();
    const res = await fetch(idp.discovery.jwks_uri, { headers: { origin: 'http://example.org' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://example.org');
    const { keys } = (await res.json()) as { keys: Record<string, string>[] };
    expect(keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256' })]);
    expect(keys[0]).not.toHaveProperty('d');
  });
});

describe('scopes by role', () => {
  const everything =
    'openid availability:read reservations:read reservations:write admin webhooks:manage';

  async function scopeOfToken(username: string, scope: string) {
    const { ended, verifier } = await idp.signIn(username, 'demo', { scope });
    const tokens = (await (
      await idp.exchange(ended!.searchParams.get('code')!, verifier)
    ).json()) as {
      access_token: string;
      scope: string;
    };
    const { payload } = await verify(tokens.access_token);
    expect(payload.scope ?? '').toBe(tokens.scope ?? '');
    return payload.scope;
  }

  it('grants a patient only what patients may have, even when the page asks for admin', async () => {
    idp = await startIdentity();
    expect(await scopeOfToken('selma', everything)).toBe(
      'availability:read reservations:read reservations:write',
    );
    expect(await scopeOfToken('astrid', 'openid admin')).toBeUndefined();
  });

  it('grants Vården staff admin', async () => {
    idp = await startIdentity();
    expect(await scopeOfToken('staff', everything)).toBe(
      'availability:read reservations:read reservations:write admin',
    );
  });
});

describe('staying signed in and signing out', () => {
  it('renews the access token with the refresh token, with the same user and scopes', async () => {
    idp = await startIdentity();
    const { ended, verifier } = await idp.signIn('astrid');
    const first = (await (
      await idp.exchange(ended!.searchParams.get('code')!, verifier)
    ).json()) as {
      refresh_token: string;
    };
    const renewed = await fetch(idp.discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: webOrigin },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
        client_id: webClientId,
      }),
    });
    expect(renewed.status).toBe(200);
    const tokens = (await renewed.json()) as { access_token: string; refresh_token: string };
    expect(tokens.refresh_token).not.toBe(first.refresh_token);
    const { payload } = await verify(tokens.access_token);
    expect(payload).toMatchObject({
      sub: 'astrid',
      scope: 'availability:read reservations:read reservations:write',
    });
  });

  it('signs out at the end-session endpoint, back to the web page, and asks for a sign-in again after', async () => {
    idp = await startIdentity();
    const browser = createBrowser();
    const { ended, verifier } = await idp.signIn('astrid', 'demo', {}, browser);
    const tokens = (await (
      await idp.exchange(ended!.searchParams.get('code')!, verifier)
    ).json()) as {
      id_token: string;
    };
    expect(decodeJwt(tokens.id_token).sub).toBe('astrid');

    // Signed in: a new authorization request comes straight back with a code.
    const again = await idp.follow(
      browser,
      idp.authorizeUrl({ code_challenge: pkce().challenge }).href,
    );
    expect(new URL(again.url).searchParams.get('code')).toBeTruthy();

    const endSession = new URL(idp.discovery.end_session_endpoint);
    endSession.searchParams.set('id_token_hint', tokens.id_token);
    endSession.searchParams.set('post_logout_redirect_uri', webPage);
    endSession.searchParams.set('state', 'bye');
    const question = await browser.request(endSession);
    expect(question.status).toBe(200);
    const html = await question.text();
    expect(html).toContain('Sign out');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1]!;
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(html)![1]!;
    const confirmed = await browser.request(new URL(action, idp.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf, logout: 'yes' }),
    });
    expect(confirmed.status).toBe(303);
    const back = new URL(confirmed.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(webPage);
    expect(back.searchParams.get('state')).toBe('bye');

    const afterwards = await idp.follow(
      browser,
      idp.authorizeUrl({ code_challenge: pkce().challenge }).href,
    );
    expect(afterwards.status).toBe(200);
    expect(await afterwards.text()).toContain('<button type="submit">Sign in</button>');
  });
});
