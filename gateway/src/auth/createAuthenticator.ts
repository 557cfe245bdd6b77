import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { parseScopes, type Scope } from '@booking/server-kit';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import { identityProviderUnavailable, unauthenticated } from '../errors.js';

/** Who a request acts for, once authenticated. */
export interface Principal {
  /** A JWT's `client_id`, `azp` or `sub`; an API key's id; `anonymous`. */
  readonly clientId: string;
  /**
   * The end user (a patient signed in to the client application): a JWT's `sub` when it is not the
   * client itself. Null for a backend client (client-credentials token, API key) and anonymous.
   */
  readonly subject: string | null;
  readonly scopes: ReadonlySet<Scope>;
  readonly method: 'jwt' | 'api-key' | 'anonymous';
}

/** A server-to-server client: its key is stored only as a SHA-256 digest. */
export interface ApiKeyEntry {
  /** The client id its reservations are kept under. */
  readonly id: string;
  /** Lower-case hex SHA-256 of the key. */
  readonly sha256: string;
  readonly scopes: readonly Scope[];
}

export interface AuthenticatorOptions {
  /** Where verification keys come from: a JWKS URL (fetched and cached by `jose`) or a key set. */
  keys: { jwksUrl: URL } | { jwks: JSONWebKeySet };
  issuer: string;
  /**
   * Identity providers trusted besides `issuer`, each with its own key set: e.g. a patients'
   * sign-in beside a provider of backend tokens, or a move from one provider to the next. A
   * token is checked against the keys of the issuer it names, and only that issuer's. Its client
   * and subject are that issuer's own (`booking-web@https://login.example`), so no issuer can
   * name another's users; `scopes`, when given, is the most it may grant.
   */
  otherIssuers?: readonly { issuer: string; jwksUrl: URL; scopes?: readonly Scope[] }[];
  audience: string;
  apiKeys: readonly ApiKeyEntry[];
  /** Scopes of a request without credentials; empty: credentials are required for everything. */
  anonymousScopes: readonly Scope[];
  /** Accepted clock skew for `exp`/`nbf`, in seconds. Default: 30. */
  clockToleranceSeconds?: number;
  /**
   * Tokens verified lately, so that a client sending the same token request after request has its
   * signature checked once rather than every time. An entry is used only while its token has not
   * expired and for at most `maxAgeMs` (then the token is verified again, against the key set of
   * that moment); a token that fails is never kept. Default: 10 000 tokens, 60 s.
   */
  verifiedTokens?: { maxEntries?: number; maxAgeMs?: number };
  /** The clock, in epoch milliseconds. Default: `Date.now`. */
  now?: () => number;
}

/** A token's verification, kept while it may be used again. */
interface VerifiedToken {
  principal: Principal;
  /** Until when its `exp` (with the clock tolerance) accepts it. */
  acceptedUntilMs: number;
  verifiedAtMs: number;
}

/** Algorithms accepted: asymmetric only, so the gateway never holds a key that can sign. */
const algorithms = ['EdDSA', 'ES256', 'ES384', 'RS256', 'PS256'];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Authenticates a request from its headers: `Authorization: Bearer <JWT>` (signature, issuer,
 * audience, expiry checked), `X-Api-Key: <key>` for servers, or nothing (anonymous, with the
 * configured anonymous scopes). Invalid credentials are never downgraded to anonymous. A token
 * verified lately is recognised by its SHA-256 until it expires or `verifiedTokens.maxAgeMs` has
 * passed: checking its signature was most of the gateway's work per request.
 */
