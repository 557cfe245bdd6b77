import { readdirSync, readFileSync } from 'node:fs';
import type http from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { type StaticFile, sendStaticFile, staticFile } from '@booking/server-kit';
import { contentSecurityPolicy } from './contentSecurityPolicy.js';
import type { PageConfig } from './environment.js';

/** The types of what `vite build` emits; a file of any other type is not served. */
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

interface PageFile extends StaticFile {
  /** Vite's `assets/` names carry their content hash, so they never change. */
  immutable: boolean;
}

function pageFile(body: Buffer, contentType: string, immutable: boolean): PageFile {
  return { ...staticFile(body, contentType), immutable };
}

/** Every file under `directory`, by its URL path (`/assets/index-3f2a.js`). */
function readTree(directory: string): Map<string, PageFile> {
  const files = new Map<string, PageFile>();
  for (const entry of readdirSync(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const contentType = contentTypes[extname(entry.name)];
    if (!contentType) continue;
    const urlPath = `/${relative(directory, path).split(sep).join('/')}`;
    files.set(urlPath, pageFile(readFileSync(path), contentType, urlPath.startsWith('/assets/')));
  }
  return files;
}

export interface PageRoutesOptions {
  /** Where `vite build` wrote the page (`dist/public/`). */
  directory: string;
  config: PageConfig;
}

/**
 * Serves the built page from memory (read once at start: nothing on disk is reached from a URL,
 * so no path can climb out of the directory), `/` as `index.html`, and `/config.json` from the
 * environment, so that one build runs against any API and identity provider. Every answer
 * carries the page's Content-Security-Policy. Anything else falls through (a 404).
 */
export function createPageRoutes(
  options: PageRoutesOptions,
): (req: http.IncomingMessage, res: http.ServerResponse) => boolean {
  const files = readTree(options.directory);
  const index = files.get('/index.html');
  if (!index) throw new Error(`no index.html in ${options.directory}: run npm run build first`);
  files.set('/', index);
  files.set(
    '/config.json',
    pageFile(Buffer.from(JSON.stringify(options.config)), contentTypes['.json']!, false),
  );
  const policy = contentSecurityPolicy(options.config);

  return (req, res) => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') return false;
    const file = files.get((req.url ?? '/').split('?')[0] ?? '/');
    if (!file) return false;
    sendStaticFile(req, res, file, {
      'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'content-security-policy': policy,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
    });
    return true;
  };
}
