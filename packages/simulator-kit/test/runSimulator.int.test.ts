import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/delayingSimulator.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const started: ChildProcess[] = [];

type LogLine = Record<string, unknown>;

/**
 * Runs the fixture simulator in its own process, as `node dist/index.js` runs a real one, and
 * collects its log lines.
 */
function startFixture(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fixture], {
    cwd: packageDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  const lines = { stdout: [] as LogLine[], stderr: [] as LogLine[] };
  const lineRead = new EventEmitter();
  for (const name of ['stdout', 'stderr'] as const) {
    createInterface({ input: child[name] }).on('line', (line) => {
      lines[name].push(JSON.parse(line) as LogLine);
      lineRead.emit('line');
    });
  }
  // `close`, not `exit`: once its output is read to the end.
  let ended = false;
  const closed = once(child, 'close').then(([code]) => {
    ended = true;
    return code as number | null;
  });
  /** The first stdout line with `msg`, once logged; rejects if the process ends without it. */
  async function logged(msg: string): Promise<LogLine> {
    for (;;) {
      const entry = lines.stdout.find((line) => line.msg === msg);
      if (entry) return entry;
      if (ended) throw new Error(`ended without logging ${msg}`);
      await Promise.race([once(lineRead, 'line'), closed]);
    }
  }
  return { child, lines, closed, logged };
}

/** A GET on its own connection (`Connection: close`), so that nothing stays open after it. */
function get(url: string) {
  return new Promise<number | undefined>((resolve, reject) => {
    http.get(url, { agent: false }, (response) => resolve(response.statusCode)).on('error', reject);
  });
}

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('runSimulator', () => {
  it('exits 1 on a configuration error, logging every problem as one JSON line', async () => {
    const { lines, closed } = startFixture({ PORT: 'x', TEST_DELAY_MS: '-1' });
    expect(await closed).toBe(1);
    expect(lines.stdout).toEqual([]);
    expect(lines.stderr).toEqual([
      {
        level: 'error',
        service: 'simulator-test',
        msg: 'invalid configuration',
        problems: [expect.stringMatching(/^PORT: /), expect.stringMatching(/^TEST_DELAY_MS: /)],
      },
    ]);
  });

  it('logs listening, then on SIGTERM answers the request in flight and exits 0', async () => {
    const { child, lines, closed, logged } = startFixture({ PORT: '0', TEST_DELAY_MS: '300' });
    const listening = await logged('listening');
    expect(listening).toEqual({
      level: 'info',
      service: 'simulator-test',
      msg: 'listening',
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      delayMs: 300,
    });
    const answered = get(String(listening.url));
    await logged('request');
    child.kill('SIGTERM');
    expect(await answered).toBe(204);
    expect(await closed).toBe(0);
    expect(lines.stdout.map((entry) => entry.msg)).toEqual([
      'listening',
      'request',
      'shutting down',
    ]);
    expect(lines.stdout.at(-1)).toEqual({
      level: 'info',
      service: 'simulator-test',
      msg: 'shutting down',
      signal: 'SIGTERM',
    });
    expect(lines.stderr).toEqual([]);
  });
});
