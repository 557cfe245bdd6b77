import { ConfigurationError } from '@booking/server-kit/environment';
import { shutdownTelemetry } from '@booking/telemetry';

/**
 * Writes one JSON line, `{level, service, msg, ...fields}`: information to stdout, warnings and
 * errors to stderr. One object per line, so that log collectors and scripts parse it (FHIR's
 * `measureSearch` waits for `msg: "listening"` and reads its `url`).
 */
export function log(
  service: string,
  level: 'info' | 'warn' | 'error',
  msg: string,
  fields: Record<string, unknown> = {},
): void {
  const line = JSON.stringify({ level, service, msg, ...fields });
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
}

/** Where a simulator reports what it does to requests: every simulator's `logger` option. */
export interface SimulatorLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/** A simulator once it listens, as `runSimulator`'s `start` gives it back. */
export interface RunningSimulator {
  /** Its base URL, logged in the `listening` line. */
  url: string;
  /** More fields of the `listening` line: where its API is, what it was told. */
  details?: Record<string, unknown>;
  /** Stops accepting requests and resolves once those in flight are answered. */
  close(): Promise<void>;
}

/**
 * A simulator's whole entry point (`src/index.ts`): `start` parses the environment and listens.
 * A `ConfigurationError` exits 1 with every problem logged; SIGTERM or SIGINT closes the simulator
 * so requests in flight drain, then exports buffered telemetry, then exits.
 */
export async function runSimulator(
  service: string,
  start: (logger: SimulatorLogger) => Promise<RunningSimulator>,
): Promise<void> {
  let simulator: RunningSimulator;
  try {
    simulator = await start({
      info: (msg, fields) => log(service, 'info', msg, fields),
      warn: (msg, fields) => log(service, 'warn', msg, fields),
    });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    log(service, 'error', 'invalid configuration', { problems: error.problems });
    process.exit(1);
  }
  log(service, 'info', 'listening', { url: simulator.url, ...simulator.details });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(service, 'info', 'shutting down', { signal });
    simulator.close().then(
      // Buffered telemetry last, so the final spans are exported too.
      () => shutdownTelemetry().finally(() => process.exit(0)),
      (error: unknown) => {
        log(service, 'error', 'shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
