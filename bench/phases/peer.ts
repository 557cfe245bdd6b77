/**
 * Our gateway beside Hive Gateway (`@graphql-hive/gateway`), a peer federation gateway: the same
 * supergraph, the same running subgraphs, the same client load, measured in alternating rounds so
 * that both see the same machine. Hive Gateway runs as a process of its own, like ours, and is
 * stopped by this phase whatever happens (and on the bench's exit, should the watchdog fire).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { supergraphSubgraphs } from '@booking/gateway';
import {
  developmentInternalSecret,
  identityHeaders,
  internalSecretHeader,
} from '@booking/server-kit';
import type { RunningSystem } from '@booking/tools';
import { type GraphQLBody, graphql, log } from '../client.js';
import { type LoadResult, round, runLoad } from '../load.js';
import { stats } from '../measure.js';

const concurrency = 10;
/** Each measured run: at most this many requests or this long, whichever comes first. */
const runMaxRequests = 4000;
const runSeconds = 2;
/**
 * Rounds of (ours, Hive, direct) per mode, the order reversed every other round: short runs
 * interleaved, so that what other processes do to the machine falls on every target alike.
 */
const rounds = 4;
const warmUpSeconds = 2;
const hiveReadyTimeoutMs = 60_000;

/** README's first query: the next 7 days' free slots, `first: 3`. */
const readmeQuery = `query ($filter: AvailabilityFilter!) { availability(filter: $filter, first: 3) { edges { node { start end clinic { name } provider { name } practitioner { name } bookingMethod } } pageInfo { hasNextPage endCursor } providerOutcomes { provider { name } status latencyMs } } }`;

const supergraphPath = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));
const hiveBin = createRequire(import.meta.url).resolve('@graphql-hive/gateway/package.json');

/**
 * Hive Gateway's configuration: it proves itself to the subgraphs with the internal secret, as our
 * gateway does, and passes on the identity the bench client sends (the headers our gateway derives
 * from the bench's token; Hive Gateway verifies no token, which is less work than ours does).
 */
const hiveConfig = `export const gatewayConfig = {
  logging: 'error',
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({
      '${internalSecretHeader}': process.env.BENCH_INTERNAL_SECRET,
      '${identityHeaders.clientId}': request.headers.get('${identityHeaders.clientId}'),
      '${identityHeaders.subject}': request.headers.get('${identityHeaders.subject}'),
      '${identityHeaders.scopes}': request.headers.get('${identityHeaders.scopes}'),
    }),
  },
};
`;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The 7-day window from `base`, moved `seconds` later: each request its own window when they
 * differ, over the same days (scheduling's slot cache keeps days, so it serves every window alike).
 */
function window(base: number, seconds: number) {
  const from = new Date(base + seconds * 1000);
  const to = new Date(from.getTime() + 7 * 24 * 3_600_000);
  const iso = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;
  return { filter: { from: iso(from), to: iso(to) } };
}

async function readmeAvailability(url: string, variables: object): Promise<GraphQLBody> {
  const body = await graphql(url, readmeQuery, variables);
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body;
}

interface HiveGateway {
  url: string;
  stop(): Promise<void>;
}

/**
 * Hive Gateway on a free loopback port over the supergraph, its subgraph URLs those of the
 * running system. Killed when the bench process exits, should the phase never reach its `stop`.
 */
async function startHiveGateway(system: RunningSystem, output: string[]): Promise<HiveGateway> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-hive-'));
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    let supergraph = await readFile(supergraphPath, 'utf8');
    for (const { name, url } of supergraphSubgraphs(supergraph)) {
      const running = system.urls[name];
      if (!running) throw new Error(`no running subgraph ${name}`);
      supergraph = supergraph.replaceAll(`"${url}"`, `"${running}/graphql"`);
    }
    await writeFile(join(dir, 'supergraph.graphql'), supergraph);
    await writeFile(join(dir, 'gateway.config.mjs'), hiveConfig);
    const port = await freePort();
    const bin = join(hiveBin, '..', 'dist', 'bin.js');
    child = spawn(
      process.execPath,
      [bin, 'supergraph', 'supergraph.graphql', '--config-path', 'gateway.config.mjs'],
      {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'production',
          HOST: '127.0.0.1',
          PORT: String(port),
          FORK: '1',
          BENCH_INTERNAL_SECRET: developmentInternalSecret,
        },
      },
    );
    const keep = (chunk: Buffer) => {
      output.push(...chunk.toString().split('\n').filter(Boolean));
      output.splice(0, Math.max(0, output.length - 40));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const url = `http://127.0.0.1:${port}/graphql`;
    const deadline = Date.now() + hiveReadyTimeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`Hive Gateway exited (${child.exitCode})`);
      try {
        await readmeAvailability(url, window(Date.now(), 0));
        return { url, stop };
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`Hive Gateway not answering at ${url}: ${(error as Error).message}`);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

