import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProviderNames } from './scaffoldProvider.js';

type Ports = { subgraph: number; simulator: number };

/** Inserts `text` before the first line of `source` equal to `line` after it is trimmed. */
function insertBefore(source: string, line: string, text: string, file: string): string {
  const lines = source.split('\n');
  const at = lines.findIndex((l) => l.trim() === line);
  if (at < 0) throw new Error(`${file}: no line "${line}" to add the new provider before`);
  lines.splice(at, 0, ...text.split('\n'));
  return lines.join('\n');
}

/** Appends `,item` to the line after the one that starts (trimmed) with `key`. */
function appendToFoldedList(source: string, key: string, item: string, file: string): string {
  const lines = source.split('\n');
  const at = lines.findIndex((l) => l.trim().startsWith(key));
  if (at < 0 || at + 1 >= lines.length) throw new Error(`${file}: no ${key} list`);
  lines[at + 1] = `${lines[at + 1]},${item}`;
  return lines.join('\n');
}

/**
 * docker-compose.yml with the provider's simulator and subgraph, built from the one Dockerfile,
 * health-checked like every service, the subgraph pointed at the simulator with the skeleton's
 * connection (`simulatorConnections` of the template), and listed in scheduling's and the
 * gateway's subgraph lists.
 */
export function addComposeServices(source: string, names: ProviderNames, ports: Ports): string {
  const { name, pascal, constant } = names;
  const connections = JSON.stringify([
    { id: 'default', name: pascal, baseUrl: `http://simulator-${name}:${ports.simulator}/` },
  ]);
  const blocks = [
    `  simulator-${name}:`,
    '    <<: *service',
    `    image: \${IMAGE_REGISTRY:-booking-platform}/simulator-${name}:\${IMAGE_TAG:-local}`,
    '    build:',
    '      <<: *build',
    `      args: { SERVICE_DIR: simulators/${name}, SERVICE_PORT: "${ports.simulator}" }`,
    '    environment:',
    '      <<: *telemetry',
    `      OTEL_SERVICE_NAME: simulator-${name}`,
    '',
    `  provider-${name}:`,
    '    <<: *service',
    `    image: \${IMAGE_REGISTRY:-booking-platform}/provider-${name}:\${IMAGE_TAG:-local}`,
    '    build:',
    '      <<: *build',
    `      args: { SERVICE_DIR: subgraphs/provider-${name}, SERVICE_PORT: "${ports.subgraph}" }`,
    '    depends_on:',
    '      <<: *collector',
    `      simulator-${name}: { condition: service_healthy }`,
    '    environment:',
    '      <<: [*telemetry, *internal]',
    `      OTEL_SERVICE_NAME: provider-${name}`,
    `      ${constant}_CONNECTIONS: '${connections}'`,
    '',
  ].join('\n');
  const subgraph = `provider-${name}=http://provider-${name}:${ports.subgraph}/graphql`;
  let out = insertBefore(source, 'scheduling:', blocks, 'docker-compose.yml');
  out = appendToFoldedList(out, 'PROVIDER_SUBGRAPHS:', subgraph, 'docker-compose.yml');
  return appendToFoldedList(out, 'SUBGRAPH_URLS:', subgraph, 'docker-compose.yml');
}

/**
 * terraform/modules/platform/services.tf with the provider subgraph's container service (called
 * by the gateway and scheduling, its connections from its secret) and the simulator's (where
 * `var.simulators` is on), and the subgraph in the gateway's and scheduling's lists.
 */
