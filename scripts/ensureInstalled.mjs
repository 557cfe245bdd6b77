// Runs before `npm start`, `npm test` and the repository's other commands (`new-provider`, `provider:cost`, …):
// installs dependencies on a fresh clone.
// Node built-ins only, because nothing else is installed yet when it runs.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const lock = 'package-lock.json';
const marker = 'node_modules/.package-lock.json';

const missing = !existsSync(marker);
const stale = !missing && statSync(lock).mtimeMs > statSync(marker).mtimeMs;
if (missing || stale) {
  process.stdout.write(`${missing ? 'Installing' : 'Updating'} dependencies (npm ci)…\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
