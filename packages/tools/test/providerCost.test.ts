import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/compose/composeSupergraph.js';
import {
  codeLines,
  costTable,
  registeredProviderCosts,
  roleOf,
  withCostTable,
} from '../src/cost/providerCost.js';
import { providers } from '../src/registry.js';

describe('the onboarding cost report', () => {
  it('gives each file of a provider its role by the shared layout', () => {
    expect(roleOf('client/createCliniqClient.ts')).toBe('client');
    expect(roleOf('client/schemas.ts')).toBe('client');
    expect(roleOf('mapping.ts')).toBe('mapping');
    expect(roleOf('createFhirAdapter.ts')).toBe('adapter');
    expect(roleOf('createCliniqScope.ts')).toBe('adapter');
    expect(roleOf('provider.ts')).toBe('configuration');
    expect(roleOf('index.ts')).toBe('configuration');
    expect(roleOf('createCatalogueCache.ts')).toBe('protocol');
  });

  it('counts code lines only: no blank lines, no comments', () => {
    const text = [
      '/**',
      ' * A doc comment',
      ' */',
      'const a = 1; // trailing comments count with their code',
      '',
      '// a line comment',
      '/* one-line block */',
      'export { a };',
    ].join('\n');
    expect(codeLines(text)).toBe(2);
  });

  it('is what the README shows (npm run provider:cost -- --write)', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const table = costTable(registeredProviderCosts(repoRoot));
    expect(table.split('\n')).toHaveLength(2 + providers.length);
    expect(withCostTable(readme, table)).toBe(readme);
  });
});
