import { mkdtempSync, readFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/composeSupergraph.js';
import {
  addRegistryEntry,
  providerNames,
  renderTemplate,
  scaffoldProvider,
} from '../src/scaffoldProvider.js';

const ports = { subgraph: 4014, simulator: 4105 };

describe('the new-provider scaffold', () => {
  it('accepts simple lower-case names only', () => {
    expect(providerNames('acme')).toEqual({ name: 'acme', pascal: 'Acme', constant: 'ACME' });
    for (const bad of ['Acme', 'a', '1abc', 'ac-me', 'x'.repeat(31)])
      expect(() => providerNames(bad)).toThrow();
  });

  it('fills every placeholder', () => {
    const text = renderTemplate(
      'create__Name__Adapter __name__ __NAME___CONNECTIONS 49001 49002',
      providerNames('acme'),
      ports,
    );
    expect(text).toBe('createAcmeAdapter acme ACME_CONNECTIONS 4014 4105');
  });

  it('adds one registry entry above the marker, and refuses a second', () => {
    const registry = readFileSync(join(repoRoot, 'packages/system/src/registry.ts'), 'utf8');
    const added = addRegistryEntry(registry, providerNames('acme'), ports);
    expect(added).toContain(
      "subgraph: { name: 'provider-acme', dir: 'subgraphs/provider-acme', port: 4014 }",
    );
    expect(added).toContain(
      "import { simulatorConnections as acme } from '@booking/provider-acme';",
    );
    expect(added).toContain('ACME_CONNECTIONS: JSON.stringify(acme(url))');
    expect(added.indexOf('provider-acme')).toBeLessThan(
      added.indexOf('new-provider: entries are added above'),
    );
    expect(() => addRegistryEntry(added, providerNames('acme'), ports)).toThrow(
      /registered already/,
    );
  });

  it('writes a subgraph and simulator without placeholders into a copy of the repository', async () => {
    const root = mkdtempSync(join(tmpdir(), 'scaffold-'));
    await cp(join(repoRoot, 'packages/system'), join(root, 'packages/system'), {
      recursive: true,
      filter: (source) => !source.includes('node_modules') && !source.includes('/dist'),
    });
    const [subgraph, simulator] = scaffoldProvider(root, providerNames('acme'), ports);
    const provider = readFileSync(join(subgraph!, 'src/provider.ts'), 'utf8');
    expect(provider).toContain("system: 'acme'");
    const pkg = JSON.parse(readFileSync(join(simulator!, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('@booking/simulator-acme');
    for (const file of [
      'src/provider.ts',
      'src/index.ts',
      'test/acmeUnderTest.ts',
      'test/contract.int.test.ts',
    ]) {
      expect(readFileSync(join(subgraph!, file), 'utf8')).not.toMatch(/__\w+__|4900[12]/);
    }
    expect(readFileSync(join(root, 'packages/system/src/registry.ts'), 'utf8')).toContain(
      'provider-acme',
    );
    expect(() => scaffoldProvider(root, providerNames('acme'), ports)).toThrow(/exists already/);
  });
});
