import { afterEach, describe, expect, it, vi } from 'vitest';
import { log } from '../src/runSimulator.js';

/** What `log` writes to each stream, one string per call. */
function captureStreams() {
  const written = { stdout: [] as string[], stderr: [] as string[] };
  for (const name of ['stdout', 'stderr'] as const) {
    vi.spyOn(process[name], 'write').mockImplementation((chunk) => {
      written[name].push(String(chunk));
      return true;
    });
  }
  return written;
}

const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as object);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('log', () => {
  it('writes one JSON line, level, service and msg first, then the fields', () => {
    const written = captureStreams();
    log('simulator-test', 'info', 'listening', { url: 'http://127.0.0.1:4199' });
    expect(written.stderr).toEqual([]);
    expect(written.stdout).toEqual([
      '{"level":"info","service":"simulator-test","msg":"listening","url":"http://127.0.0.1:4199"}\n',
    ]);
  });

  it('writes warnings and errors to stderr', () => {
    const written = captureStreams();
    log('simulator-test', 'warn', 'injected fault');
    log('simulator-test', 'error', 'invalid configuration', { problems: ['PORT: too big'] });
    expect(written.stdout).toEqual([]);
    expect(parsed(written.stderr)).toEqual([
      { level: 'warn', service: 'simulator-test', msg: 'injected fault' },
      {
        level: 'error',
        service: 'simulator-test',
        msg: 'invalid configuration',
        problems: ['PORT: too big'],
      },
    ]);
  });
});
