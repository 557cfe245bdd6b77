import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type HttpService } from '@booking/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebService } from '../server/createWebService.js';

const config = {
  apiUrl: 'https://api.booking.example/graphql',
  issuer: 'https://login.varden.example/realms/patients',
  clientId: 'booking-web',
};

describe('the page’s server', () => {
  let directory: string;
  let service: HttpService;
  let url: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'web-page-'));
    await mkdir(join(directory, 'assets'));
    await writeFile(join(directory, 'index.html'), '<!doctype html><title>Boka</title>');
    await writeFile(join(directory, 'assets/index-3f2a.js'), 'console.log(1)');
    await writeFile(join(directory, 'assets/index-3f2a.css'), 'body{}');
    await writeFile(join(directory, 'favicon.svg'), '<svg/>');
    await writeFile(join(directory, 'notes.txt'), 'not part of the page');
    service = createWebService({
      config,
      directory,
      logger: createLogger({ service: 'web', level: 'silent' }),
    });
    url = await service.listen(0);
  });

  afterAll(async () => {
    await service?.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('serves the page at / under a CSP that lets it reach only the API and the issuer', async () => {
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('<title>Boka</title>');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(
      "connect-src 'self' https://api.booking.example https://login.varden.example",
    );
    expect(csp).not.toContain('unsafe');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves each built file with its content type, hashed assets cached for good', async () => {
    const script = await fetch(`${url}/assets/index-3f2a.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');
    const style = await fetch(`${url}/assets/index-3f2a.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const icon = await fetch(`${url}/favicon.svg`);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers /config.json from its configuration', async () => {
    const response = await fetch(`${url}/config.json`);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual(config);
  });

  it('revalidates by ETag', async () => {
    const first = await fetch(`${url}/`);
    const etag = first.headers.get('etag')!;
    const again = await fetch(`${url}/`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('serves nothing else: unknown paths, paths out of the directory, other files, other methods', async () => {
    for (const path of ['/nope.js', '/%2e%2e/package.json', '/../notes.txt', '/notes.txt']) {
      expect((await fetch(`${url}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${url}/`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('is live and ready once the page is read', async () => {
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
  });
});
