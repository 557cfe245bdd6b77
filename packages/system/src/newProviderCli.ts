import { spawnSync } from 'node:child_process';
import { repoRoot } from './composeSupergraph.js';
import { providers } from './registry.js';
import { providerNames, scaffoldProvider } from './scaffoldProvider.js';

// `npm run new-provider -- <name>`: a provider subgraph and simulator skeleton, registered,
// installed and composed into the supergraph. See docs/adding-a-provider.md.
const name = process.argv[2];
if (!name) {
  process.stderr.write('usage: npm run new-provider -- <name>\n');
  process.exit(2);
}
try {
  const names = providerNames(name);
  const ports = {
    subgraph: Math.max(...providers.map((p) => p.subgraph.port)) + 1,
    simulator: Math.max(...providers.map((p) => p.simulator.port)) + 1,
  };
  const written = scaffoldProvider(repoRoot, names, ports);
  process.stdout.write(
    `wrote\n${written.map((dir) => `  ${dir}`).join('\n')}\nregistered provider-${name} (port ${ports.subgraph}) and simulator-${name} (port ${ports.simulator})\n`,
  );
  // Names change line lengths and import order: the written files are formatted as the house's.
  const formatted = [...written, 'packages/system/src/registry.ts', 'packages/system/package.json'];
  process.stdout.write(
    'added both to docker-compose.yml, terraform/modules/platform and terraform/global\n',
  );
  for (const [command, args] of [
    ['npx', ['biome', 'check', '--write', ...formatted]],
    ['npm', ['install', '--no-audit', '--no-fund']],
    ['npm', ['run', '--silent', 'compose']],
    ['npm', ['run', '--silent', 'provider:cost', '--', '--write']],
  ] as const) {
    const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
  process.stdout.write(
    `\nNext: reshape simulators/${name} into the vendor's protocol, then the client and mapping in subgraphs/provider-${name}; run\n  npx vitest run subgraphs/provider-${name}\n`,
  );
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
