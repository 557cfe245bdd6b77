import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { ServiceDefinition } from '@booking/tools';
import { parse } from 'yaml';

/** The parts of a compose service that the checks read. */
export interface ComposeService {
  image?: string;
  build?: {
    context?: string;
    dockerfile?: string;
    additional_contexts?: Record<string, string>;
    args?: Record<string, string | number>;
  };
  environment?: Record<string, string | number | boolean | null> | string[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, unknown>;
  ports?: (string | number | { target?: number; published?: string | number })[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

/** What the compose file is checked against. */
export interface Repository {
  /** The folder of the compose file: build contexts and volumes are relative to it. */
  root: string;
  /** The registry's services (`packages/tools/src/registry.ts`). */
  services: readonly ServiceDefinition[];
  /** The gateway among them. */
  gateway: ServiceDefinition;
  /** What `npm start` sets per service to wire it to the others, with compose's URLs. */
  wiring: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The subgraph names of the composed supergraph (`join__Graph`). */
  supergraphSubgraphs: readonly string[];
  /** The committed env file (`.env.example`): the variables compose may take from `.env`. */
  envFile: Readonly<Record<string, string>>;
  /**
   * Per service name, its own `environment.ts` applied to an environment: the problems it
   * reports (`VARIABLE: message`), none when the service would start.
   */
  readEnvironment: Readonly<Record<string, (env: Record<string, string>) => readonly string[]>>;
  /** Per service name, the variables its `environment.ts` mentions. */
  knownVariables: Readonly<Record<string, ReadonlySet<string>>>;
  /** The base image of every stage of every service's image: production's Node, e.g. `node:24-bookworm-slim`. */
  nodeImage: string;
}

/** Read by the OpenTelemetry SDK itself, not by a service's `environment.ts`. */
const standardPrefix = 'OTEL_';

export function readComposeFile(path: string): ComposeFile {
  // Compose supports YAML merge keys (`<<: *anchor`).
  return parse(readFileSync(path, 'utf8'), { merge: true }) as ComposeFile;
}

/** `KEY=value` lines; comments and blank lines skipped. */
export function parseEnvFile(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (!match) continue;
    variables[match[1]!] = match[2]!.trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return variables;
}

/** A `${NAME}` in a compose value; `optional` when it has a default (`:-`, `-`, `:+`, `+`). */
export interface Reference {
  name: string;
  optional: boolean;
}

/** Compose's interpolation of one value: `$$`, `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME:?error}`… */
export function interpolate(
  text: string,
  variables: Readonly<Record<string, string>>,
): { value: string; references: Reference[] } {
  const references: Reference[] = [];
  const value = text.replace(
    /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_, dollar?: string, braced?: string, operator?: string, argument = '', bare?: string) => {
      if (dollar) return '$';
      const name = (braced ?? bare)!;
      const set = variables[name];
      const optional = operator !== undefined && !operator.endsWith('?');
      references.push({ name, optional });
      switch (operator) {
        case ':-':
          return set || argument;
        case '-':
          return set ?? argument;
        case ':+':
          return set ? argument : '';
        case '+':
          return set === undefined ? '' : argument;
        default:
          return set ?? '';
      }
    },
  );
  return { value, references };
}

function environmentOf(service: ComposeService): Record<string, string> {
  const { environment = {} } = service;
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]),
  );
}

/** The last stage of a Dockerfile: its `ENV` (build arguments substituted) and its `HEALTHCHECK`. */
function readImage(dockerfile: string, args: Readonly<Record<string, string>>) {
  const lines = dockerfile.replace(/\\\r?\n/g, ' ').split('\n');
  const lastFrom = lines.findLastIndex((line) => /^FROM\s/i.test(line));
  const stage = lines.slice(lastFrom);
  const env: Record<string, string> = {};
  for (const line of stage.filter((l) => /^ENV\s/i.test(l))) {
    for (const [, key, value] of line.slice(4).matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S*)/g)) {
      env[key!] = value!.replace(
        /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
        (_, name) => args[name] ?? '',
      );
    }
  }
  const healthcheck = stage.find((line) => /^HEALTHCHECK\s/i.test(line));
  return {
    env,
    healthcheck: healthcheck && !/^HEALTHCHECK\s+NONE/i.test(healthcheck) ? healthcheck : undefined,
  };
}

/**
 * The images a Dockerfile's stages start from, with build arguments substituted (a global `ARG`'s
 * default unless `args` sets it); stages built on an earlier stage are left out.
 */
