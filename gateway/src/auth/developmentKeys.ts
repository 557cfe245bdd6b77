import type { JWK } from 'jose';

/**
 * The signing key of `npm start` and `npm run token`: committed, so public, so for development
 * only. Production refuses to start without keys of its own (`AUTH_JWKS_URL` or
 * `AUTH_JWT_PUBLIC_KEYS`) and refuses this one among them.
 */
export const developmentSigningKey = {
  kid: 'booking-development-1',
  alg: 'EdDSA',
  publicJwk: {
    kty: 'OKP',
    crv: 'Ed25519',
    x: 'O_DeUDysYCVbUmzWG9gTKv9nUNspPcjNwetHy9pwgaE',
  } satisfies JWK,
  privateJwk: {
    kty: 'OKP',
    crv: 'Ed25519',
    x: 'O_DeUDysYCVbUmzWG9gTKv9nUNspPcjNwetHy9pwgaE',
    d: 'OZCS1zx6nxKXScw_lAW0eKM7JWWTYiBLxtZDwph3FTs',
  } satisfies JWK,
} as const;

/** The issuer and audience development tokens carry, and the gateway expects by default. */
export const developmentIssuer = 'booking-platform-development';
export const defaultAudience = 'booking-api';