export function createAuthenticator(options: AuthenticatorOptions) {
  const remoteKeys = (url: URL) => createRemoteJWKSet(url, { cooldownDuration: 30_000 });
  const keySets = new Map<string, JWTVerifyGetKey>([
    [
      options.issuer,
      'jwksUrl' in options.keys
        ? remoteKeys(options.keys.jwksUrl)
        : createLocalJWKSet(options.keys.jwks),
    ],
    ...(options.otherIssuers ?? []).map(
      ({ issuer, jwksUrl }) => [issuer, remoteKeys(jwksUrl)] as const,
    ),
  ]);
  /** What each other issuer may grant, when capped. */
  const scopeCaps = new Map(
    (options.otherIssuers ?? []).flatMap(({ issuer, scopes }) =>
      scopes ? [[issuer, new Set<string>(scopes)] as const] : [],
    ),
  );
  const apiKeys = new Map(options.apiKeys.map((entry) => [entry.sha256.toLowerCase(), entry]));
  const now = options.now ?? Date.now;
  const toleranceSeconds = options.clockToleranceSeconds ?? 30;
  const maxEntries = options.verifiedTokens?.maxEntries ?? 10_000;
  const maxAgeMs = options.verifiedTokens?.maxAgeMs ?? 60_000;
  // By the token's digest: the cache never holds a credential that could be replayed.
  const verified = new Map<string, VerifiedToken>();
  const anonymous: Principal = {
    clientId: 'anonymous',
    subject: null,
    scopes: new Set(options.anonymousScopes),
    method: 'anonymous',
  };

  /** The principal of a token verified lately that is still accepted, or undefined. */
  function recall(digest: string, at: number): Principal | undefined {
    const entry = verified.get(digest);
    if (!entry) return undefined;
    if (at < entry.acceptedUntilMs && at - entry.verifiedAtMs < maxAgeMs) return entry.principal;
    verified.delete(digest);
    return undefined;
  }

  function remember(digest: string, principal: Principal, exp: number, at: number) {
    // Oldest first (a Map keeps insertion order): bounded whatever the number of clients.
    if (verified.size >= maxEntries) verified.delete(verified.keys().next().value!);
    verified.set(digest, {
      principal,
      acceptedUntilMs: (exp + toleranceSeconds) * 1000,
      verifiedAtMs: at,
    });
  }

  async function fromJwt(token: string): Promise<Principal> {
    const at = now();
    const digest = sha256(token);
    const known = recall(digest, at);
    if (known) return known;
    try {
      // The issuer the token names picks the keys; the signature then proves it.
      const claimed = issuerOf(token);
      const keySet = keySets.get(claimed ?? '') ?? keySets.get(options.issuer)!;
      const issuer = keySets.has(claimed ?? '') ? claimed! : options.issuer;
      const { payload } = await jwtVerify(token, keySet, {
        issuer,
        audience: options.audience,
        algorithms,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: toleranceSeconds,
        currentDate: new Date(at),
      });
      const client = [payload.client_id, payload.azp, payload.sub].find(
        (value): value is string => typeof value === 'string' && value.length > 0,
      )!;
      const granted = parseScopes(
        typeof payload.scope === 'string' ? payload.scope : (payload.scp as string[] | undefined),
      );
      const cap = scopeCaps.get(issuer);
      const scopes = cap ? new Set([...granted].filter((scope) => cap.has(scope))) : granted;
      // Another issuer's ids are its own: its `booking-web` is not the primary issuer's.
      const own = (id: string) => (issuer === options.issuer ? id : `${id}@${issuer}`);
      // A client-credentials token names the client as its own subject: no end user.
      const subject = payload.sub && payload.sub !== client ? own(payload.sub) : null;
      const principal: Principal = { clientId: own(client), subject, scopes, method: 'jwt' };
      if (maxEntries > 0) remember(digest, principal, payload.exp!, at);
      return principal;
    } catch (error) {
      // The identity provider's keys could not be fetched: nobody's token can be checked, which
      // is the platform's trouble, not the client's (503, and not counted as a failed login).
      if (keysUnreachable(error)) throw identityProviderUnavailable();
      // The reason, never the token: it is a credential.
      const reason =
        error instanceof joseErrors.JWTExpired
          ? 'the token has expired'
          : error instanceof joseErrors.JWTClaimValidationFailed
            ? `the token's ${error.claim} claim is not accepted`
            : 'the token is not valid';
      throw unauthenticated(reason);
    }
  }

  return {
    async authenticate(headers: IncomingHttpHeaders): Promise<Principal> {
      // An empty header (the explorer's placeholder) carries no credentials.
      const authorization = headers.authorization?.trim() || undefined;
      const apiKey = headers['x-api-key'];
      if (authorization !== undefined) {
        const [scheme, token, ...rest] = authorization.split(/\s+/);
        if (scheme?.toLowerCase() !== 'bearer' || !token || rest.length > 0) {
          throw unauthenticated('the Authorization header must be "Bearer <token>"');
        }
        return fromJwt(token);
      }
      if (apiKey !== undefined) {
        const entry = typeof apiKey === 'string' ? apiKeys.get(sha256(apiKey)) : undefined;
        if (!entry) throw unauthenticated('the API key is not valid');
        return {
          clientId: entry.id,
          subject: null,
          scopes: new Set(entry.scopes),
          method: 'api-key',
        };
      }
      return anonymous;
    },
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;

/** The `iss` a token claims, before any check; undefined when it is not a readable JWT. */
function issuerOf(token: string): string | undefined {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

/**
 * Whether verification failed because the key set could not be fetched (the identity provider
 * down, slow or answering something else than keys), rather than because of the token.
 */
function keysUnreachable(error: unknown): boolean {
  if (error instanceof joseErrors.JWKSTimeout) return true;
  // A failed fetch is not one of jose's errors; a key set answered with another status is its
  // generic error about the key set's response.
  if (!(error instanceof joseErrors.JOSEError)) return true;
  return error.code === 'ERR_JOSE_GENERIC' && /JSON Web Key Set/.test(error.message);
}
