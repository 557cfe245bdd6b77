import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectionsVariable, loadProviderEnvironment } from '@booking/provider-kit';
import type { Reporter, TestModule } from 'vitest/node';
import { startVitest } from 'vitest/node';
import { loadProviderDefinition } from './loadProviderDefinition.js';
import {
  type CertificationSummary,
  type CheckOutcome,
  certified,
  renderCertificationReport,
} from './renderCertificationReport.js';

export interface CertificationOptions {
  /** The provider system, e.g. `cliniq`. */
  system: string;
  /** One `<SYSTEM>_CONNECTIONS` entry, as JSON. It holds secrets: none of it is echoed. */
  connection: string;
  /** Also run the checks that book and cancel: only against a vendor's test system. Default: false. */
  sandbox?: boolean;
  /** Where `certification.md` and `certification.junit.xml` are written. */
  outDir: string;
  /** The provider's deadline per call, in ms. Default: 5000. */
  deadlineMs?: number;
  /** Where the provider's own settings variables (`<SYSTEM>_…`) are read. Default: `process.env`. */
  env?: Record<string, string | undefined>;
}

export interface CertificationResult {
  /** Every check passed or was skipped, and at least one passed. */
  certified: boolean;
  summary: CertificationSummary;
  markdownPath: string;
  junitPath: string;
}

/** The connection or the options are wrong: nothing was run. */
export class CertificationInputError extends Error {
  override name = 'CertificationInputError';
}

const runFile = fileURLToPath(new URL('./certification.run.ts', import.meta.url));
const require = createRequire(import.meta.url);

/**
 * Every string of the entry but its `id` and `name`: API keys, tokens, passwords, and URLs that
 * may carry credentials. The reports never contain any of them.
 */
function secretsOf(value: unknown, key = ''): string[] {
  if (typeof value === 'string')
    return key === 'id' || key === 'name' || value.length < 4 ? [] : [value];
  if (Array.isArray(value)) return value.flatMap((item) => secretsOf(item));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => secretsOf(v, k));
  }
  return [];
}

/** Swedish personal identity numbers (12 or 10 digits, with or without the separator). */
const personalIdentityNumber = /\b(?:19|20)?\d{6}[-+]?\d{4}\b/g;

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret containing another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('[redacted]');
    // The JUnit file escapes what it quotes.
    const escaped = secret
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;');
    if (escaped !== secret) out = out.split(escaped).join('[redacted]');
  }
  return out.replace(personalIdentityNumber, '[personal identity number]');
}

/** Collects each check's outcome for the Markdown report. */
class OutcomeReporter implements Reporter {
  checks: CheckOutcome[] = [];
  errors: string[] = [];

  onTestRunEnd(
    modules: ReadonlyArray<TestModule>,
    errors: ReadonlyArray<{ message?: string }>,
  ): void {
    for (const error of errors) this.errors.push(error.message ?? String(error));
    for (const module of modules) {
      for (const error of module.errors()) this.errors.push(error.message ?? String(error));
      for (const test of module.children.allTests()) {
        const result = test.result();
        const state =
          result.state === 'passed' || result.state === 'failed' ? result.state : 'skipped';
        const message = result.errors?.map((e) => e.message).join('\n') ?? '';
        this.checks.push({
          // Without the suite's top level ("provider contract: cliniq"), which the title says.
          name: test.fullName.split(' > ').slice(1).join(' › '),
          state,
          durationMs: test.diagnostic()?.duration ?? 0,
          note:
            state === 'skipped'
              ? (result.state === 'skipped' && result.note) || 'not run'
              : state === 'failed'
                ? (message.split('\n')[0] ?? '')
                : '',
          ...(state === 'failed' && { details: message }),
        });
      }
    }
  }
}

/**
 * Runs the provider contract kit against a live system through the provider's own subgraph,
 * built from one connection entry: the read-only checks, and with `sandbox` the booking checks.
 * Writes a Markdown and a JUnit XML report, neither with the entry's secrets.
 */
export async function certifyProvider(options: CertificationOptions): Promise<CertificationResult> {
  const { system } = options;
  let entry: unknown;
  try {
    entry = JSON.parse(options.connection);
  } catch {
    throw new CertificationInputError('--connection is not JSON (one <SYSTEM>_CONNECTIONS entry)');
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new CertificationInputError('--connection must be one entry: a JSON object');
  }
  const definition = await loadProviderDefinition(system).catch((error: Error) => {
    throw new CertificationInputError(error.message);
  });
  const variable = connectionsVariable(system);
  const prefix = `${system.toUpperCase().replaceAll('-', '_')}_`;
  const environment: Record<string, string> = { NODE_ENV: 'development' };
  for (const [key, value] of Object.entries(options.env ?? process.env)) {
    if (key.startsWith(prefix) && key !== variable && value !== undefined) environment[key] = value;
  }
  environment[variable] = JSON.stringify([entry]);
  let connectionId: string;
  let connectionName: string;
  try {
    const loaded = loadProviderEnvironment(definition, environment);
    connectionId = loaded.connections[0]!.id;
    connectionName = loaded.connections[0]!.name;
  } catch (error) {
    // Its problems name fields and rules, never values.
    throw new CertificationInputError(error instanceof Error ? error.message : String(error));
  }

  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  const markdownPath = join(outDir, 'certification.md');
  const junitPath = join(outDir, 'certification.junit.xml');
  const outcomes = new OutcomeReporter();
  const startedAt = new Date();
  const vitest = await startVitest(
    'test',
    [],
    {
      config: false,
      root: dirname(runFile),
      include: ['certification.run.ts'],
      watch: false,
      reporters: [
        'default',
        outcomes,
        ['junit', { suiteName: `provider certification: ${system}` }],
      ],
      outputFile: { junit: junitPath },
      provide: {
        certification: {
          system,
          environment,
          sandbox: options.sandbox ?? false,
          deadlineMs: options.deadlineMs ?? 5000,
        },
      },
      testTimeout: 60_000,
      hookTimeout: 90_000,
    },
    {
      // As the repository's own Vitest config: workspace packages from source, one graphql.
      resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
      ssr: { resolve: { conditions: ['source', 'node', 'development|production'] } },
    },
  );
  await vitest.close();
  // Vitest marks the process failed on a failing check; the caller decides the exit code.
  process.exitCode = undefined;

  const summary: CertificationSummary = {
    system,
    connectionId,
    connectionName,
    sandbox: options.sandbox ?? false,
    startedAt,
    checks: outcomes.checks,
    errors: outcomes.errors,
  };
  const secrets = secretsOf(entry);
  await writeFile(markdownPath, redact(renderCertificationReport(summary), secrets));
  const junit = await readFile(junitPath, 'utf8').catch(() => '');
  await writeFile(junitPath, redact(junit, secrets));
  return { certified: certified(summary), summary, markdownPath, junitPath };
}
