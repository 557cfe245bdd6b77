import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../compose/composeSupergraph.js';
import { generateOpenApiClient, readOpenApiInputs } from './generateOpenApiClient.js';

// `npm run generate:clients`: regenerates the client of every provider subgraph that records its
// vendor's OpenAPI document and operations (`openapi` in its package.json). Run by
// `npm run check:generated`, which then fails when a committed client differs.
const subgraphs = join(repoRoot, 'subgraphs');
for (const entry of readdirSync(subgraphs, { withFileTypes: true })) {
  if (!entry.isDirectory()) continue;
  const dir = join(subgraphs, entry.name);
  const inputs = readOpenApiInputs(dir);
  if (!inputs) continue;
  const { operations } = await generateOpenApiClient(repoRoot, dir, inputs);
  process.stdout.write(`${entry.name}: ${operations.length} operations of ${inputs.document}\n`);
}
