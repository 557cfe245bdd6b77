import { shutdownTelemetry } from '@booking/telemetry';
import { ConfigurationError, type Environment, parseEnvironment } from './environment.js';
import { createSmartSimulator } from './server.js';

function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}) {
  const line = JSON.stringify({ level, service: 'simulator-smart', msg, ...fields });
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
}

let environment: Environment;
try {
  environment = parseEnvironment();
} catch (error) {
  if (!(error instanceof ConfigurationError)) throw error;
  log('error', 'invalid configuration', { problems: error.problems });
  process.exit(1);
}

const simulator = createSmartSimulator({
  latencyMs: environment.SMART_LATENCY_MS,
  faultRate: environment.SMART_FAULT_RATE,
  maxAgeSeconds: environment.SMART_MAX_AGE_SECONDS,
  ...(environment.SMART_DAYS_AHEAD !== undefined && { daysAhead: environment.SMART_DAYS_AHEAD }),
  ...(environment.SMART_STANDARDS_DIR && { standardsDirectory: environment.SMART_STANDARDS_DIR }),
  ...(environment.SMART_PUBLIC_URL && { publicUrl: environment.SMART_PUBLIC_URL }),
  logger: {
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
  },
});
const url = await simulator.listen(environment.PORT, environment.HOST);
log('info', 'listening', {
  url,
  manifests: [`${url}/example/$bulk-publish`, `${url}/sverige/$bulk-publish`],
});

let stopping = false;
function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  log('info', 'shutting down', { signal });
  simulator.close().then(
    // Buffered telemetry last, so the final spans are exported too.
    () => shutdownTelemetry().finally(() => process.exit(0)),
    (error: unknown) => {
      log('error', 'shutdown failed', { error: String(error) });
      process.exit(1);
    },
  );
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
