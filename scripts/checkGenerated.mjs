// CI: regenerates every committed generated file (supergraph, codegen outputs, the providers'
// clients generated from their vendors' OpenAPI documents) and fails when anything differs from
// what is committed.
import { spawnSync } from 'node:child_process';

const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run('npm', ['run', '--silent', 'compose']);
run('npm', ['run', '--silent', 'codegen']);
run('npm', ['run', '--silent', 'generate:clients']);
const diff = spawnSync('git', ['status', '--porcelain', '--', 'schema', '**/__generated__/**'], {
  encoding: 'utf8',
});
if (diff.stdout.trim()) {
  process.stderr.write(
    `Generated files are stale; run \`npm run compose && npm run codegen && npm run generate:clients\` and commit:\n${diff.stdout}`,
  );
  process.exit(1);
}
process.stdout.write('Generated files are up to date.\n');
