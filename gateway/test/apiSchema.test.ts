import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';

const supergraphSdl = readFileSync(
  new URL('../../schema/supergraph.graphql', import.meta.url),
  'utf8',
);
const contractSdl = readFileSync(
  new URL('../../schema/provider-contract.graphql', import.meta.url),
  'utf8',
);

describe('the public API schema', () => {
  const supergraph = Supergraph.build(supergraphSdl);
  const api = printSchema(supergraph.apiSchema().toGraphQLJSSchema());

  it('contains the provider contract in the supergraph, so composition checks it', () => {
    expect(supergraphSdl).toContain('contractSlots');
    expect(supergraphSdl).toContain('type ContractConnection');
  });

  it('hides every type and field of the provider contract', () => {
    const contractNames = [
      ...contractSdl.matchAll(/^\s*(?:type|enum|input)\s+(\w+)|^\s+(contract\w+)\(/gm),
    ]
      .map((m) => m[1] ?? m[2])
      .filter((name): name is string => Boolean(name) && name !== 'Query' && name !== 'Mutation');
    expect(contractNames.length).toBeGreaterThan(10);
    for (const name of contractNames) expect(api).not.toContain(name);
    expect(api).not.toMatch(/contract/i);
  });

  it('keeps the public names promised to Vården', () => {
    for (const field of [
      'providers:',
      'clinics(',
      'clinic(',
      'treatments:',
      'availability(',
      'slot(',
    ]) {
      expect(api).toContain(field);
    }
    expect(api).toContain('enum OutcomeStatus');
  });
});
