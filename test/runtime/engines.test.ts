import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

// The runtime policy (docs/development.md): production runs the Node line of the Dockerfile's
// base image; development and `npm test` still run on the oldest Node the root package.json
// accepts. Every installed package must accept both, or `npm ci` warns (EBADENGINE) and the
// package may use what the older Node lacks.

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const readJson = (path: string) => JSON.parse(readFileSync(repoRoot + path, 'utf8'));

interface LockEntry {
  version?: string;
  link?: boolean;
  engines?: { node?: string };
}

const root = readJson('package.json') as { engines: { node: string }; workspaces: string[] };
const lock = readJson('package-lock.json') as { packages: Record<string, LockEntry> };

/** The Node major of the production images: the default of the Dockerfile's `NODE_IMAGE`. */
function productionNodeMajor(dockerfile: string): number {
  const image = /^ARG NODE_IMAGE=node:(\d+)-/m.exec(dockerfile);
  if (!image) throw new Error('the Dockerfile has no `ARG NODE_IMAGE=node:<major>-…`');
  return Number(image[1]);
}

/** Installed packages whose `engines.node` refuses one of `versions`, as `name@version: range`. */
function refusedEngines(
  packages: Record<string, LockEntry>,
  versions: readonly string[],
): string[] {
  return Object.entries(packages)
    .filter(([path, entry]) => path.includes('node_modules/') && entry.engines?.node)
    .filter(([, entry]) =>
      versions.some((v) => !semver.satisfies(v, entry.engines!.node!, { loose: true })),
    )
    .map(([path, entry]) => {
      const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
      return `${name}@${entry.version}: ${entry.engines!.node}`;
    });
}

const oldest = semver.minVersion(root.engines.node)!.version;
const productionMajor = productionNodeMajor(readFileSync(`${repoRoot}Dockerfile`, 'utf8'));
const production = `${productionMajor}.0.0`;

describe('Node versions', () => {
  it('every installed package accepts the oldest supported Node and the production Node', () => {
    expect(oldest).toBe('20.19.0');
    expect(refusedEngines(lock.packages, [oldest, production])).toEqual([]);
  });

  it('reports a package that needs a newer Node than the oldest supported', () => {
    const packages = {
      'node_modules/listr2': { version: '10.2.2', engines: { node: '>=22.13.0' } },
      'node_modules/yaml': { version: '2.9.1', engines: { node: '>= 14.6' } },
    };
    expect(refusedEngines(packages, [oldest, production])).toEqual(['listr2@10.2.2: >=22.13.0']);
  });

  it('every workspace package, and the new-provider templates, declare the root engines', () => {
    const manifests = [
      ...Object.entries(lock.packages)
        .filter(([path]) => path !== '' && !path.includes('node_modules/'))
        .map(([path]) => `${path}/package.json`),
      'packages/tools/templates/provider/subgraph/package.json.tmpl',
      'packages/tools/templates/provider/simulator/package.json.tmpl',
    ];
    expect(manifests.length).toBeGreaterThan(root.workspaces.length);
    const differing = manifests.filter(
      (path) => readJson(path).engines?.node !== root.engines.node,
    );
    expect(differing).toEqual([]);
  });

  it("CI runs the unit and integration tests again on production's Node", () => {
    const ci = readFileSync(`${repoRoot}.ci/run`, 'utf8');
    expect(ci).toMatch(/^npm test$/m);
    expect(ci).toMatch(new RegExp(`^scripts/testOnNode\\.sh ${productionMajor}$`, 'm'));
  });
});