function baseImages(dockerfile: string, args: Readonly<Record<string, string>>): string[] {
  const lines = dockerfile.replace(/\\\r?\n/g, ' ').split('\n');
  const firstFrom = lines.findIndex((line) => /^FROM\s/i.test(line));
  const defaults: Record<string, string> = {};
  for (const line of lines.slice(0, firstFrom)) {
    const match = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S*)/i.exec(line);
    if (match) defaults[match[1]!] = match[2]!;
  }
  const stages = new Set<string>();
  const images = new Set<string>();
  for (const line of lines.slice(firstFrom).filter((l) => /^FROM\s/i.test(l))) {
    const [image = '', ...rest] = line
      .slice(5)
      .trim()
      .split(/\s+/)
      .filter((word) => !word.startsWith('--'));
    const resolved = image.replace(
      /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
      (_, name: string) => args[name] ?? defaults[name] ?? '',
    );
    if (!stages.has(resolved)) images.add(resolved);
    if (rest[0]?.toUpperCase() === 'AS' && rest[1]) stages.add(rest[1]);
  }
  return [...images];
}

/** `a=x,b=y` lists compare as sets, JSON as values, the rest as text. */
function sameValue(actual: string, expected: string): boolean {
  const json = (text: string) => {
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, value: undefined };
    }
  };
  const [a, e] = [json(actual), json(expected)];
  if (a.ok && e.ok) return isDeepStrictEqual(a.value, e.value);
  const list = (text: string) =>
    text
      .split(',')
      .map((item) => item.trim())
      .sort()
      .join(',');
  return list(actual) === list(expected);
}

