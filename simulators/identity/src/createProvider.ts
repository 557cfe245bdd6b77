import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { allScopes } from '@booking/server-kit';
import Provider, { type Configuration, errors } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { clientMetadata } from './clients.js';
import type { DemoUser } from './demoUsers.js';
import { identityScopes } from './grantScopes.js';
import { errorPage, logoutPage, signedOutPage } from './pages.js';

/** The resource indicator (RFC 8707) of the booking API: an absolute URI, as the RFC requires. */
export const apiResource = 'urn:booking-platform:api';

/** The audience of access tokens for the booking API: what the gateway expects by default. */
export const apiAudience = 'booking-api';

/** How long a sign-in lasts (the provider's session, its grants, a web app's refresh tokens). */
const sessionSeconds = 8 * 60 * 60;

const origin = (uri: string) => new URL(uri).origin;

export interface ProviderSettings {
  issuer: string;
  webRedirectUris: readonly string[];
  accessTokenTtlSeconds: number;
  users: readonly DemoUser[];
  /** The Content-Security-Policy of every answer (`contentSecurityPolicy`). */
  csp: string;
}

/**
 * The OpenID Connect provider: oidc-provider configured with the platform's clients, the booking
 * API as its one resource server (JWT access tokens, ES256), the demo users, and pages of its own.
 * Keys are made here, in memory: a restart invalidates every token and session.
 */
export function createProvider(settings: ProviderSettings): Provider {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signingKey = {
    ...privateKey.export({ format: 'jwk' }),
    kid: randomUUID(),
    alg: 'ES256',
    use: 'sig',
  };
  const users = new Map(settings.users.map((user) => [user.username, user]));

  const configuration: Configuration = {
    // The library's own in-memory store, one per provider (and without its warning at each start).
    adapter: createMemoryAdapter(),
    clients: clientMetadata(settings.webRedirectUris),
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    jwks: { keys: [signingKey] },
    // Signed cookies. Over plain http they are not `Secure` (oidc-provider sets that only for
    // https requests), and `SameSite=Lax` lets them ride on the top-level navigations of a sign-in.
    cookies: {
      keys: [randomBytes(32).toString('base64url')],
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    // A public client's page may call the token endpoint from the origins it is sent back to.
    clientBasedCORS: (_ctx, requestOrigin, client) =>
      client.clientAuthMethod === 'none' &&
      client.redirectUris.some((uri) => origin(uri) === requestOrigin),
    // Authorization code only: no implicit or hybrid flows, no tokens in the browser's address bar.
    responseTypes: ['code'],
    scopes: [...identityScopes],
    claims: { openid: ['sub'], profile: ['name', 'given_name', 'family_name'] },
    // The user's name in the ID token itself: its access token is for the booking API, not userinfo.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Every access token is for the booking API, which a userinfo endpoint would not accept.
      userinfo: { enabled: false },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => apiResource,
        useGrantedResource: () => true,
        getResourceServerInfo: async (_ctx, indicator) => {
          if (indicator !== apiResource) throw new errors.InvalidTarget();
          return {
            scope: allScopes.join(' '),
            audience: apiAudience,
            accessTokenTTL: settings.accessTokenTtlSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = logoutPage(form, ctx.oidc.client?.clientName);
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = 'html';
          ctx.body = signedOutPage();
        },
      },
    },
    pkce: { required: () => true },
    // A web app keeps its sign-in alive with refresh tokens (rotated, ending with the session).
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    findAccount: async (_ctx, sub) => {
      const user = users.get(sub);
      if (!user) return undefined;
      return {
        accountId: user.username,
        claims: async () => ({
          sub: user.username,
          name: `${user.givenName} ${user.familyName}`,
          given_name: user.givenName,
          family_name: user.familyName,
        }),
      };
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(out.error, out.error_description);
    },
    ttl: {
      AccessToken: settings.accessTokenTtlSeconds,
      ClientCredentials: settings.accessTokenTtlSeconds,
      IdToken: settings.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      Interaction: 10 * 60,
      Session: sessionSeconds,
      Grant: sessionSeconds,
      // A rotated refresh token lives only as long as the one it replaced.
      RefreshToken: (ctx) => ctx?.oidc.entities.RotatedRefreshToken?.remainingTTL ?? sessionSeconds,
    },
  };

  const provider = new Provider(settings.issuer, configuration);
  provider.use(async (ctx, next) => {
    // Set first, so oidc-provider can add the hash of a form_post page's script to it.
    ctx.set('content-security-policy', settings.csp);
    ctx.set('x-content-type-options', 'nosniff');
    ctx.set('referrer-policy', 'no-referrer');
    await next();
  });
  return provider;
}
