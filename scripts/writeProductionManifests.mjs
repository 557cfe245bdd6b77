// Writes what `npm ci --omit=dev --workspace <service>` needs into <outDir>: the lockfile and every
// package.json of the repository, without development dependencies. Used by the Dockerfile.
//
// Why not the manifests as they are: npm links a workspace's development-only workspace
// dependencies (a provider's simulator, the contract test kit) even with `--omit=dev`, and installs
// their dependencies as if they were production ones (the FHIR simulator's server, 160 MB).
// Dropping them from both the manifests and the lockfile's workspace entries keeps the two in sync
// for `npm ci` and leaves only what the service runs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node scripts/writeProductionManifests.mjs <outDir>');
  process.exit(2);
}

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const writeJson = (path, value) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
};
const withoutDevDependencies = ({ devDependencies: _, ...rest }) => rest;

const lock = readJson('package-lock.json');
for (const [path, entry] of Object.entries(lock.packages)) {
  // '' is the root; the other entries outside node_modules/ are the workspaces.
  if (path.split('/').includes('node_modules')) continue;
  lock.packages[path] = withoutDevDependencies(entry);
  writeJson(
    join(outDir, path, 'package.json'),
    withoutDevDependencies(readJson(join(path || '.', 'package.json'))),
  );
}
writeJson(join(outDir, 'package-lock.json'), lock);
