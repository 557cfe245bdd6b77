import type { IncomingMessage } from 'node:http';
import { GatewayErrorCode } from '../errors.js';
import { clientAddress } from './clientAddress.js';
import type { Authenticator } from './createAuthenticator.js';
import type { RateLimiter } from './createRateLimiter.js';
import type { GatewayContext } from './scopesPlugin.js';

export interface RequestContextOptions {
  authenticator: Authenticator;
  /** Requests per client (per address when anonymous). */
  requests: RateLimiter;
  /** Failed authentications per address. */
  authFailures: RateLimiter;
  /** Proxies in front of the gateway whose `X-Forwarded-For` entries are trusted (see `clientAddress`). */
  trustedProxies: number;
}

/**
 * The gateway's GraphQL context: who the request acts for, then whether that client may send
 * another request now. Credentials that fail count against the address that sent them: past
 * `authFailures`' limit the answer is `RATE_LIMITED` (429) instead of `UNAUTHENTICATED` (401), so
 * guessing tokens or keys is throttled. Valid credentials are always checked first, so a client
 * that authenticates is never refused for another's failures at the same address.
 */
export function createRequestContext(
  options: RequestContextOptions,
): (req: IncomingMessage) => Promise<GatewayContext> {
  return async (req) => {
    const address = `ip:${clientAddress(req, options.trustedProxies)}`;
    const principal = await options.authenticator.authenticate(req.headers).catch(async (error) => {
      // Only the client's own failures count (not the identity provider being unreachable).
      if (error?.extensions?.code === GatewayErrorCode.Unauthenticated) {
        await options.authFailures.consume(address);
      }
      throw error;
    });
    await options.requests.consume(
      principal.method === 'anonymous' ? address : `client:${principal.clientId}`,
    );
    return { principal };
  };
}
