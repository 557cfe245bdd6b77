import { readFileSync } from 'node:fs';
import { type DocumentNode, parse } from 'graphql';

/** Where the provider contract lives: `schema/provider-contract.graphql` at the repository root. */
export const contractSchemaPath = new URL(
  '../../../schema/provider-contract.graphql',
  import.meta.url,
);

/** The provider contract SDL, the schema every provider subgraph serves. */
export const contractTypeDefs: DocumentNode = parse(readFileSync(contractSchemaPath, 'utf8'));
