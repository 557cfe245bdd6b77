import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliniqSimulator, createCliniqSimulator } from '@booking/simulator-cliniq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../src/compose/composeSupergraph.js';

const apiKey = 'dev-key-nordklinik';
let simulator: CliniqSimulator;
let entry: string;

/** Runs `npm run provider:certify` as an onboarding engineer would; bounded. */
function certify(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=source',
        'packages/tools/src/certify/certifyCli.ts',
        ...args,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const read = (dir: string) => ({
  markdown: readFileSync(join(dir, 'certification.md'), 'utf8'),
  junit: readFileSync(join(dir, 'certification.junit.xml'), 'utf8'),
});

beforeAll(async () => {
  // The vendor's "live" system: Cliniq's simulator on a free port, with the real clock.
  simulator = createCliniqSimulator({ rateLimitPerSecond: 10_000 });
  const url = await simulator.listen(0);
  entry = JSON.stringify({
    id: 'nordklinik',
    name: 'Nordklinik',
    baseUrl: `${url}/t/nordklinik/api/v1`,
    apiKey,
  });
});
afterAll(async () => {
  await simulator?.close();
});

describe('npm run provider:certify', () => {
  it('certifies a connection read-only: exit 0, the checks in Markdown and JUnit, bookings skipped, no secret', async () => {
    const out = mkdtempSync(join(tmpdir(), 'certify-'));
    const run = await certify(['cliniq', '--connection', entry, '--out', out]);
    expect(run.code, run.output).toBe(0);
    const { markdown, junit } = read(out);
    expect(markdown).toMatch(/\| Result \| \*\*PASSED\*\*: \d+ passed, 0 failed/);
    expect(markdown).toContain('| find › returns slots in [from, to)');
    expect(markdown).toMatch(
      /books idempotently .* \| skipped \| +\| cliniq: read-only certification/,
    );
    expect(junit).toMatch(
      /<testsuites name="provider certification: cliniq" tests="\d+" failures="0"/,
    );
    // Nothing was booked without --sandbox.
    const bookings = simulator.state.tenants.get('nordklinik')!.snapshot().bookings;
    expect(bookings.filter((b) => b.origin === 'api')).toEqual([]);
    for (const text of [markdown, junit, run.output]) {
      expect(text).not.toContain(apiKey);
      expect(text).not.toContain('/t/nordklinik/api/v1');
    }
  });

  it('runs the booking checks with --sandbox', async () => {
    const out = mkdtempSync(join(tmpdir(), 'certify-'));
    const run = await certify(['cliniq', '--connection', entry, '--sandbox', '--out', out]);
    expect(run.code, run.output).toBe(0);
    const { markdown } = read(out);
    expect(markdown).toMatch(/books idempotently [^|]*\| passed \|/);
    expect(markdown).toMatch(/race › lets exactly one [^|]*\| passed \|/);
    expect(markdown).not.toContain('199001010017');
  });

  it('exits 1 and names the failing checks when the system fails them', async () => {
    const down = await fetch(`${simulator.url}/_admin/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenants: { nordklinik: { down: true } } }),
    });
    expect(down.status).toBe(200);
    try {
      const out = mkdtempSync(join(tmpdir(), 'certify-'));
      const run = await certify(['cliniq', '--connection', entry, '--out', out]);
      expect(run.code, run.output).toBe(1);
      const { markdown, junit } = read(out);
      expect(markdown).toMatch(/\| Result \| \*\*FAILED\*\*/);
      expect(markdown).toMatch(/## Failures[\s\S]*answered 503/);
      expect(junit).toMatch(/failures="[1-9]/);
      expect(markdown + junit).not.toContain(apiKey);
    } finally {
      await fetch(`${simulator.url}/_admin/reset`, { method: 'POST' });
    }
  });

  it('exits 2 without running anything for a connection that is not valid', async () => {
    const out = mkdtempSync(join(tmpdir(), 'certify-'));
    const run = await certify([
      'cliniq',
      '--connection',
      '{"id":"x","apiKey":"s3cr3t-value"}',
      '--out',
      out,
    ]);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/CLINIQ_CONNECTIONS/);
    expect(run.output).not.toContain('s3cr3t-value');
    expect((await certify(['nosuchvendor', '--connection', entry])).code).toBe(2);
  });
});
