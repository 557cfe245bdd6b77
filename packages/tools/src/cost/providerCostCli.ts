import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../compose/composeSupergraph.js';
import { costTable, registeredProviderCosts, withCostTable } from './providerCost.js';

// `npm run provider:cost [-- --write]`: what each provider cost to onboard, as hand-written code
// lines of its subgraph's `src/` by role (tests, simulators and generated code excluded). With
// `--write`, the README's provider-cost table is written from it.
const table = costTable(registeredProviderCosts(repoRoot));
process.stdout.write(`${table}\n`);
if (process.argv.includes('--write')) {
  const path = join(repoRoot, 'README.md');
  writeFileSync(path, withCostTable(readFileSync(path, 'utf8'), table));
  process.stdout.write('README.md updated.\n');
}
