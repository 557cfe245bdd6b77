import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type OpenApiInputs, reduceOpenApiDocument } from './generateOpenApiClient.js';
import { scaffoldDeployment } from './scaffoldDeployment.js';

/** The names a new provider's files are written with. */
export interface ProviderNames {
  /** `acme`: folder, system and connection prefix. */
  name: string;
  /** `Acme`: in identifiers such as `createAcmeAdapter`. */
  pascal: string;
  /** `ACME`: in environment variables such as `ACME_CONNECTIONS`. */
  constant: string;
}

/** Checks a provider name: lower-case letters and digits, starting with a letter, at most 30. */
export function providerNames(name: string): ProviderNames {
  if (!/^[a-z][a-z0-9]{1,29}$/.test(name)) {
    throw new Error(
      `"${name}" is not a provider name: use 2 to 30 lower-case letters and digits, starting with a letter`,
    );
  }
  return { name, pascal: name[0]!.toUpperCase() + name.slice(1), constant: name.toUpperCase() };
}

/** Fills a template's placeholders (`__name__`, `__Name__`, `__NAME__`, and the two ports). */
export function renderTemplate(
  text: string,
  names: ProviderNames,
  ports: { subgraph: number; simulator: number },
): string {
  return text
    .replaceAll('__name__', names.name)
    .replaceAll('__Name__', names.pascal)
    .replaceAll('__NAME__', names.constant)
    .replaceAll('49001', String(ports.subgraph))
    .replaceAll('49002', String(ports.simulator));
}

/**
 * Adds the provider to the registry source: the import of its `simulatorConnections` and its
 * entry, each before its marker line.
 */
export function addRegistryEntry(
  source: string,
  names: ProviderNames,
  ports: { subgraph: number; simulator: number },
): string {
  const importMarker = '// new-provider: imports are added above this line.';
  const entryMarker = '  // new-provider: entries are added above this line.';
  if (!source.includes(importMarker) || !source.includes(entryMarker))
    throw new Error('the registry has no new-provider marker lines');
  if (source.includes(`name: 'provider-${names.name}'`))
    throw new Error(`provider-${names.name} is registered already`);
  const importLine = `import { simulatorConnections as ${names.name} } from '@booking/provider-${names.name}';`;
  const entry = [
    '  {',
    `    subgraph: { name: 'provider-${names.name}', dir: 'subgraphs/provider-${names.name}', port: ${ports.subgraph} },`,
    `    simulator: { name: 'simulator-${names.name}', dir: 'simulators/${names.name}', port: ${ports.simulator} },`,
    `    subgraphEnv: (url) => ({ ${names.constant}_CONNECTIONS: JSON.stringify(${names.name}(url)) }),`,
    '  },',
  ].join('\n');
  return source
    .replace(importMarker, `${importLine}\n${importMarker}`)
    .replace(entryMarker, `${entry}\n${entryMarker}`);
}

/** Adds the provider subgraph to the launcher's dependencies (the registry imports it). */
export function addSystemDependency(manifest: string, names: ProviderNames): string {
  const parsed = JSON.parse(manifest) as { dependencies: Record<string, string> };
  parsed.dependencies[`@booking/provider-${names.name}`] = '0.1.0';
  parsed.dependencies = Object.fromEntries(
    Object.entries(parsed.dependencies).sort(([a], [b]) => a.localeCompare(b)),
  );
  return `${JSON.stringify(parsed, null, 2)}\n`;
}

function copyRendered(from: string, to: string, render: (text: string) => string) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    const target = join(to, render(entry).replace(/\.tmpl$/, ''));
    if (statSync(source).isDirectory()) copyRendered(source, target, render);
    else writeFileSync(target, render(readFileSync(source, 'utf8')));
  }
}

/** The subgraph's manifest with the generator's inputs recorded, for `npm run check:generated`. */
export function withOpenApiInputs(manifest: string, openapi: OpenApiInputs): string {
  const parsed = JSON.parse(manifest) as Record<string, unknown>;
  return `${JSON.stringify({ ...parsed, openapi }, null, 2)}\n`;
}

/**
 * Writes a new provider subgraph and simulator from `packages/tools/templates/provider`,
 * registers them, and adds them to docker-compose.yml and the Terraform configuration. Returns
 * the folders written. With `openapi`, the subgraph also records the vendor's document and
 * operations (its client is generated from them afterwards by `generateOpenApiClient`) and gets
 * the `openapi` templates; the operations are checked against the document before anything is
 * written.
 */
export function scaffoldProvider(
  repoRoot: string,
  names: ProviderNames,
  ports: { subgraph: number; simulator: number },
  openapi?: OpenApiInputs,
): string[] {
  const subgraphDir = join(repoRoot, 'subgraphs', `provider-${names.name}`);
  const simulatorDir = join(repoRoot, 'simulators', names.name);
  for (const dir of [subgraphDir, simulatorDir]) {
    if (existsSync(dir)) throw new Error(`${dir} exists already`);
  }
  if (openapi) {
    const document = JSON.parse(readFileSync(join(repoRoot, openapi.document), 'utf8'));
    reduceOpenApiDocument(document, openapi.operations);
  }
  const templates = join(repoRoot, 'packages', 'tools', 'templates', 'provider');
  const render = (text: string) => renderTemplate(text, names, ports);
  const registryPath = join(repoRoot, 'packages', 'tools', 'src', 'registry.ts');
  const registry = addRegistryEntry(readFileSync(registryPath, 'utf8'), names, ports);
  const manifestPath = join(repoRoot, 'packages', 'tools', 'package.json');
  const manifest = addSystemDependency(readFileSync(manifestPath, 'utf8'), names);
  scaffoldDeployment(repoRoot, names, ports);
  copyRendered(join(templates, 'subgraph'), subgraphDir, render);
  copyRendered(join(templates, 'simulator'), simulatorDir, render);
  if (openapi) {
    copyRendered(join(templates, 'openapi'), subgraphDir, render);
    const subgraphManifest = join(subgraphDir, 'package.json');
    writeFileSync(
      subgraphManifest,
      withOpenApiInputs(readFileSync(subgraphManifest, 'utf8'), openapi),
    );
  }
  writeFileSync(registryPath, registry);
  writeFileSync(manifestPath, manifest);
  return [subgraphDir, simulatorDir];
}
