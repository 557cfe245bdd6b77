import { allScopes, type Scope } from '@booking/server-kit';
import { type Role, roleScopes } from './demoUsers.js';

/** The OpenID Connect scopes the provider answers: `openid`, and `profile` for the user's name. */
export const identityScopes = ['openid', 'profile'] as const;

/** What a user consents to when a client asks for `requested`: the scopes their role allows. */
export interface ScopeDecision {
  /** OpenID Connect scopes granted (ID token claims). */
  readonly identity: readonly string[];
  /** Booking API scopes granted: requested and allowed to the role. */
  readonly api: readonly Scope[];
  /** Booking API scopes requested that the role does not allow: refused, never in a token. */
  readonly refused: readonly Scope[];
}

/**
 * Splits a requested `scope` parameter into what is granted and what is refused for a role. Words
 * that are neither an OpenID Connect nor a booking API scope are ignored, as the provider ignores
 * them.
 */
export function grantScopes(requested: string, role: Role): ScopeDecision {
  const words = new Set(requested.split(/\s+/).filter(Boolean));
  const allowed = new Set<Scope>(roleScopes[role]);
  const asked = allScopes.filter((scope) => words.has(scope));
  return {
    identity: identityScopes.filter((scope) => words.has(scope)),
    api: asked.filter((scope) => allowed.has(scope)),
    refused: asked.filter((scope) => !allowed.has(scope)),
  };
}
