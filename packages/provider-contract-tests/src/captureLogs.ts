import { Writable } from 'node:stream';

/** What a service under test logged, to prove that patient data never reaches a log line. */
export interface CapturedLogs {
  /** Each write of the logger, in order: one JSON line each. */
  readonly lines: string[];
  /** The stream to hand the logger as its `destination`. */
  readonly destination: Writable;
}

/** A log destination that keeps every line in memory. */
export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}
