// `npm run docker:build [-- <build options>]`: one image per registry service, all from the root
// Dockerfile, tagged `<IMAGE_REGISTRY>/<service>:<IMAGE_TAG>` (default `booking-platform/…:local`,
// the names docker-compose.yml runs), with Docker Buildx (BuildKit: the Dockerfile uses cache
// mounts). The repository is the whole build context. Options go to every build, e.g. `--push` or
// `--platform linux/arm64`. The services' shared build stage is built once and then cached.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../compose/composeSupergraph.js';
import { allServices } from '../registry.js';

const registry = process.env.IMAGE_REGISTRY || 'booking-platform';
const tag = process.env.IMAGE_TAG || 'local';

for (const service of allServices) {
  const image = `${registry}/${service.name}:${tag}`;
  process.stdout.write(`\n${image} (${service.dir})\n`);
  const result = spawnSync(
    'docker',
    [
      'buildx',
      'build',
      '--file',
      join(repoRoot, 'Dockerfile'),
      '--build-arg',
      `SERVICE_DIR=${service.dir}`,
      '--build-arg',
      `SERVICE_PORT=${service.port}`,
      '--tag',
      image,
      ...process.argv.slice(2),
      repoRoot,
    ],
    { stdio: 'inherit' },
  );
  if (result.error) {
    process.stderr.write(`docker: ${result.error.message}\n`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}
