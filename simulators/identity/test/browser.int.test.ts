import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webClientId } from '../src/server.js';
import { pkce, startIdentity, type TestIdentity } from './startIdentity.js';

const chromiumPath = '/usr/bin/chromium';
// As the explorer's browser test: in CI `.ci/run` installs Chromium, so a missing one fails there.
const skipReason =
  !existsSync(chromiumPath) && !process.env.CI
    ? `Chromium is not installed at ${chromiumPath}, so the identity provider's browser test did ` +
      'not run. Install it (Debian: apt-get update && apt-get install -y chromium) and run npm test again.'
    : undefined;

/** A stand-in for the web app: one empty page, on an origin of its own. */
async function startWebPage() {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>web app</title><p>back at the web app</p>');
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

describe('signing in with Chromium', { skip: !!skipReason, meta: { skipReason } }, () => {
  let browser: Browser;
  let idp: TestIdentity;
  let web: Awaited<ReturnType<typeof startWebPage>>;

  beforeAll(async () => {
    web = await startWebPage();
    // As the launcher registers the demo page: under both names a browser may give it.
    idp = await startIdentity({
      webRedirectUris: [`http://127.0.0.1:${web.port}/`, `http://localhost:${web.port}/`],
    });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await idp?.close();
    web?.close();
  });

  // localhost and 127.0.0.1 are different sites: the provider's cookies must not need the same one.
  it.each(['127.0.0.1', 'localhost'])(
    'signs in over plain http from a page on %s, exchanges the code from the page, and signs out',
    async (host) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const refused: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy|Refused to/i.test(message.text()))
          refused.push(message.text());
      });
      const webPage = `http://${host}:${web.port}/`;
      const { verifier, challenge } = pkce();
      const authorize = idp.authorizeUrl({ redirect_uri: webPage, code_challenge: challenge });

      await page.goto(authorize.href);
      await page.getByLabel('Username').fill('selma');
      await page.getByLabel('Password').fill('wrong');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toContain('Wrong username or password');
      await page.getByLabel('Password').fill('demo');
      await Promise.all([
        page.waitForURL((url) => url.href.startsWith(webPage)),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      const code = new URL(page.url()).searchParams.get('code');
      expect(code).toBeTruthy();

      // The page exchanges the code itself, cross-origin, as oidc-client-ts does.
      const tokens = await page.evaluate(
        async ({ tokenEndpoint, body }) => {
          const res = await fetch(tokenEndpoint, {
            method: 'POST',
            body: new URLSearchParams(body),
          });
          return (await res.json()) as Record<string, string>;
        },
        {
          tokenEndpoint: idp.discovery.token_endpoint,
          body: {
            grant_type: 'authorization_code',
            code: code!,
            code_verifier: verifier,
            redirect_uri: webPage,
            client_id: webClientId,
          },
        },
      );
      expect(tokens).toMatchObject({
        token_type: 'Bearer',
        scope: expect.stringContaining('reservations:write'),
      });

      const endSession = new URL(idp.discovery.end_session_endpoint);
      endSession.searchParams.set('id_token_hint', tokens.id_token!);
      endSession.searchParams.set('post_logout_redirect_uri', webPage);
      await page.goto(endSession.href);
      await Promise.all([
        page.waitForURL((url) => url.href.startsWith(webPage)),
        page.getByRole('button', { name: 'Sign out' }).click(),
      ]);

      // Signed out: the next sign-in asks for the password again.
      await page.goto(authorize.href);
      await expect.poll(() => page.getByRole('button', { name: 'Sign in' }).count()).toBe(1);
      expect(refused).toEqual([]);
      await context.close();
    },
  );

  it('signs out a browser that is not signed in: the provider’s self-submitting page runs under the policy', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const webPage = `http://127.0.0.1:${web.port}/`;
    const endSession = new URL(idp.discovery.end_session_endpoint);
    endSession.searchParams.set('client_id', webClientId);
    endSession.searchParams.set('post_logout_redirect_uri', webPage);
    endSession.searchParams.set('state', 'bye');
    await page.goto(endSession.href);
    await page.waitForURL((url) => url.href.startsWith(webPage));
    expect(new URL(page.url()).searchParams.get('state')).toBe('bye');
    await context.close();
  });
});
