import { isSpanContextValid, trace } from '@opentelemetry/api';
import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths whose values are replaced before a log line is written. Patient identity, names and
 * contact details must never reach a log, wherever they appear in a logged object.
 */
export const redactedPaths: readonly string[] = [
  '*.personalIdentityNumber',
  '*.*.personalIdentityNumber',
  '*.patient',
  '*.*.patient',
  'patient',
  '*.givenName',
  '*.familyName',
  '*.email',
  '*.phone',
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers["x-api-key"]',
];

export interface LoggerOptions {
  /** Service name written as `service` on every line. */
  service: string;
  /** Minimum level. Default: `info`. */
  level?: string;
  /** Destination stream. Default: standard output. */
  destination?: pino.DestinationStream;
}

/** The trace a line was written in (OpenTelemetry's active span), to find its trace from a log. */
function traceFields(): { trace_id?: string; span_id?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  return context && isSpanContextValid(context)
    ? { trace_id: context.traceId, span_id: context.spanId }
    : {};
}

/**
 * Structured JSON logger (pino) with the platform's redaction rules. A line written while a
 * traced request is handled carries its `trace_id` and `span_id`.
 */
export function createLogger({ service, level = 'info', destination }: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    mixin: traceFields,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...redactedPaths], censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}
