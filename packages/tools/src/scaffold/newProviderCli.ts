import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { repoRoot } from '../compose/composeSupergraph.js';
import { allServices, demoServices, providers } from '../registry.js';
import { generateOpenApiClient, type OpenApiInputs } from './generateOpenApiClient.js';
import { nextPort } from './nextPort.js';
import { providerNames, scaffoldProvider } from './scaffoldProvider.js';

// `npm run new-provider -- <name> [--openapi <document> --operations <id,id,…>]`: a provider
// subgraph and simulator skeleton, registered, installed and composed into the supergraph; with
// `--openapi`, also the vendor's typed client for the named operations, generated from its own
// OpenAPI document. See docs/adding-a-provider.md.
const usage =
  'usage: npm run new-provider -- <name> [--openapi <document.json> --operations <operationId,…>]\n';
let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: { openapi: { type: 'string' }, operations: { type: 'string' } },
  });
}
try {
  args = parse();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
const name = args.positionals[0];
const { openapi: document, operations } = args.values;
if (!name || args.positionals.length > 1 || Boolean(document) !== Boolean(operations)) {
  process.stderr.write(usage);
  process.exit(2);
}
const openapi: OpenApiInputs | undefined =
  document && operations
    ? {
        document,
        operations: operations
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean),
      }
    : undefined;
try {
  const names = providerNames(name);
  // After the last of its kind, skipping any port another service has (the identity provider's
  // 4106 follows the simulators').
  const taken = new Set([...allServices, ...demoServices].map((service) => service.port));
  const ports = {
    subgraph: nextPort(
      providers.map((p) => p.subgraph.port),
      taken,
    ),
    simulator: nextPort(
      providers.map((p) => p.simulator.port),
      taken,
    ),
  };
  const written = scaffoldProvider(repoRoot, names, ports, openapi);
  process.stdout.write(
    `wrote\n${written.map((dir) => `  ${dir}`).join('\n')}\nregistered provider-${name} (port ${ports.subgraph}) and simulator-${name} (port ${ports.simulator})\n`,
  );
  if (openapi) {
    const generated = await generateOpenApiClient(repoRoot, written[0]!, openapi);
    process.stdout.write(
      `generated subgraphs/provider-${name}/src/__generated__/ for ${generated.operations.length} operations of ${openapi.document}\n`,
    );
    for (const ref of generated.missing) {
      process.stdout.write(`  the document does not define ${ref}: generated as unknown\n`);
    }
  }
  // Names change line lengths and import order: the written files are formatted as the house's.
  const formatted = [...written, 'packages/tools/src/registry.ts', 'packages/tools/package.json'];
  process.stdout.write(
    'added both to docker-compose.yml, terraform/modules/platform and terraform/global\n',
  );
  for (const [command, commandArgs] of [
    ['npx', ['biome', 'check', '--write', ...formatted]],
    ['npm', ['install', '--no-audit', '--no-fund']],
    ['npm', ['run', '--silent', 'compose']],
    ['npm', ['run', '--silent', 'provider:cost', '--', '--write']],
  ] as const) {
    const result = spawnSync(command, commandArgs, { cwd: repoRoot, stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
  process.stdout.write(
    `\nNext: reshape simulators/${name} into the vendor's protocol, then the client and mapping in subgraphs/provider-${name}; run\n  npx vitest run subgraphs/provider-${name}\n`,
  );
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
