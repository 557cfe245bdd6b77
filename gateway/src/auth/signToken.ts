import { allScopes, type Scope } from '@booking/server-kit';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { defaultAudience, developmentIssuer, developmentSigningKey } from './developmentKeys.js';

export interface TokenOptions {
  scopes: readonly Scope[];
  /** The client application its reservations belong to. Default: `development-client`. */
  clientId?: string;
  /**
   * The end user signed in to the client (a patient), as `sub`, with the client in `client_id`.
   * Default: none (`sub` is the client: a backend client acting for its whole application).
   */
  subject?: string;
  /** Lifetime in seconds. Default: 12 hours. */
  expiresInSeconds?: number;
  /** Signing key (an Ed25519 private JWK with `kid`). Default: the development key. */
  privateJwk?: JWK;
  /** Default: the development issuer. */
  issuer?: string;
  /** Default: `booking-api`. */
  audience?: string;
}

/** Signs a client token, by default one the development gateway (`npm start`) accepts. */
export async function signToken(options: TokenOptions): Promise<string> {
  const unknown = options.scopes.filter((scope) => !allScopes.includes(scope));
  if (unknown.length > 0) {
    throw new Error(`unknown scope ${unknown.join(', ')}; scopes are ${allScopes.join(', ')}`);
  }
  const jwk = options.privateJwk ?? {
    ...developmentSigningKey.privateJwk,
    kid: developmentSigningKey.kid,
  };
  const key = await importJWK(jwk, 'EdDSA');
  const clientId = options.clientId ?? 'development-client';
  const claims = options.subject ? { client_id: clientId } : {};
  return new SignJWT({ ...claims, scope: options.scopes.join(' ') })
    .setProtectedHeader({ alg: 'EdDSA', ...(jwk.kid && { kid: jwk.kid }) })
    .setIssuer(options.issuer ?? developmentIssuer)
    .setAudience(options.audience ?? defaultAudience)
    .setSubject(options.subject ?? clientId)
    .setIssuedAt()
    .setExpirationTime(`${options.expiresInSeconds ?? 12 * 3600}s`)
    .sign(key);
}

/**
 * A JWT that a gateway with its default (development) keys accepts: for `npm run token`, local
 * tools and tests. Production gateways refuse the development key, so these tokens open nothing
 * there.
 */
export const signDevelopmentToken = (options: Omit<TokenOptions, 'privateJwk' | 'issuer'>) =>
  signToken(options);

/** A new Ed25519 signing key: the private JWK (keep it secret) and the public key set for the gateway. */
export async function newSigningKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA' };
  const publicJwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'EdDSA' }] };
  return { privateJwk, publicJwks };
}
