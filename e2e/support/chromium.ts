import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, which `.ci/run` installs. */
const chromiumPath = '/usr/bin/chromium';

/**
 * Why a browser test of `what` cannot run here, or undefined when it can. In CI the browser is
 * installed by `.ci/run`: a missing one there must fail, never skip. The reason is printed at the
 * end of the run (test/skippedReporter.ts).
 */
export function chromiumSkipReason(what: string): string | undefined {
  if (existsSync(chromiumPath) || process.env.CI) return undefined;
  return (
    `Chromium is not installed at ${chromiumPath}, so ${what} did not run. ` +
    'Install it (Debian: apt-get update && apt-get install -y chromium) and run npm test again.'
  );
}

/** Headless Chromium that reaches nothing but what a test serves (no background networking). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
