import type { PageConfig } from './environment.js';

/**
 * The page's Content-Security-Policy. Scripts and styles come only from the page's own server
 * (Vite emits no inline script), and the page may talk to three origins: its own (for
 * `/config.json`), the API's and the identity provider's (discovery, token and end-session
 * endpoints). Signing in is a top-level navigation to the identity provider, which
 * `connect-src` does not govern. No frames: the token is renewed by signing in again, never in
 * a hidden iframe.
 */
export function contentSecurityPolicy(config: PageConfig): string {
  const origins = [...new Set([new URL(config.apiUrl).origin, new URL(config.issuer).origin])];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src 'self' ${origins.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
