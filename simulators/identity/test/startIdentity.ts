import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { createIdentityServer, type IdentityServerOptions, webClientId } from '../src/server.js';

/** The demo page the tests sign in for, as the launcher registers it. */
export const webPage = 'http://127.0.0.1:5173/';
export const webOrigin = 'http://127.0.0.1:5173';

export interface LogLine {
  level: 'info' | 'warn';
  msg: string;
  fields: Record<string, unknown> | undefined;
}

/** A PKCE pair (RFC 7636, S256). */
export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

/**
 * A browser's part in a sign-in: it keeps the cookies it is given and sends them back, and follows
 * no redirect by itself, so a test walks each one and sees where it leads.
 */
export function createBrowser() {
  const cookies = new Map<string, string>();
  async function request(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (cookies.size > 0) {
      headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const removed = attributes.some((a) => /^expires=Thu, 01 Jan 1970/i.test(a));
      if (removed) cookies.delete(name);
      else cookies.set(name, pair.slice(at + 1));
    }
    return res;
  }
  return { request, cookies };
}

export type Browser = ReturnType<typeof createBrowser>;

/** Starts the provider on a free port with the demo page registered and its log lines kept. */
export async function startIdentity(options: IdentityServerOptions = {}) {
  const logs: LogLine[] = [];
  const server = createIdentityServer({
    webRedirectUris: [webPage],
    logger: {
      info: (msg, fields) => logs.push({ level: 'info', msg, fields }),
      warn: (msg, fields) => logs.push({ level: 'warn', msg, fields }),
    },
    ...options,
  });
  const url = await server.listen(0);
  const discovery = (await (await fetch(`${url}/.well-known/openid-configuration`)).json()) as {
    issuer: string;
    authorization_endpoint: string;
    token_endpoint: string;
    jwks_uri: string;
    end_session_endpoint: string;
  };

  /** The authorization request a web app sends the browser to, with PKCE unless told otherwise. */
  function authorizeUrl(params: Record<string, string | undefined> = {}): URL {
    const request = new URL(discovery.authorization_endpoint);
    const all: Record<string, string | undefined> = {
      client_id: webClientId,
      response_type: 'code',
      redirect_uri: webPage,
      scope: 'openid profile availability:read reservations:read reservations:write',
      state: 'state-1',
      code_challenge_method: 'S256',
      ...params,
    };
    for (const [key, value] of Object.entries(all)) {
      if (value !== undefined) request.searchParams.set(key, value);
    }
    return request;
  }

  /**
   * Follows the provider's redirects from `location` until one leaves it (`url` is then where the
   * browser is sent, unrequested) or a page answers (`url` is the page's).
   */
  async function follow(browser: Browser, location: string) {
    let next = new URL(location, url);
    for (let hop = 0; hop < 10; hop += 1) {
      const res = await browser.request(next);
      const at = next;
      const answer = {
        status: res.status,
        headers: res.headers,
        url: at.href,
        text: () => res.text(),
      };
      if (res.status !== 303 && res.status !== 302) return answer;
      next = new URL(res.headers.get('location')!, next);
      if (next.origin !== new URL(url).origin) return { ...answer, url: next.href };
    }
    throw new Error('too many redirects');
  }

  /**
   * Signs a user in the way a browser does: the authorization request, the sign-in form, its
   * post, then the redirects back. Resolves with the URL the browser ends at (the web page with
   * `code`, or the sign-in page again) and the PKCE verifier.
   */
  async function signIn(
    username: string,
    password = 'demo',
    params: Record<string, string | undefined> = {},
    browser = createBrowser(),
  ) {
    const { verifier, challenge } = pkce();
    const login = await follow(
      browser,
      authorizeUrl({ code_challenge: challenge, ...params }).href,
    );
    expect(login.status).toBe(200);
    const html = await login.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    expect(action, html).toBeDefined();
    const posted = await browser.request(new URL(action!, url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }),
    });
    const location = posted.headers.get('location');
    if (location === null)
      return { ended: undefined, page: await posted.text(), verifier, browser };
    const ended = await follow(browser, location);
    return { ended: new URL(ended.url), page: undefined, verifier, browser };
  }

  /** Exchanges an authorization code at the token endpoint, as the web page does from `origin`. */
  async function exchange(code: string, verifier: string, origin: string | null = webOrigin) {
    return fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(origin ? { origin } : {}),
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: webPage,
        client_id: webClientId,
      }),
    });
  }

  return {
    server,
    url,
    discovery,
    logs,
    authorizeUrl,
    follow,
    signIn,
    exchange,
    close: () => server.close(),
  };
}

export type TestIdentity = Awaited<ReturnType<typeof startIdentity>>;
