import { shutdownTelemetry } from '@booking/telemetry';
import { ConfigurationError, type Environment, parseEnvironment } from './environment.js';
import { createRivtaSimulator } from './server.js';

function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}) {
  const line = JSON.stringify({ level, service: 'simulator-rivta', msg, ...fields });
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

const simulator = createRivtaSimulator({
  standardsDir: environment.standardsDir,
  latencyMs: environment.RIVTA_LATENCY_MS,
  responseDelayMs: environment.RIVTA_RESPONSE_DELAY_MS,
  faultRate: environment.RIVTA_FAULT_RATE,
  daysAhead: environment.RIVTA_DAYS_AHEAD,
  cancelCutoffMinutes: environment.RIVTA_CANCEL_CUTOFF_MINUTES,
  bookingLeadMinutes: environment.RIVTA_BOOKING_LEAD_MINUTES,
  otherPatientsShare: environment.RIVTA_OTHER_PATIENTS_SHARE,
  logger: {
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
  },
});
const url = await simulator.listen(environment.PORT, environment.HOST);
log('info', 'listening', { url, standardsDir: environment.standardsDir });

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
