import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningSystem, startSystem } from '@booking/tools';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason, launchChromium } from '../support/chromium.js';

const screenshotPath = fileURLToPath(new URL('../../test-results/explorer.png', import.meta.url));
const skipReason = chromiumSkipReason("the explorer's browser test");

describe('the explorer in a real browser', { skip: !!skipReason, meta: { skipReason } }, () => {
  let system: RunningSystem;
  let browser: Browser;
  let gatewayUrl: string;

  beforeAll(async () => {
    system = await startSystem({
      ports: 'free',
      output: () => {},
      colour: false,
      env: { scheduling: { LEDGER_DATA_DIR: 'memory://' } },
    });
    gatewayUrl = system.urls.gateway!;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('serves the page to browsers with a strict CSP, and JSON to API clients at the same URL', async () => {
    const page = await fetch(`${gatewayUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
    expect(await page.text()).toContain('/explorer/explorer.js');

    const script = await fetch(`${gatewayUrl}/explorer/explorer.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const style = await fetch(`${gatewayUrl}/explorer/explorer.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${gatewayUrl}/explorer/createExplorerTabs.js`)).status).toBe(404);

    const api = await fetch(`${gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/html, application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await api.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('runs the Availability example offline: slots come back and nothing is loaded from elsewhere', async ({
    onTestFinished,
  }) => {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      timezoneId: 'Europe/Stockholm',
    });
    const requested: string[] = [];
    context.on('request', (request) => requested.push(request.url()));
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    // The screenshot is taken whatever happens: on a failure it shows what the browser saw.
    onTestFinished(async () => {
      await mkdir(dirname(screenshotPath), { recursive: true });
      await page.screenshot({ path: screenshotPath });
      await context.close();
    });

    await page.goto(`${gatewayUrl}/`);
    // One tab per SDK operation, Availability first and selected.
    await page.getByRole('tab', { name: 'HoldSlot' }).waitFor();
    const firstTab = page.getByRole('tab').first();
    expect(await firstTab.textContent()).toContain('Availability');
    // The headers editor shows where the token goes (left as it is: reads run anonymously).
    await page.locator('.graphiql-editor-tools').getByRole('button', { name: 'Headers' }).click();
    await page.locator('.graphiql-editor-tool').getByText('"Bearer <token>"').waitFor();
    await page.locator('.graphiql-editor-tools').getByRole('button', { name: 'Variables' }).click();
    await page.locator('.graphiql-execute-button').click();

    const response = page.locator('.graphiql-response');
    await response.getByText('"edges"').waitFor({ timeout: 30_000 });
    await response.getByText('"start"').first().waitFor();
    // CodeMirror renders only the visible lines: read the whole response from the editor itself.
    const result = JSON.parse(
      await response
        .locator('.CodeMirror')
        .evaluate((element: unknown) =>
          (element as { CodeMirror: { getValue(): string } }).CodeMirror.getValue(),
        ),
    ) as { data?: { availability: { edges: { node: { start: string } }[] } }; errors?: unknown };
    expect(result.errors).toBeUndefined();
    expect(result.data?.availability.edges.length).toBeGreaterThan(0);
    expect(result.data?.availability.edges[0]?.node.start).toMatch(/^\d{4}-\d\d-\d\dT/);

    const elsewhere = requested.filter((url) => {
      const { protocol, hostname } = new URL(url);
      if (protocol === 'data:' || protocol === 'blob:') return false;
      return hostname !== '127.0.0.1' && hostname !== 'localhost';
    });
    expect(elsewhere).toEqual([]);
    expect(requested).toContain(`${gatewayUrl}/explorer/explorer.js`);
    // A Content-Security-Policy violation or a crash shows up as a console error.
    expect(problems).toEqual([]);
  });
});
