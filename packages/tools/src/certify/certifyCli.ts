import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CertificationInputError, certifyProvider } from './certifyProvider.js';

// `npm run provider:certify -- <provider> --connection <json|@file> [--sandbox] [--out <dir>]`:
// the contract kit's checks against a vendor's live system, reported as Markdown and JUnit XML.
// Exit 0: certified; 1: a check failed; 2: wrong arguments or connection (nothing was run).
const usage =
  'usage: npm run provider:certify -- <provider> --connection <json|@file> [--sandbox] [--out <dir>] [--deadline-ms <ms>]';

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [system] = positionals;
  if (!system || positionals.length > 1 || !values.connection) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const deadlineMs =
    values['deadline-ms'] === undefined ? undefined : Number(values['deadline-ms']);
  if (deadlineMs !== undefined && !(Number.isInteger(deadlineMs) && deadlineMs > 0)) {
    process.stderr.write(`--deadline-ms must be a positive whole number\n${usage}\n`);
    return 2;
  }
  try {
    // `@file` keeps the connection's secrets out of the shell's history.
    const connection = values.connection.startsWith('@')
      ? readFileSync(values.connection.slice(1), 'utf8')
      : values.connection;
    const result = await certifyProvider({
      system,
      connection,
      sandbox: values.sandbox ?? false,
      outDir: values.out ?? `certification/${system}`,
      ...(deadlineMs !== undefined && { deadlineMs }),
    });
    const counts = ['passed', 'failed', 'skipped'].map(
      (state) => `${result.summary.checks.filter((c) => c.state === state).length} ${state}`,
    );
    process.stdout.write(
      `\n${system} ${result.summary.connectionId}: ${result.certified ? 'CERTIFIED' : 'NOT CERTIFIED'} (${counts.join(', ')})\n` +
        `  ${result.markdownPath}\n  ${result.junitPath}\n`,
    );
    return result.certified ? 0 : 1;
  } catch (error) {
    if (
      !(error instanceof CertificationInputError) &&
      (error as NodeJS.ErrnoException).code !== 'ENOENT'
    )
      throw error;
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
}

function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      connection: { type: 'string' },
      sandbox: { type: 'boolean' },
      out: { type: 'string' },
      'deadline-ms': { type: 'string' },
    },
  });
}

process.exitCode = await main();