/** Hosts of the URLs in a value (`http://host:port/…`, `postgres://user:pw@host:port/db`, JSON). */
function urlHosts(value: string): string[] {
  return [...value.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s"]*@)?([A-Za-z0-9.-]+)/g)].map(
    (m) => m[1]!,
  );
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/**
 * Checks docker-compose.yml against the repository and returns every problem found (none: it
 * runs the system `npm start` runs). Every registry service is built from the repository with its
 * folder and port, on production's Node image, and has a health check; it gets the wiring `npm start` gives it, every variable
 * its `environment.ts` requires in production and none it does not know, and it starts with that
 * environment. The gateway's subgraphs are exactly the supergraph's and compose's.
 */
export function checkCompose(compose: ComposeFile, repo: Repository): string[] {
  const problems: string[] = [];
  const services = compose.services ?? {};
  const names = new Set(Object.keys(services));
  const report = (service: string, problem: string) => problems.push(`${service}: ${problem}`);

  // Variables compose takes from `.env`: each must be in the committed example unless it has a
  // default. Those left blank there are the operator's secrets.
  for (const text of strings(compose)) {
    for (const { name, optional } of interpolate(text, repo.envFile).references) {
      if (!optional && !(name in repo.envFile)) {
        problems.push(`\${${name}} is not in .env.example (and has no default)`);
      }
    }
  }
  const secrets = new Set(Object.keys(repo.envFile).filter((name) => repo.envFile[name] === ''));

  const built = Object.entries(services).filter(([, service]) => service.build);
  for (const definition of repo.services) {
    if (!services[definition.name]?.build) {
      report(
        definition.name,
        `a registry service (${definition.dir}) with no built compose service`,
      );
    }
  }

  const serviceDirs = new Map<string, string>();
  for (const [name, service] of built) {
    const definition = repo.services.find((s) => s.name === name);
    if (!definition) {
      report(name, 'built from the repository but not a registry service');
      continue;
    }
    const build = service.build!;
    const context = resolve(repo.root, build.context ?? '.');
    if (!existsSync(context)) report(name, `build context ${build.context} does not exist`);
    // A clone of the repository is all a build may need: nothing beside the checkout.
    const contexts = { '(main)': build.context ?? '.', ...build.additional_contexts };
    for (const [contextName, path] of Object.entries(contexts)) {
      const outside = relative(repo.root, resolve(repo.root, path));
      if (outside.startsWith('..') || isAbsolute(outside)) {
        report(name, `build context ${contextName} (${path}) is outside the repository`);
      }
    }
    const args = Object.fromEntries(
      Object.entries(build.args ?? {}).map(([key, value]) => [key, String(value)]),
    );
    serviceDirs.set(name, args.SERVICE_DIR ?? '');
    if (args.SERVICE_DIR !== definition.dir) {
      report(name, `SERVICE_DIR is ${args.SERVICE_DIR}, the registry says ${definition.dir}`);
    } else if (!existsSync(join(context, definition.dir))) {
      report(name, `${definition.dir} does not exist in the build context`);
    }
    if (args.SERVICE_PORT !== String(definition.port)) {
      report(name, `SERVICE_PORT is ${args.SERVICE_PORT}, the registry says ${definition.port}`);
    }

    const dockerfilePath = join(context, build.dockerfile ?? 'Dockerfile');
    const dockerfile = existsSync(dockerfilePath) ? readFileSync(dockerfilePath, 'utf8') : '';
    if (!dockerfile) report(name, `no ${build.dockerfile ?? 'Dockerfile'} in the build context`);
    const image = readImage(dockerfile, args);
    for (const base of baseImages(dockerfile, args)) {
      if (base !== repo.nodeImage) report(name, `built on ${base}, not ${repo.nodeImage}`);
    }
    const composeHealthcheck =
      service.healthcheck && !service.healthcheck.disable ? service.healthcheck.test : undefined;
    const healthcheck = composeHealthcheck
      ? strings(composeHealthcheck).join(' ')
      : image.healthcheck;
    if (service.healthcheck?.disable || !healthcheck) {
      report(name, 'no health check');
    } else if (!healthcheck.includes('/health/ready')) {
      report(name, 'its health check does not ask /health/ready');
    }

    const raw = environmentOf(service);
    const env: Record<string, string> = { ...image.env };
    const fromSecrets = new Set<string>();
    for (const [key, value] of Object.entries(raw)) {
      const { value: interpolated, references } = interpolate(value, repo.envFile);
      env[key] = interpolated;
      if (references.some((r) => secrets.has(r.name))) fromSecrets.add(key);
    }

    const read = repo.readEnvironment[name];
    if (!read) {
      report(name, 'no environment reader');
    } else {
      const variableOf = (problem: string) => problem.split(/[.:]/)[0]!;
      // What the service requires: what it complains about with the image's environment alone
      // (NODE_ENV=production), before compose adds anything.
      const required = new Set<string>();
      for (const problem of read(image.env)) {
        if (variableOf(problem) in raw) continue;
        required.add(variableOf(problem));
        report(name, `${variableOf(problem)} is required and not set (${problem})`);
      }
      // With compose's environment it starts; only values the operator supplies in .env (blank
      // in the example) may be wrong here.
      for (const problem of read(env)) {
        const variable = variableOf(problem);
        if (required.has(variable) || fromSecrets.has(variable)) continue;
        report(name, `its environment does not parse: ${problem}`);
      }
    }

    for (const key of Object.keys(raw)) {
      if (!key.startsWith(standardPrefix) && !repo.knownVariables[name]?.has(key)) {
        report(name, `${key} is not a variable of ${definition.dir}/src/environment.ts`);
      }
    }

    for (const [key, expected] of Object.entries(repo.wiring[name] ?? {})) {
      if (!(key in env)) report(name, `${key} is not set (npm start sets it)`);
      else if (!sameValue(env[key]!, expected)) {
        report(name, `${key} is not what npm start sets: ${env[key]} instead of ${expected}`);
      }
    }

    if (env.OTEL_SERVICE_NAME !== name) {
      report(name, `OTEL_SERVICE_NAME is ${env.OTEL_SERVICE_NAME}, not the service's name`);
    }
    for (const [key, value] of Object.entries(env)) {
      for (const host of urlHosts(value)) {
        if (!names.has(host))
          report(name, `${key} points at ${host}, which is not a compose service`);
      }
    }
  }

  for (const [name, service] of Object.entries(services)) {
    const dependencies = Array.isArray(service.depends_on)
      ? service.depends_on
      : Object.keys(service.depends_on ?? {});
    for (const dependency of dependencies) {
      if (!names.has(dependency)) report(name, `depends on ${dependency}, which does not exist`);
    }
  }

  // The gateway serves exactly the supergraph's subgraphs, which are exactly compose's subgraphs.
  const supergraph = [...repo.supergraphSubgraphs].sort();
  const subgraphServices = [...serviceDirs]
    .filter(([, dir]) => dir.startsWith('subgraphs/'))
    .map(([name]) => name)
    .sort();
  if (!isDeepStrictEqual(subgraphServices, supergraph)) {
    problems.push(
      `the supergraph's subgraphs (${supergraph.join(', ')}) are not compose's subgraph services (${subgraphServices.join(', ')})`,
    );
  }
  const gateway = services[repo.gateway.name];
  if (gateway) {
    const urls = interpolate(environmentOf(gateway).SUBGRAPH_URLS ?? '', repo.envFile).value;
    const routed = urls
      .split(',')
      .filter((item) => item.trim())
      .map((item) => {
        const [subgraph = '', url = ''] = item.split('=').map((s) => s.trim());
        const target = URL.canParse(url) ? new URL(url) : undefined;
        const port = services[subgraph]?.build?.args?.SERVICE_PORT;
        if (target?.hostname !== subgraph || target.port !== String(port)) {
          report(repo.gateway.name, `routes ${subgraph} to ${url}, not to its compose service`);
        }
        return subgraph;
      })
      .sort();
    if (!isDeepStrictEqual(routed, supergraph)) {
      report(
        repo.gateway.name,
        `SUBGRAPH_URLS names ${routed.join(', ')}; the supergraph has ${supergraph.join(', ')}`,
      );
    }
    const published = (gateway.ports ?? []).some((port) => {
      if (typeof port === 'object') {
        return (
          String(port.published) === String(repo.gateway.port) && port.target === repo.gateway.port
        );
      }
      return (
        String(port).split(':').slice(-2).join(':') === `${repo.gateway.port}:${repo.gateway.port}`
      );
    });
    if (!published) report(repo.gateway.name, `not published on ${repo.gateway.port}`);
  }
  return problems;
}
