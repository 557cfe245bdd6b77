import { allScopes, type Scope } from '@booking/server-kit';
import { importJWK, SignJWT } from 'jose';
import { defaultAudience, developmentIssuer, developmentSigningKey } from './developmentKeys.js';

export interface DevelopmentTokenOptions {
  scopes: readonly Scope[];
  /** The token's subject: the client its reservations belong to. Default: `development-client`. */
  clientId?: string;
  /** Lifetime in seconds. Default: 12 hours. */
  expiresInSeconds?: number;
}

/**
 * A JWT that a gateway with its default (development) keys accepts: for `npm run token`, local
 * tools and tests. Production gateways refuse the development key, so these tokens open nothing
 * there.
 */
export async function signDevelopmentToken(options: DevelopmentTokenOptions): Promise<string> {
  const unknown = options.scopes.filter((scope) => !allScopes.includes(scope));
  if (unknown.length > 0) {
    throw new Error(`unknown scope ${unknown.join(', ')}; scopes are ${allScopes.join(', ')}`);
  }
  const key = await importJWK(developmentSigningKey.privateJwk, developmentSigningKey.alg);
  return new SignJWT({ scope: options.scopes.join(' ') })
    .setProtectedHeader({ alg: developmentSigningKey.alg, kid: developmentSigningKey.kid })
    .setIssuer(developmentIssuer)
    .setAudience(defaultAudience)
    .setSubject(options.clientId ?? 'development-client')
    .setIssuedAt()
    .setExpirationTime(`${options.expiresInSeconds ?? 12 * 3600}s`)
    .sign(key);
}
