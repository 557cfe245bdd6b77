import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import type { ComposeFile } from './checkCompose.js';
import { type HclBlock, readHcl, stringsOf } from './readHcl.js';

/** One `.tf` file, its path relative to `terraform/`. */
export interface TerraformFile {
  path: string;
  blocks: HclBlock[];
}

/** What the Terraform configuration is checked against. */
export interface TerraformExpectations {
  /** Compose services built from the repository, with their ports (SERVICE_PORT). */
  services: Readonly<Record<string, number>>;
  /** Compose's other services (images), each with the module that is its managed counterpart. */
  infrastructure: readonly string[];
  counterparts: Readonly<Record<string, string>>;
  /** The module composing one environment, e.g. `modules/platform`. */
  composition: string;
  /** The folder of the environments, each a root module calling the composition. */
  environments: string;
  /** The environment that must protect its data, e.g. `prod`. */
  production: string;
  /** The root module with the image repositories (`locals { services = … }`), e.g. `global`. */
  images: string;
}

const dirOf = (file: TerraformFile) => posix.dirname(file.path);

function modulesIn(files: readonly TerraformFile[], dir: string) {
  return files
    .filter((file) => dirOf(file) === dir)
    .flatMap((file) => file.blocks.filter((b) => b.type === 'module'))
    .map((block) => ({
      name: block.labels[0]!,
      source: stringsOf(block.attributes.source ?? '')[0] ?? '',
      attributes: block.attributes,
    }));
}

/**
 * Checks the Terraform configuration against the compose file and returns every problem: every
 * variable has a description and a type; every local module source exists; the composition has
 * a container-service instance per built compose service, named after it and on its port, and a
 * managed counterpart for each of compose's infrastructure services; every environment uses the
 * composition, production with deletion protection; every service has an image repository.
 */
export function checkTerraform(
  files: readonly TerraformFile[],
  expected: TerraformExpectations,
): string[] {
  const problems: string[] = [];
  const dirs = new Set(files.map(dirOf));

  for (const file of files) {
    for (const block of file.blocks.filter((b) => b.type === 'variable')) {
      for (const attribute of ['description', 'type']) {
        if (!block.attributes[attribute]?.trim()) {
          problems.push(`${file.path}: variable "${block.labels[0]}" has no ${attribute}`);
        }
      }
    }
    for (const block of file.blocks.filter((b) => b.type === 'module')) {
      const source = stringsOf(block.attributes.source ?? '')[0] ?? '';
      if (source.startsWith('.') && !dirs.has(posix.normalize(posix.join(dirOf(file), source)))) {
        problems.push(`${file.path}: module "${block.labels[0]}" has no source ${source}`);
      }
    }
  }

  const composed = modulesIn(files, expected.composition);
  const services = composed.filter((m) => m.source === '../container-service');
  for (const [name, port] of Object.entries(expected.services)) {
    const instance = services.find((m) => m.name === name);
    if (!instance) {
      problems.push(
        `${expected.composition}: no container-service module "${name}" for compose's ${name}`,
      );
    } else if (instance.attributes.port?.trim() !== String(port)) {
      problems.push(
        `${expected.composition}: module "${name}" has port ${instance.attributes.port}, compose ${port}`,
      );
    }
  }
  for (const { name } of services) {
    if (!(name in expected.services)) {
      problems.push(`${expected.composition}: module "${name}" is no compose service`);
    }
  }
  for (const name of expected.infrastructure) {
    const counterpart = expected.counterparts[name];
    if (!counterpart) problems.push(`compose's ${name} has no managed counterpart in AWS`);
    else if (!composed.some((m) => m.name === counterpart && m.source === `../${counterpart}`)) {
      problems.push(`${expected.composition}: no module "${counterpart}" (compose's ${name})`);
    }
  }

  const environments = [...dirs].filter((dir) => posix.dirname(dir) === expected.environments);
  if (!environments.includes(posix.join(expected.environments, expected.production))) {
    problems.push(`no ${expected.production} environment in ${expected.environments}`);
  }
  for (const dir of environments) {
    const source = posix.relative(dir, expected.composition);
    const calls = modulesIn(files, dir).filter((m) => m.source === source);
    if (calls.length !== 1) problems.push(`${dir}: does not call ${expected.composition} once`);
    if (posix.basename(dir) === expected.production) {
      for (const call of calls) {
        if (call.attributes.deletion_protection?.trim() !== 'true') {
          problems.push(`${dir}: deletion_protection is not true`);
        }
      }
    }
  }

  const repositories = files
    .filter((file) => dirOf(file) === expected.images)
    .flatMap((file) => file.blocks.filter((b) => b.type === 'locals'))
    .flatMap((block) => stringsOf(block.attributes.services ?? ''));
  for (const name of Object.keys(expected.services)) {
    if (!repositories.includes(name))
      problems.push(`${expected.images}: no image repository for ${name}`);
  }
  return problems;
}

/** Every `.tf` file below `root` (hidden folders such as `.terraform` left out), parsed. */
export function readTerraform(root: string, dir = root): TerraformFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : readTerraform(root, path);
    if (!entry.name.endsWith('.tf')) return [];
    return [{ path: relative(root, path), blocks: readHcl(readFileSync(path, 'utf8')) }];
  });
}

/** What the Terraform configuration must deploy, from docker-compose.yml. */
export function terraformExpectations(compose: ComposeFile): TerraformExpectations {
  return {
    services: Object.fromEntries(
      Object.entries(compose.services)
        .filter(([, service]) => service.build)
        .map(([name, service]) => [name, Number(service.build?.args?.SERVICE_PORT)]),
    ),
    infrastructure: Object.keys(compose.services).filter((name) => !compose.services[name]!.build),
    // Compose's infrastructure and what stands for it in AWS: RDS, ElastiCache, and the AWS
    // Distro for OpenTelemetry exporting to X-Ray and CloudWatch.
    counterparts: {
      postgres: 'postgres',
      redis: 'redis',
      'otel-collector': 'observability',
      jaeger: 'observability',
    },
    composition: 'modules/platform',
    environments: 'environments',
    production: 'prod',
    images: 'global',
  };
}
