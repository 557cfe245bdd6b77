import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AnyProviderDefinition,
  loadProviderEnvironment,
  providerVariables,
} from '@booking/provider-kit';
import {
  allServices,
  gateway,
  repoRoot,
  type ServiceDefinition,
  serviceWiring,
  supergraphPath,
} from '@booking/tools';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type ComposeFile,
  checkCompose,
  interpolate,
  parseEnvFile,
  type Repository,
  readComposeFile,
} from './checkCompose.js';

type Reader = (env: Record<string, string>) => unknown;

/**
 * How a service reads its environment: its own `environment.ts`, or for a provider subgraph its
 * provider definition (`src/provider.ts`) read by the kit. Also the variables it knows.
 */
async function configurationOf(service: ServiceDefinition) {
  const providerPath = join(repoRoot, service.dir, 'src/provider.ts');
  if (existsSync(providerPath)) {
    const module = (await import(providerPath)) as Record<string, unknown>;
    const definition = Object.values(module).find(
      (value): value is AnyProviderDefinition =>
        typeof value === 'object' && value !== null && 'system' in value && 'connect' in value,
    );
    if (!definition) throw new Error(`${providerPath} exports no provider definition`);
    return {
      read: ((env) => loadProviderEnvironment(definition, env)) as Reader,
      variables: new Set(providerVariables(definition)),
    };
  }
  const path = join(repoRoot, service.dir, 'src/environment.ts');
  const module = (await import(path)) as Record<string, unknown>;
  const read = ['readEnvironment', 'loadEnvironment', 'parseEnvironment']
    .map((name) => module[name])
    .find((f): f is Reader => typeof f === 'function');
  if (!read)
    throw new Error(`${path} exports no readEnvironment, loadEnvironment or parseEnvironment`);
  const source = readFileSync(path, 'utf8');
  return { read, variables: new Set(source.match(/\b[A-Z][A-Z0-9_]*\b/g)) };
}

/** A service's configuration reader as a checker: the problems it reports for an environment. */
function problemsOf(read: Reader) {
  return (env: Record<string, string>): readonly string[] => {
    try {
      read(env);
      return [];
    } catch (error) {
      const { problems } = error as { problems?: unknown };
      if (Array.isArray(problems)) return problems.map(String);
      throw error;
    }
  };
}

/** Production's runtime, Node 24 LTS (docs/deploying.md): every stage of every image starts from it. */
const productionNodeImage = 'node:24-bookworm-slim';

let repository: Repository;
let compose: ComposeFile;

beforeAll(async () => {
  compose = readComposeFile(join(repoRoot, 'docker-compose.yml'));
  const configurations = new Map(
    await Promise.all(allServices.map(async (s) => [s.name, await configurationOf(s)] as const)),
  );
  const supergraph = readFileSync(supergraphPath, 'utf8');
  repository = {
    root: repoRoot,
    services: allServices,
    gateway,
    wiring: serviceWiring((service) => `http://${service.name}:${service.port}`),
    supergraphSubgraphs: [...supergraph.matchAll(/@join__graph\(name: "([^"]+)"/g)].map(
      (m) => m[1]!,
    ),
    envFile: parseEnvFile(readFileSync(join(repoRoot, '.env.example'), 'utf8')),
    readEnvironment: Object.fromEntries(
      allServices.map((s) => [s.name, problemsOf(configurations.get(s.name)!.read)]),
    ),
    knownVariables: Object.fromEntries(
      allServices.map((s) => [s.name, configurations.get(s.name)!.variables]),
    ),
    nodeImage: productionNodeImage,
  };
});

/** The real compose file with one change. */
function composeWith(change: (services: ComposeFile['services']) => void): ComposeFile {
  const copy = structuredClone(compose);
  change(copy.services);
  return copy;
}

