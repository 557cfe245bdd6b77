import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readComposeFile } from '../../../e2e/deploy/checkCompose.js';
import {
  checkTerraform,
  readTerraform,
  terraformExpectations,
} from '../../../e2e/deploy/checkTerraform.js';
import { repoRoot } from '../src/compose/composeSupergraph.js';
import {
  generateOpenApiClient,
  reduceOpenApiDocument,
} from '../src/scaffold/generateOpenApiClient.js';
import { scaffoldDeployment } from '../src/scaffold/scaffoldDeployment.js';
import {
  addRegistryEntry,
  providerNames,
  renderTemplate,
  scaffoldProvider,
} from '../src/scaffold/scaffoldProvider.js';

const ports = { subgraph: 4090, simulator: 4190 };

/** A vendor's OpenAPI document in miniature: two operations to keep, one to leave out. */
const fixtureDocument = {
  openapi: '3.0.0',
  info: { title: 'Zyx', version: '1' },
  paths: {
    '/v1/slots': {
      get: {
        operationId: 'ListSlots',
        parameters: [{ name: 'from', in: 'query', required: true, schema: { type: 'string' } }],
        responses: {
          '200': {
            description: 'ok',
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/ListSlotsResponse' } },
            },
          },
        },
      },
    },
    '/v1/bookings/{booking_id}/cancel': {
      post: {
        operationId: 'CancelBooking',
        parameters: [
          { name: 'booking_id', in: 'path', required: true, schema: { type: 'string' } },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['version'],
                properties: {
                  version: { type: 'integer' },
                  note: { type: 'string', maxLength: 5 },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Booking' } } },
          },
        },
      },
    },
    '/v1/invoices': {
      get: {
        operationId: 'ListInvoices',
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Invoice' } } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      ListSlotsResponse: {
        type: 'object',
        properties: { slots: { type: 'array', items: { $ref: '#/components/schemas/Slot' } } },
      },
      Slot: {
        type: 'object',
        required: ['start_at'],
        properties: { start_at: { type: 'string' }, kind: { $ref: '#/components/schemas/Gone' } },
      },
      Booking: { type: 'object', properties: { id: { type: 'string' } } },
      Invoice: { type: 'object', properties: { total: { type: 'number' } } },
    },
  },
};

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
    const registry = readFileSync(join(repoRoot, 'packages/tools/src/registry.ts'), 'utf8');
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
    await cp(join(repoRoot, 'packages/tools'), join(root, 'packages/tools'), {
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
    expect(readFileSync(join(root, 'packages/tools/src/registry.ts'), 'utf8')).toContain(
      'provider-zyxvendor',
    );
    expect(() => scaffoldProvider(root, providerNames('zyxvendor'), ports)).toThrow(
      /exists already/,
    );
  });

  it("cuts the vendor's document down to the named operations and what they refer to", () => {
    const reduced = reduceOpenApiDocument(fixtureDocument, ['ListSlots', 'CancelBooking']);
    expect(reduced.operations).toEqual([
      { id: 'CancelBooking', method: 'POST', path: '/v1/bookings/{booking_id}/cancel' },
      { id: 'ListSlots', method: 'GET', path: '/v1/slots' },
    ]);
    const schemas = (reduced.document.components as { schemas: Record<string, unknown> }).schemas;
    expect(Object.keys(schemas)).toEqual(['Booking', 'Gone', 'ListSlotsResponse', 'Slot']);
    expect(reduced.missing).toEqual(['#/components/schemas/Gone']);
    expect(() => reduceOpenApiDocument(fixtureDocument, ['ListSlots', 'Nope'])).toThrow(
      /no operation Nope/,
    );
    const external = structuredClone(fixtureDocument);
    external.components.schemas.Booking.properties.id = {
      $ref: 'https://vendor.example/common.json#String',
    } as never;
    expect(() => reduceOpenApiDocument(external, ['CancelBooking'])).toThrow(/refers outside/);
  });

  it('with --openapi, records the inputs and generates a validating client of the named operations only', async () => {
    const root = mkdtempSync(join(tmpdir(), 'scaffold-'));
    await cp(join(repoRoot, 'packages/tools'), join(root, 'packages/tools'), {
      recursive: true,
      filter: (source) => !source.includes('node_modules') && !source.includes('/dist'),
    });
    await cp(join(repoRoot, 'terraform'), join(root, 'terraform'), {
      recursive: true,
      filter: (source) => !source.includes('/.terraform'),
    });
    await cp(join(repoRoot, 'docker-compose.yml'), join(root, 'docker-compose.yml'));
    mkdirSync(join(root, 'standards/zyx'), { recursive: true });
    writeFileSync(join(root, 'standards/zyx/api.json'), JSON.stringify(fixtureDocument));
    const inputs = {
      document: 'standards/zyx/api.json',
      operations: ['ListSlots', 'CancelBooking'],
    };

    // An operation the document lacks is refused before anything is written.
    expect(() =>
      scaffoldProvider(root, providerNames('zyxvendor'), ports, {
        ...inputs,
        operations: ['Nope'],
      }),
    ).toThrow(/no operation Nope/);
    expect(existsSync(join(root, 'subgraphs/provider-zyxvendor'))).toBe(false);

    const [subgraph] = scaffoldProvider(root, providerNames('zyxvendor'), ports, inputs);
    const manifest = JSON.parse(readFileSync(join(subgraph!, 'package.json'), 'utf8'));
    expect(manifest.openapi).toEqual(inputs);
    expect(readFileSync(join(subgraph!, 'test/generatedClient.test.ts'), 'utf8')).not.toMatch(
      /__(name|Name|NAME)__/,
    );
    // Without --openapi the skeleton keeps its hand-written client.
    expect(existsSync(join(subgraph!, 'src/client/createZyxvendorClient.ts'))).toBe(true);

    await generateOpenApiClient(root, subgraph!, inputs);
    const generated = join(subgraph!, 'src/__generated__');
    const client = readFileSync(join(generated, 'client.gen.ts'), 'utf8');
    expect(client).toMatch(
      /^\/\/ Generated by `npm run generate:clients` from standards\/zyx\/api\.json/,
    );
    expect(client).toContain('export function ListSlots(');
    expect(client).toContain("path: '/v1/bookings/{booking_id}/cancel'");
    expect(client).not.toContain('ListInvoices');
    const zod = readFileSync(join(generated, 'zod.gen.ts'), 'utf8');
    expect(zod).toContain('zCancelBookingOperationBody');
    expect(zod).not.toContain('Invoice');
    expect(zod).toContain('does not define #/components/schemas/Gone');

    // Generation is deterministic: regenerating changes nothing (what check:generated relies on).
    const before = client + zod;
    await generateOpenApiClient(root, subgraph!, inputs);
    const after =
      readFileSync(join(generated, 'client.gen.ts'), 'utf8') +
      readFileSync(join(generated, 'zod.gen.ts'), 'utf8');
    expect(after).toBe(before);
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
