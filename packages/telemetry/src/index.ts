import type { Telemetry, TelemetryOptions } from './createTelemetry.js';

export type { Telemetry, TelemetryOptions } from './createTelemetry.js';
export {
  type OtlpProtocol,
  type SignalExporter,
  type TelemetrySettings,
  telemetrySettings,
} from './telemetrySettings.js';
export { formatTraceparent, parseTraceparent } from './traceparent.js';

let running: Telemetry | undefined;

/**
 * Starts OpenTelemetry for this process (see `createTelemetry`). The SDK is loaded only here, so
 * a service that never starts telemetry never loads it.
 */
export async function startTelemetry(options: TelemetryOptions = {}): Promise<Telemetry> {
  if (running) throw new Error('telemetry is already running in this process');
  const { createTelemetry } = await import('./createTelemetry.js');
  running = createTelemetry(options);
  return running;
}

/**
 * Exports what is still buffered and stops telemetry; nothing when it is not running. Services
 * call it last on shutdown, so the spans and metrics of their final seconds are not lost.
 */
export async function shutdownTelemetry(): Promise<void> {
  const stopping = running;
  running = undefined;
  await stopping?.shutdown();
}