describe('docker-compose.yml', () => {
  it('runs every registry service as npm start does, each built, health-checked and configured', () => {
    expect(checkCompose(compose, repository)).toEqual([]);
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(allServices.map((s) => s.name)),
    );
  });

  it('reports a registry service that compose does not run, and the subgraph the gateway lacks', () => {
    const problems = checkCompose(
      composeWith((services) => {
        delete services['provider-fhir'];
      }),
      repository,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'provider-fhir: a registry service (subgraphs/provider-fhir) with no built compose service',
        expect.stringMatching(/^the supergraph's subgraphs .* are not compose's subgraph services/),
        expect.stringMatching(/^gateway: routes provider-fhir to .*, not to its compose service$/),
      ]),
    );
  });

  it('reports an image built on another Node than production runs', () => {
    const problems = checkCompose(
      composeWith((services) => {
        services.scheduling!.build!.args = {
          ...services.scheduling!.build!.args,
          NODE_IMAGE: 'node:20-bookworm-slim',
        };
      }),
      repository,
    );
    expect(problems).toEqual([
      'scheduling: built on node:20-bookworm-slim, not node:24-bookworm-slim',
    ]);
  });

  it('reports a variable the service requires in production that compose does not set', () => {
    const problems = checkCompose(
      composeWith((services) => {
        delete (services['provider-rivta']!.environment as Record<string, string>)
          .RIVTA_CONNECTIONS;
      }),
      repository,
    );
    expect(problems).toEqual([
      expect.stringMatching(/^provider-rivta: RIVTA_CONNECTIONS is required and not set/),
      'provider-rivta: RIVTA_CONNECTIONS is not set (npm start sets it)',
    ]);
  });

  it('reports a variable the service does not read', () => {
    const problems = checkCompose(
      composeWith((services) => {
        const env = services.scheduling!.environment as Record<string, string>;
        env.PROVIDER_DEADLINE = '1500';
      }),
      repository,
    );
    expect(problems).toEqual([
      'scheduling: PROVIDER_DEADLINE is not a variable of subgraphs/scheduling/src/environment.ts',
    ]);
  });

  it('reports a value the service refuses, a wiring unlike npm start, and a host that does not exist', () => {
    const problems = checkCompose(
      composeWith((services) => {
        const env = services['provider-cliniq']!.environment as Record<string, string>;
        env.CLINIQ_CONNECTIONS = env.CLINIQ_CONNECTIONS!.replace(
          'simulator-cliniq:4101',
          'cliniq:4101',
        );
        env.PROVIDER_DEADLINE_MS = 'soon';
      }),
      repository,
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^provider-cliniq: its environment does not parse: PROVIDER_DEADLINE_MS/,
      ),
      expect.stringMatching(/^provider-cliniq: CLINIQ_CONNECTIONS is not what npm start sets/),
      'provider-cliniq: CLINIQ_CONNECTIONS points at cliniq, which is not a compose service',
    ]);
  });

  it('reports a service without a health check, with a build context outside the repository or the wrong folder', () => {
    const problems = checkCompose(
      composeWith((services) => {
        services['simulator-smart']!.healthcheck = { disable: true };
        services['simulator-rivta']!.build!.additional_contexts = {
          standards: '../specifications',
        };
        services.scheduling!.build!.args = {
          SERVICE_DIR: 'subgraphs/provider-cliniq',
          SERVICE_PORT: 4001,
        };
      }),
      repository,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'simulator-smart: no health check',
        'simulator-rivta: build context standards (../specifications) is outside the repository',
        'scheduling: SERVICE_DIR is subgraphs/provider-cliniq, the registry says subgraphs/scheduling',
      ]),
    );
  });

  it('reports an unescaped `$` and a variable missing from .env.example', () => {
    const problems = checkCompose(
      composeWith((services) => {
        const env = services['provider-smart']!.environment as Record<string, string>;
        env.SMART_CONNECTIONS = env.SMART_CONNECTIONS!.replaceAll('$$', '$');
      }),
      repository,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's syntax, not a template.
        '${bulk} is not in .env.example (and has no default)',
        expect.stringMatching(/^provider-smart: SMART_CONNECTIONS is not what npm start sets/),
      ]),
    );
  });

  it('takes its secrets from .env: the committed example declares them without values', () => {
    const declared = Object.entries(repository.envFile);
    expect(declared.length).toBeGreaterThan(0);
    for (const [name, value] of declared) expect({ name, value }).toEqual({ name, value: '' });
  });
});

describe('interpolate', () => {
  it('substitutes as compose does', () => {
    const variables = { SET: 'x', EMPTY: '' };
    expect(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose's syntax, not a template.
      interpolate('$$a ${SET} $SET ${EMPTY:-d} ${EMPTY-d} ${UNSET-d} ${SET:?e}', variables),
    ).toEqual({
      value: '$a x x d  d x',
      references: [
        { name: 'SET', optional: false },
        { name: 'SET', optional: false },
        { name: 'EMPTY', optional: true },
        { name: 'EMPTY', optional: true },
        { name: 'UNSET', optional: true },
        { name: 'SET', optional: false },
      ],
    });
  });
});
