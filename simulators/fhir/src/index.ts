import { shutdownTelemetry } from '@booking/telemetry';
import { ConfigurationError, type Environment, parseEnvironment } from './environment.js';
import { createFhirSimulator, fhirBasePath } from './server.js';

function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}) {
  const line = JSON.stringify({ level, service: 'simulator-fhir', msg, ...fields });
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

const simulator = createFhirSimulator({
  latencyMs: environment.FHIR_LATENCY_MS,
  responseDelayMs: environment.FHIR_RESPONSE_DELAY_MS,
  faultRate: environment.FHIR_FAULT_RATE,
  // Unset: each location's own booking horizon.
  daysAhead: environment.FHIR_DAYS_AHEAD,
  seed: environment.FHIR_SEED,
  maxPageSize: environment.FHIR_MAX_PAGE_SIZE,
  ...(environment.FHIR_ACCESS_TOKEN && { accessToken: environment.FHIR_ACCESS_TOKEN }),
  logger: {
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
  },
});
const url = await simulator.listen(environment.PORT, environment.HOST);
log('info', 'listening', {
  url,
  fhirBase: `${url}${fhirBasePath}`,
  daysAhead: environment.FHIR_DAYS_AHEAD ?? 'per location',
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
