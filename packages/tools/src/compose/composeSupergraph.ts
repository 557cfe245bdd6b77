import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { providers, scheduling } from '../registry.js';

/** The repository root, from this file in `packages/tools/{src,dist}/compose`. */
export const repoRoot = new URL('../../../../', import.meta.url).pathname;

/** Where the committed supergraph lives. */
export const supergraphPath = join(repoRoot, 'schema', 'supergraph.graphql');

/** The subgraphs of the supergraph with their SDL and default URL. */
export function subgraphDefinitions() {
  const read = (path: string) => parse(readFileSync(join(repoRoot, path), 'utf8'));
  const contract = read('schema/provider-contract.graphql');
  return [
    {
      name: scheduling.name,
      url: `http://127.0.0.1:${scheduling.port}/graphql`,
      typeDefs: read(`${scheduling.dir}/schema.graphql`),
    },
    // Provider subgraphs serve the contract and nothing else.
    ...providers.map(({ subgraph }) => ({
      name: subgraph.name,
      url: `http://127.0.0.1:${subgraph.port}/graphql`,
      typeDefs: contract,
    })),
  ];
}

/** Composes the supergraph in code; throws with every composition error when it does not compose. */
export function composeSupergraph(): string {
  const result = composeServices(subgraphDefinitions());
  if (result.errors) {
    throw new Error(
      `composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`,
    );
  }
  return `${result.supergraphSdl.trimEnd()}\n`;
}
