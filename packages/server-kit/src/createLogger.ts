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

/** Structured JSON logger (pino) with the platform's redaction rules. */
export function createLogger({ service, level = 'info', destination }: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...redactedPaths], censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}
