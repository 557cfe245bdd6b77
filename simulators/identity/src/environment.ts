import { environmentReader } from '@booking/server-kit/environment';
import { host, integer, port, unsetIfEmpty } from '@booking/simulator-kit';
import { z } from 'zod';
import { defaultWebRedirectUris } from './clients.js';

/** An http(s) URL the browser can be sent to: absolute, without a fragment. */
function redirectUriProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not an absolute URL';
  }
  if (!/^https?:$/.test(url.protocol)) return 'is not http or https';
  if (url.hash !== '' || text.includes('#')) return 'has a fragment';
  return undefined;
}

/** `IDENTITY_WEB_REDIRECT_URIS`: comma-separated absolute URLs (`http://127.0.0.1:5173/`). */
const redirectUriList = z.string().transform((text, ctx) => {
  const uris = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const [index, uri] of uris.entries()) {
    const problem = redirectUriProblem(uri);
    if (problem) ctx.addIssue({ code: 'custom', message: `entry ${index + 1} ${problem}` });
  }
  if (uris.length === 0) ctx.addIssue({ code: 'custom', message: 'lists no URL' });
  return uris;
});

/** `IDENTITY_ISSUER`: an http(s) base URL, nothing after the host and port (the provider serves at `/`). */
const issuer = z.url({ protocol: /^https?$/ }).refine((text) => {
  const url = new URL(text);
  return url.pathname === '/' && url.search === '' && url.hash === '' && !/[?#]/.test(text);
}, 'must be a base URL like http://127.0.0.1:4106, without a path, query or fragment');

const variables = z.object({
  PORT: port(4106),
  HOST: host,
  NODE_ENV: z
    .string()
    .optional()
    .refine(
      (value) => value !== 'production',
      'the development identity provider does not run in production: its users and secrets are ' +
        'public. Production trusts Vården’s identity provider (the gateway’s AUTH_ISSUER and AUTH_JWKS_URL)',
    ),
  IDENTITY_ISSUER: z.preprocess(unsetIfEmpty, issuer.optional()),
  IDENTITY_WEB_REDIRECT_URIS: z.preprocess(
    unsetIfEmpty,
    redirectUriList.default([...defaultWebRedirectUris]),
  ),
  IDENTITY_ACCESS_TOKEN_TTL_SECONDS: integer(900, 60, 3600),
});

/** Reads the provider's configuration once; the only reader of `process.env`. */
export const readEnvironment = environmentReader('simulator-identity', variables, (env) => ({
  port: env.PORT,
  host: env.HOST,
  /** Unset: the base URL it listens on. */
  issuer: env.IDENTITY_ISSUER,
  webRedirectUris: env.IDENTITY_WEB_REDIRECT_URIS,
  accessTokenTtlSeconds: env.IDENTITY_ACCESS_TOKEN_TTL_SECONDS,
}));