export function addTerraformServices(source: string, names: ProviderNames, ports: Ports): string {
  const { name } = names;
  const subgraphUrl = `      "provider-${name}=\${module.provider-${name}.url}/graphql",`;
  const lines = source.split('\n');
  // After the last subgraph of each list (the gateway's, then scheduling's).
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = lines[i]!;
    const next = lines[i + 1]?.trim();
    if (/^\s*"provider-[a-z0-9]+=\$\{module\.provider-/.test(line) && next === '])') {
      lines.splice(i + 1, 0, subgraphUrl);
    }
  }
  const provider = [
    `module "provider-${name}" {`,
    '  source   = "../container-service"',
    `  name     = "provider-${name}"`,
    `  port     = ${ports.subgraph}`,
    '  platform = local.platform',
    '  capacity = var.capacity.providers',
    '  callers  = { gateway = module.gateway.security_group_id, scheduling = module.scheduling.security_group_id }',
    `  secrets  = local.connection_secrets["provider-${name}"]`,
    '}',
    '',
  ].join('\n');
  const simulator = [
    '',
    `module "simulator-${name}" {`,
    '  source   = "../container-service"',
    '  count    = var.simulators ? 1 : 0',
    `  name     = "simulator-${name}"`,
    `  port     = ${ports.simulator}`,
    '  platform = local.platform',
    '  capacity = local.simulator_capacity',
    `  callers  = { provider-${name} = module.provider-${name}.security_group_id }`,
    '}',
  ].join('\n');
  const withProvider = insertBefore(
    lines.join('\n'),
    "# The simulators stand in for the providers' systems where var.simulators is on; the provider",
    provider,
    'services.tf',
  );
  return `${withProvider.trimEnd()}\n${simulator}\n`;
}

/** Aligns the `=` of a block of `key = value` lines as `terraform fmt` does. */
function alignAssignments(lines: string[]): string[] {
  const keyWidth = Math.max(...lines.map((line) => line.indexOf('=')).filter((i) => i > 0));
  return lines.map((line) => {
    const at = line.indexOf('=');
    return `${line
      .slice(0, at)
      .trimEnd()
      .padEnd(keyWidth - 1)} ${line.slice(at)}`;
  });
}

/** terraform/modules/platform/main.tf with the subgraph's connection variable for its secret. */
export function addTerraformConnections(source: string, names: ProviderNames): string {
  const lines = source.split('\n');
  const open = lines.findIndex((line) => line.trim() === 'provider_connections = {');
  const close = lines.findIndex((line, i) => i > open && line.trim() === '}');
  if (open < 0 || close < 0) throw new Error('main.tf: no provider_connections map');
  const entries = [
    ...lines.slice(open + 1, close),
    `    provider-${names.name} = ["${names.constant}_CONNECTIONS"]`,
  ];
  lines.splice(open + 1, close - open - 1, ...alignAssignments(entries));
  return lines.join('\n');
}

/** terraform/global/main.tf with an image repository for each of the two new services. */
export function addImageRepositories(source: string, names: ProviderNames): string {
  const lines = source.split('\n');
  const open = lines.findIndex((line) => line.trim() === 'services = toset([');
  const close = lines.findIndex((line, i) => i > open && line.trim() === '])');
  if (open < 0 || close < 0) throw new Error('global/main.tf: no services set');
  lines.splice(close, 0, `    "provider-${names.name}",`, `    "simulator-${names.name}",`);
  return lines.join('\n');
}

/** Writes the new provider into docker-compose.yml and the Terraform configuration. */
export function scaffoldDeployment(repoRoot: string, names: ProviderNames, ports: Ports): string[] {
  const edits: [string, (source: string) => string][] = [
    ['docker-compose.yml', (s) => addComposeServices(s, names, ports)],
    ['terraform/modules/platform/services.tf', (s) => addTerraformServices(s, names, ports)],
    ['terraform/modules/platform/main.tf', (s) => addTerraformConnections(s, names)],
    ['terraform/global/main.tf', (s) => addImageRepositories(s, names)],
  ];
  // Every edit is computed before any file is written: a failure leaves nothing half-done.
  const written = edits.map(([file, edit]) => {
    const path = join(repoRoot, file);
    return [path, edit(readFileSync(path, 'utf8'))] as const;
  });
  for (const [path, text] of written) writeFileSync(path, text);
  return written.map(([path]) => path);
}
