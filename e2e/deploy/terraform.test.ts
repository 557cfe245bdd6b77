import { join } from 'node:path';
import { repoRoot } from '@booking/tools';
import { describe, expect, it } from 'vitest';
import { readComposeFile } from './checkCompose.js';
import {
  checkTerraform,
  readTerraform,
  type TerraformFile,
  terraformExpectations,
} from './checkTerraform.js';

const files = readTerraform(join(repoRoot, 'terraform'));
const expected = terraformExpectations(readComposeFile(join(repoRoot, 'docker-compose.yml')));

/** The real configuration with one change to the blocks of the file at `path`. */
function changed(path: string, change: (file: TerraformFile) => void): TerraformFile[] {
  return files.map((file) => {
    if (file.path !== path) return file;
    const copy = structuredClone(file);
    change(copy);
    return copy;
  });
}

describe('terraform/', () => {
  it('deploys every compose service as its own module instance, every variable described and typed', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(checkTerraform(files, expected)).toEqual([]);
  });

  it('reports a variable without a description or a type', () => {
    const problems = checkTerraform(
      changed('modules/redis/variables.tf', (file) => {
        delete file.blocks.find((b) => b.labels[0] === 'nodes')!.attributes.description;
        delete file.blocks.find((b) => b.labels[0] === 'node_type')!.attributes.type;
      }),
      expected,
    );
    expect(problems).toEqual([
      'modules/redis/variables.tf: variable "node_type" has no type',
      'modules/redis/variables.tf: variable "nodes" has no description',
    ]);
  });

  it('reports a compose service without a module instance, and one on another port', () => {
    const problems = checkTerraform(
      changed('modules/platform/services.tf', (file) => {
        file.blocks = file.blocks.filter((b) => b.labels[0] !== 'provider-fhir');
        file.blocks.find((b) => b.labels[0] === 'scheduling')!.attributes.port = '4002';
      }),
      expected,
    );
    expect(problems).toEqual([
      'modules/platform: no container-service module "provider-fhir" for compose\'s provider-fhir',
      'modules/platform: module "scheduling" has port 4002, compose 4001',
    ]);
  });

  it('reports a compose service that Terraform neither runs nor replaces, and one without an image repository', () => {
    const problems = checkTerraform(files, {
      ...expected,
      services: { ...expected.services, 'simulator-new': 4105 },
      infrastructure: [...expected.infrastructure, 'mailhog'],
    });
    expect(problems).toEqual([
      'modules/platform: no container-service module "simulator-new" for compose\'s simulator-new',
      "compose's mailhog has no managed counterpart in AWS",
      'global: no image repository for simulator-new',
    ]);
  });

  it('reports production without deletion protection', () => {
    const problems = checkTerraform(
      changed('environments/prod/main.tf', (file) => {
        file.blocks.find((b) => b.type === 'module')!.attributes.deletion_protection = 'false';
      }),
      expected,
    );
    expect(problems).toEqual(['environments/prod: deletion_protection is not true']);
  });
});
