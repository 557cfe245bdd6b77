import { shutdownTelemetry } from '@booking/telemetry';
import type { Logger } from 'pino';
import { ConfigurationError } from './environment.js';

/**
 * Runs a service's `start` function as the process's main program: exits non-zero on a start-up
 * failure (printing configuration problems plainly), and calls the returned `stop` once on
 * SIGTERM or SIGINT so in-flight requests drain (and buffered telemetry is exported) before the
 * process exits.
 */
export async function runService(
  name: string,
  start: () => Promise<{ stop: () => Promise<void>; logger: Logger }>,
): Promise<void> {
  let running: Awaited<ReturnType<typeof start>>;
  try {
    running = await start();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`${name} failed to start: ${(error as Error).stack ?? error}\n`);
    }
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.logger.info({ signal }, `${name} shutting down`);
    // Telemetry last, so that the spans and metrics of the shutdown itself are exported too.
    const exit = (code: number) =>
      shutdownTelemetry()
        .catch(() => undefined)
        .then(() => process.exit(code));
    running.stop().then(
      () => exit(0),
      (error: unknown) => {
        running.logger.error({ err: error }, `${name} shutdown failed`);
        return exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
