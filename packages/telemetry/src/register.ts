/**
 * The entry every service starts with, before its own code:
 *
 *   node --import @booking/telemetry/register dist/index.js
 *
 * When the standard variables configure an exporter, it starts OpenTelemetry (see
 * `createTelemetry`), so that `node:http`, undici and graphql are instrumented before the service
 * loads them. Otherwise it does nothing, and loads nothing.
 */
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, join } from 'node:path';
import { telemetrySettings } from './telemetrySettings.js';

interface Manifest {
  name?: string;
  dependencies?: Record<string, string>;
}

/** The package.json of the program being started (`dist/index.js` → its package). */
function mainManifest(): Manifest {
  let dir = dirname(process.argv[1] ?? join(process.cwd(), 'index.js'));
  for (;;) {
    try {
      return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return {};
      dir = parent;
    }
  }
}

const settings = telemetrySettings();
if (settings.enabled) {
  // ES modules are instrumented through import-in-the-middle's loader hook, told by the
  // instrumentations which modules to wrap (only those).
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  const manifest = mainManifest();
  const { startTelemetry } = await import('./index.js');
  await startTelemetry({
    settings,
    // `@booking/scheduling` → `scheduling`, when OTEL_SERVICE_NAME does not say.
    ...(manifest.name && { serviceName: manifest.name.replace(/^@[^/]+\//, '') }),
    // A gateway executes query plans, traced by @apollo/gateway itself, not GraphQL.
    graphql: !manifest.dependencies?.['@apollo/gateway'],
  });
  await waitForAllMessagesAcknowledged();
}
