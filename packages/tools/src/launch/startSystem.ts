import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../compose/composeSupergraph.js';
import {
  allServices,
  demoServices,
  demoWiring,
  gateway,
  identity,
  providers,
  type ServiceDefinition,
  scheduling,
  serviceWiring,
  webPage,
} from '../registry.js';
import { formatLogLine } from './formatLogLine.js';

export interface StartSystemOptions {
  /** Port per service name; `0` or `'free'` picks a free port. Default: the registry's ports. */
  ports?: Record<string, number> | 'free';
  /** Extra environment per service name, e.g. `{ 'simulator-cliniq': { CLINIQ_LATENCY_MS: '50' } }`. */
  env?: Record<string, Record<string, string>>;
  /** Receives every output line, already prefixed with the service name. Default: stdout. */
  output?: (line: string) => void;
  /** Colour the output. Default: when stdout is a terminal. */
  colour?: boolean;
  /** How long to wait for every service to become ready. Default: 180 s. */
  readyTimeoutMs?: number;
  /**
   * `PROVIDER_DEADLINE_MS` for scheduling and every provider subgraph (each stops at its own
   * deadline). Tests that are not about deadlines raise it: a cold system's first search, nine
   * processes compiling on two cores, can take longer than the 2 s default. Scheduling's
   * `RECONCILE_AFTER_MS` (10 s by default) is raised with it to stay longer than the deadline, as
   * scheduling requires; `env.scheduling` may still set its own.
   */
  providerDeadlineMs?: number;
  /**
   * Also the development identity provider and the demo booking page (`npm start`), wired to the
   * gateway: it trusts the provider's tokens and lets the page's origin in. Default: false.
   */
  demo?: boolean;
}

/** One running service process. */
export interface ServiceProcess {
  name: string;
  /** Base URL, e.g. `http://127.0.0.1:4001`. */
  url: string;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process has exited. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crash would; resolves when the process has exited. */
  kill(): Promise<void>;
}

export interface RunningSystem {
  /** Base URL (`http://127.0.0.1:port`) per service name. */
  urls: Record<string, string>;
  /** The public GraphQL endpoint. */
  graphqlUrl: string;
  /** The first process of each service, by name. */
  processes: Record<string, ServiceProcess>;
  /**
   * Starts one more process of a service, wired like the first, on a free port (e.g. a second
   * scheduling instance sharing the database, or a restart after a crash).
   */
  startInstance(
    name: string,
    options?: { env?: Record<string, string>; label?: string },
  ): Promise<ServiceProcess>;
  /**
   * Starts a service's first process again, on its own port and wired as before, after it was
   * killed or stopped (a crash and its restart); it replaces `processes[name]`.
   */
  restart(name: string): Promise<ServiceProcess>;
  /** Stops every service (SIGTERM, then SIGKILL after 10 s), in reverse start order. */
  stop(): Promise<void>;
}

/**
 * `count` distinct free ports. Every probe listens until all are chosen: one released at once
 * could be handed out again by the next probe, and two services given one port would have the
 * second's readiness answered by the first.
 */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  try {
    return await Promise.all(
      servers.map(async (server) => {
        server.listen(0, '127.0.0.1');
        await once(server, 'listening');
        return (server.address() as { port: number }).port;
      }),
    );
  } finally {
    await Promise.all(
      servers.map((server) => (server.listening ? once(server.close(), 'close') : undefined)),
    );
  }
}

