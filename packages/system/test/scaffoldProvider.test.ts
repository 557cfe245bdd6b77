import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readComposeFile } from '../../../test/deploy/checkCompose.js';
import {
  checkTerraform,
  readTerraform,
  terraformExpectations,
} from '../../../test/deploy/checkTerraform.js';
import { repoRoot } from '../src/composeSupergraph.js';
import { scaffoldDeployment } from '../src/scaffoldDeployment.js';
import {
  addRegistryEntry,
  providerNames,
  renderTemplate,
  scaffoldProvider,
} from '../src/scaffoldProvider.js';

const ports = { subgraph: 4090, simulator: 4190 };

describe('the new-provider scaffold', () => {
  it('accepts simple lower-case names only', () => {
    expect(providerNames('zyxvendor')).toEqual({
      name: 'zyxvendor',
      pascal: 'Zyxvendor',
      constant: 'ZYXVENDOR',
    });
    for (const bad of ['Zyxvendor', 'a', '1abc', 'ac-me', 'x'.repeat(31)])
      expect(() => providerNames(bad)).toThrow();
  });

  it('fills every placeholder', () => {
    const text = renderTemplate(
      'create__Name__Adapter __name__ __NAME___CONNECTIONS 49001 49002',
      providerNames('zyxvendor'),
      ports,
    );
    expect(text).toBe('createZyxvendorAdapter zyxvendor ZYXVENDOR_CONNECTIONS 4090 4190');
  });

  it('adds one registry entry above the marker, and refuses a second', () => {
    const registry = readFileSync(join(repoRoot, 'packages/system/src/registry.ts'), 'utf8');
    const added = addRegistryEntry(registry, providerNames('zyxvendor'), ports);
    expect(added).toContain(
      "subgraph: { name: 'provider-zyxvendor', dir: 'subgraphs/provider-zyxvendor', port: 4090 }",
    );
    expect(added).toContain(
      "import { simulatorConnections as zyxvendor } from '@booking/provider-zyxvendor';",
    );
    expect(added).toContain('ZYXVENDOR_CONNECTIONS: JSON.stringify(zyxvendor(url))');
    expect(added.indexOf('provider-zyxvendor')).toBeLessThan(
      added.indexOf('new-provider: entries are added above'),
    );
    expect(() => addRegistryEntry(added, providerNames('zyxvendor'), ports)).toThrow(
      /registered already/,
    );
  });

  it('writes a subgraph and simulator without placeholders into a copy of the repository', async () => {
    const root = mkdtempSync(join(tmpdir(), 'scaffold-'));
    await cp(join(repoRoot, 'packages/system'), join(root, 'packages/system'), {
      recursive: true,
      filter: (source) => !source.includes('node_modules') && !source.includes('/dist'),
    });
    await cp(join(repoRoot, 'terraform'), join(root, 'terraform'), {
      recursive: true,
      filter: (source) => !source.includes('/.terraform'),
    });
    await cp(join(repoRoot, 'docker-compose.yml'), join(root, 'docker-compose.yml'));
    const [subgraph, simulator] = scaffoldProvider(root, providerNames('zyxvendor'), ports);
    const provider = readFileSync(join(subgraph!, 'src/provider.ts'), 'utf8');
    expect(provider).toContain("system: 'zyxvendor'");
    const pkg = JSON.parse(readFileSync(join(simulator!, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('@booking/simulator-zyxvendor');
    for (const file of ['src/environment.ts', 'src/index.ts', 'src/server.ts']) {
      expect(readFileSync(join(simulator!, file), 'utf8')).not.toMatch(/__\w+__|4900[12]/);
    }
    for (const file of [
      'src/provider.ts',
      'src/index.ts',
      'test/zyxvendorUnderTest.ts',
      'test/contract.int.test.ts',
    ]) {
      expect(readFileSync(join(subgraph!, file), 'utf8')).not.toMatch(/__\w+__|4900[12]/);
    }
    expect(readFileSync(join(root, 'packages/system/src/registry.ts'), 'utf8')).toContain(
      'provider-zyxvendor',
    );
    expect(() => scaffoldProvider(root, providerNames('zyxvendor'), ports)).toThrow(
      /exists already/,
    );
  });

  it('adds the provider to docker-compose.yml and the Terraform configuration, which stay consistent', async () => {
    const root = mkdtempSync(join(tmpdir(), 'scaffold-'));
    await cp(join(repoRoot, 'terraform'), join(root, 'terraform'), {
      recursive: true,
      filter: (source) => !source.includes('/.terraform'),
    });
    await cp(join(repoRoot, 'docker-compose.yml'), join(root, 'docker-compose.yml'));
    scaffoldDeployment(root, providerNames('zyxvendor'), ports);

    const compose = readComposeFile(join(root, 'docker-compose.yml'));
    expect(compose.services['simulator-zyxvendor']?.build?.args).toEqual({
      SERVICE_DIR: 'simulators/zyxvendor',
      SERVICE_PORT: '4190',
    });
    const provider = compose.services['provider-zyxvendor']!;
    expect(provider.build?.args).toEqual({
      SERVICE_DIR: 'subgraphs/provider-zyxvendor',
      SERVICE_PORT: '4090',
    });
    expect(
      JSON.parse((provider.environment as Record<string, string>).ZYXVENDOR_CONNECTIONS!),
    ).toEqual([{ id: 'default', name: 'Zyxvendor', baseUrl: 'http://simulator-zyxvendor:4190/' }]);
    const env = (service: string, key: string) =>
      (compose.services[service]!.environment as Record<string, string>)[key]!;
    expect(env('scheduling', 'PROVIDER_SUBGRAPHS')).toContain(
      ',provider-zyxvendor=http://provider-zyxvendor:4090/graphql',
    );
    expect(env('gateway', 'SUBGRAPH_URLS')).toContain(
      ',provider-zyxvendor=http://provider-zyxvendor:4090/graphql',
    );

    // Every compose service, the two new ones included, has its module, port and image.
    const terraform = readTerraform(join(root, 'terraform'));
    expect(checkTerraform(terraform, terraformExpectations(compose))).toEqual([]);
    const services = readFileSync(join(root, 'terraform/modules/platform/services.tf'), 'utf8');
    expect(
      services.match(/provider-zyxvendor=\$\{module\.provider-zyxvendor\.url\}\/graphql/g),
    ).toHaveLength(2);
    const main = readFileSync(join(root, 'terraform/modules/platform/main.tf'), 'utf8');
    expect(main).toMatch(/provider-zyxvendor += \["ZYXVENDOR_CONNECTIONS"\]/);
  });

  it('writes Terraform as `terraform fmt` does (CI runs `terraform fmt -check`)', async (context) => {
    const installed = spawnSync('terraform', ['version']).status === 0;
    // CI installs it (.ci/run): a missing one there must fail, never skip.
    if (!installed && !process.env.CI) {
      context.skip(
        "terraform is not installed, so the scaffold's Terraform formatting was not checked. " +
          'Install Terraform (1.11 or later) and run npm test again.',
      );
    }
    const root = mkdtempSync(join(tmpdir(), 'scaffold-'));
    await cp(join(repoRoot, 'terraform'), join(root, 'terraform'), {
      recursive: true,
      filter: (source) => !source.includes('/.terraform'),
    });
    await cp(join(repoRoot, 'docker-compose.yml'), join(root, 'docker-compose.yml'));
    scaffoldDeployment(root, providerNames('reallylongvendorname'), ports);
    const fmt = spawnSync('terraform', ['fmt', '-check', '-recursive', join(root, 'terraform')], {
      encoding: 'utf8',
    });
    expect(fmt.stdout).toBe('');
    expect(fmt.status).toBe(0);
  });
});
