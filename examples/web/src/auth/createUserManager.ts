import { UserManager } from 'oidc-client-ts';
import type { PageConfig } from '../config/loadConfig.js';

/** What the page asks the patient to allow: who they are, and to find, book and see their bookings. */
export const scopes = 'openid profile availability:read reservations:read reservations:write';

/**
 * The OpenID Connect client of the page: authorization code with PKCE (S256), sent back to the
 * page's own root, which is registered exactly at the identity provider (for `localhost` and
 * `127.0.0.1` alike, so the page's origin is used as it is). The access token is a JWT for the
 * booking API, the identity provider's default resource. The sign-in is kept in
 * `sessionStorage` (gone with the tab) and renewed before it expires with the refresh token the
 * identity provider issues; never in a hidden iframe (the page forbids frames).
 */
export function createUserManager(config: PageConfig): UserManager {
  const home = `${window.location.origin}/`;
  return new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: home,
    post_logout_redirect_uri: home,
    response_type: 'code',
    scope: scopes,
  });
}
