import { readFileSync, writeFileSync } from 'node:fs';
import { composeSupergraph, supergraphPath } from './composeSupergraph.js';

// `npm run compose` writes schema/supergraph.graphql; with `--check` it only fails when stale.
const supergraph = composeSupergraph();
const current = (() => {
  try {
    return readFileSync(supergraphPath, 'utf8');
  } catch {
    return '';
  }
})();
if (process.argv.includes('--check')) {
  if (current !== supergraph) {
    process.stderr.write(
      'schema/supergraph.graphql is stale: run `npm run compose` and commit it\n',
    );
    process.exit(1);
  }
  process.stdout.write('schema/supergraph.graphql is up to date\n');
} else {
  writeFileSync(supergraphPath, supergraph);
  process.stdout.write(`wrote ${supergraphPath}\n`);
}