type Target = 'ours' | 'hive' | 'direct';

/** Requests per second and latencies of each target over every round of one mode. */
async function compare(urls: Record<Target, string>, variables: (index: number) => object) {
  const runs: Record<Target, LoadResult<GraphQLBody>[]> = { ours: [], hive: [], direct: [] };
  const order: Target[] = ['ours', 'hive', 'direct'];
  for (let round = 0; round < rounds; round += 1) {
    for (const target of round % 2 === 0 ? order : [...order].reverse()) {
      runs[target].push(
        await runLoad({
          concurrency,
          maxRequests: runMaxRequests,
          maxDurationMs: runSeconds * 1000,
          task: (index) => readmeAvailability(urls[target], variables(index)),
        }),
      );
    }
  }
  const summary = (results: LoadResult<GraphQLBody>[]) => {
    const latencies = results.flatMap((r) => r.latenciesMs);
    const seconds = results.reduce((sum, r) => sum + r.durationMs, 0) / 1000;
    return {
      rps: round(seconds > 0 ? latencies.length / seconds : 0),
      ...stats(latencies),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      errorSamples: results.flatMap((r) => r.errorSamples).slice(0, 3),
    };
  };
  const ours = summary(runs.ours);
  const hive = summary(runs.hive);
  const direct = summary(runs.direct);
  return {
    oursRps: ours.rps,
    hiveRps: hive.rps,
    directRps: direct.rps,
    oursOverHive: hive.rps > 0 ? round(ours.rps / hive.rps, 3) : 0,
    oursOverDirect: direct.rps > 0 ? round(ours.rps / direct.rps, 3) : 0,
    ours,
    hive,
    direct,
  };
}

/**
 * The README's 7-day availability query at concurrency 10 through our gateway, Hive Gateway and
 * scheduling directly: (a) every request the same, (b) every request its own window.
 */
export async function measurePeer(system: RunningSystem) {
  log('peer: starting Hive Gateway');
  const output: string[] = [];
  const hive = await startHiveGateway(system, output).catch((error: Error) => {
    throw new Error(`${error.message}\nHive Gateway output:\n${output.join('\n')}`);
  });
  try {
    const urls: Record<Target, string> = {
      ours: system.graphqlUrl,
      hive: hive.url,
      direct: `${system.urls.scheduling}/graphql`,
    };
    const base = Date.now();
    // The same slots through both gateways: both answer the query alike.
    const [viaOurs, viaHive] = await Promise.all(
      [urls.ours, urls.hive].map((url) => readmeAvailability(url, window(base, 0))),
    );
    const sameAnswer =
      JSON.stringify(viaOurs!.data.availability.edges) ===
      JSON.stringify(viaHive!.data.availability.edges);
    for (const url of Object.values(urls)) {
      await runLoad({
        concurrency,
        maxRequests: runMaxRequests,
        maxDurationMs: warmUpSeconds * 1000,
        task: (index) => readmeAvailability(url, window(base, -1 - index)),
      });
    }
    log('peer: identical queries');
    const identical = await compare(urls, () => window(base, 0));
    log('peer: a different window per request');
    // Counted over every run, so that no target is sent a window another was sent before it.
    let sent = 0;
    const distinct = await compare(urls, () => {
      sent += 1;
      return window(base, sent);
    });
    return {
      concurrency,
      rounds,
      runSeconds,
      hiveGatewayVersion: JSON.parse(await readFile(hiveBin, 'utf8')).version as string,
      sameAnswer,
      identical,
      distinct,
    };
  } finally {
    await hive.stop();
  }
}
