import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { fileURLToPath } from 'node:url';
import { type Logger, type StaticFile, sendStaticFile, staticFile } from '@booking/server-kit';

/**
 * Everything the page may load comes from the gateway itself. Beyond `'self'`: `data:` images
 * and fonts, because GraphiQL's fonts and icons are inlined in its CSS as data URLs;
 * `'unsafe-inline'` styles, because CodeMirror and GraphiQL position elements with inline styles
 * (scripts stay `'self'` only). The last three directives forbid framing and base/form tricks.
 */
export const explorerContentSecurityPolicy = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const contentTypes: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'explorer.js': 'text/javascript; charset=utf-8',
  'explorer.css': 'text/css; charset=utf-8',
};

export interface ExplorerRoutesOptions {
  logger: Logger;
  /** Where the bundle is. Default: `gateway/dist/explorer/`, written by `npm run build`. */
  directory?: string;
}

/**
 * Serves the explorer (GraphiQL, bundled at build time): the page for browsers, i.e. GET with
 * `Accept: text/html`, at `/` and `/graphql`, and its two assets under `/explorer/`. Everything
 * else falls through to GraphQL, so API calls (POST, or GET asking for JSON) are unaffected.
 * Returns `undefined`, after a warning, when the bundle has not been built.
 */
export function createExplorerRoutes(
  options: ExplorerRoutesOptions,
): ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | undefined {
  // `../../dist/explorer/` is the same directory from `src/explorer/` (tests) and `dist/explorer/`.
  const directory =
    options.directory ?? fileURLToPath(new URL('../../dist/explorer/', import.meta.url));
  const files = new Map<string, StaticFile>();
  try {
    for (const [name, contentType] of Object.entries(contentTypes)) {
      files.set(name, staticFile(readFileSync(`${directory}/${name}`), contentType));
    }
  } catch (error) {
    options.logger.warn(
      { directory, err: error },
      'explorer not built (npm run build); serving the API only',
    );
    return undefined;
  }

  return (req, res) => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') return false;
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const wantsPage =
      (path === '/' || path === '/graphql') && (req.headers.accept ?? '').includes('text/html');
    const file = wantsPage
      ? files.get('index.html')
      : path.startsWith('/explorer/')
        ? files.get(path.slice('/explorer/'.length))
        : undefined;
    if (!file) return false;
    sendStaticFile(req, res, file, {
      // The file names carry no hash: revalidate every time, answered by the ETag.
      'cache-control': 'no-cache',
      'content-security-policy': explorerContentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      // The same URL answers JSON to API clients.
      vary: 'accept',
    });
    return true;
  };
}