async function waitUntilReady(url: string, child: ChildProcess, deadline: number): Promise<void> {
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(5000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not ready at ${url}/health/ready in time (last answer: ${last.slice(0, 500)})`);
}

const colours = ['36', '35', '34', '33', '32', '96', '95', '94'];

/**
 * Starts the whole system as separate processes from the built packages (`dist/`): simulators,
 * provider subgraphs, scheduling and the gateway (with `demo`, the identity provider and the demo
 * page too), each wired to the others by environment, each
 * awaited until ready. The same code path serves `npm start` and the system tests.
 */
export async function startSystem(options: StartSystemOptions = {}): Promise<RunningSystem> {
  const colour = options.colour ?? process.stdout.isTTY === true;
  const output = options.output ?? ((line: string) => process.stdout.write(`${line}\n`));
  const services = options.demo ? [...allServices, ...demoServices] : allServices;
  const width = Math.max(...services.map((s) => s.name.length));
  const wanted = services.map((service) =>
    options.ports === 'free' ? 0 : (options.ports?.[service.name] ?? service.port),
  );
  const free = await freePorts(wanted.filter((port) => port === 0).length);
  const ports: Record<string, number> = {};
  for (const [index, service] of services.entries()) {
    ports[service.name] = wanted[index] || free.pop()!;
  }
  const urlOf = (service: ServiceDefinition) => `http://127.0.0.1:${ports[service.name]}`;
  const urls = Object.fromEntries(services.map((s) => [s.name, urlOf(s)]));

  const wiring = serviceWiring(urlOf);
  if (options.demo) {
    for (const [name, env] of Object.entries(demoWiring(urlOf))) {
      wiring[name] = { ...wiring[name], ...env };
    }
  }
  const deadlineOf = (service: ServiceDefinition): Record<string, string> => {
    const deadlineMs = options.providerDeadlineMs;
    if (deadlineMs === undefined) return {};
    if (service === scheduling) {
      // A reservation is looked up only once no call on it can be in flight any more.
      const reconcileAfterMs = Math.max(10_000, deadlineMs + 2_000);
      return {
        PROVIDER_DEADLINE_MS: String(deadlineMs),
        RECONCILE_AFTER_MS: String(reconcileAfterMs),
      };
    }
    return providers.some((p) => p.subgraph === service)
      ? { PROVIDER_DEADLINE_MS: String(deadlineMs) }
      : {};
  };

  const started: ServiceProcess[] = [];
  /** The last output lines of each service, by label, for the error when one is not ready. */
  const recentOutput = new Map<string, string[]>();
  // A caller that exits without stopping (a test runner that gave up on a hook, a crash) must not
  // leave services behind holding ports: whatever still runs dies with this process.
  const killLeftovers = () => {
    for (const service of started)
      if (service.child.exitCode === null) service.child.kill('SIGKILL');
  };
  process.once('exit', killLeftovers);
  const stop = async () => {
    for (const service of [...started].reverse()) await service.stop();
    process.off('exit', killLeftovers);
  };

  async function spawnService(
    service: ServiceDefinition,
    port: number,
    env: Record<string, string> | undefined,
    label: string,
    readyBy: number,
  ): Promise<ServiceProcess> {
    const index = services.indexOf(service);
    const prefix = label.padEnd(width);
    const shownPrefix = colour
      ? `\x1b[${colours[index % colours.length]}m${prefix}\x1b[0m`
      : prefix;
    const child = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        // OpenTelemetry before the service's own code (it stays off without OTEL_* exporter variables).
        '--import',
        '@booking/telemetry/register',
        join(repoRoot, service.dir, 'dist/index.js'),
      ],
      {
        cwd: join(repoRoot, service.dir),
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          ...wiring[service.name],
          ...deadlineOf(service),
          ...options.env?.[service.name],
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const running = () => child.exitCode === null && child.signalCode === null;
    const handle: ServiceProcess = {
      name: service.name,
      url: `http://127.0.0.1:${port}`,
      child,
      async stop() {
        if (!running()) return;
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      },
      async kill() {
        if (running()) child.kill('SIGKILL');
        await exited;
      },
    };
    started.push(handle);
    // The last lines of a service's output go into the error when it does not become ready.
    const recent: string[] = [];
    recentOutput.set(label, recent);
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream! }).on('line', (line) => {
        const shown = formatLogLine(line, false);
        recent.push(shown);
        if (recent.length > 20) recent.shift();
        output(`${shownPrefix} | ${colour ? formatLogLine(line, true) : shown}`);
      });
    }
    try {
      await waitUntilReady(handle.url, child, readyBy);
    } catch (error) {
      // A service is often not ready because of another (the gateway waits for its subgraphs):
      // the others' last lines go into the error too.
      const others = [...recentOutput].filter(([name]) => name !== label);
      const tail = [[label, recent] as const, ...others]
        .filter(([, lines]) => lines.length > 0)
        .map(([name, lines]) => {
          const shown = name === label ? lines : lines.slice(-5);
          return `\n  last output of ${name}:\n${shown.map((l) => `    ${l}`).join('\n')}`;
        })
        .join('');
      throw new Error(`${label}: ${(error as Error).message}${tail}`);
    }
    return handle;
  }

  const processes: Record<string, ServiceProcess> = {};
  const readyTimeoutMs = options.readyTimeoutMs ?? 180_000;
  const deadline = Date.now() + readyTimeoutMs;
  try {
    // Services of one layer start together; each layer waits for the one before it.
    const layers = [
      [...providers.map((p) => p.simulator), ...(options.demo ? [identity] : [])],
      providers.map((p) => p.subgraph),
      [scheduling],
      [gateway],
      options.demo ? [webPage] : [],
    ];
    for (const layer of layers) {
      await Promise.all(
        layer.map(async (service) => {
          processes[service.name] = await spawnService(
            service,
            ports[service.name]!,
            undefined,
            service.name,
            deadline,
          );
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  let instances = 1;
  return {
    urls,
    graphqlUrl: `${urls[gateway.name]}/graphql`,
    processes,
    async restart(name) {
      const service = services.find((s) => s.name === name);
      const previous = processes[name];
      if (!service || !previous) throw new Error(`no service named ${name}`);
      if (previous.child.exitCode === null && previous.child.signalCode === null) {
        throw new Error(`${name} is still running: kill or stop it first`);
      }
      processes[name] = await spawnService(
        service,
        ports[name]!,
        undefined,
        name,
        Date.now() + readyTimeoutMs,
      );
      return processes[name];
    },
    async startInstance(name, instanceOptions = {}) {
      const service = services.find((s) => s.name === name);
      if (!service) throw new Error(`no service named ${name}`);
      instances += 1;
      return spawnService(
        service,
        (await freePorts(1))[0]!,
        instanceOptions.env,
        instanceOptions.label ?? `${name}#${instances}`,
        Date.now() + readyTimeoutMs,
      );
    },
    stop,
  };
}
