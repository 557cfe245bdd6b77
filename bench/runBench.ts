/**
 * `npm run bench`: starts the real multi-process system (simulators, provider subgraphs,
 * scheduling on a fresh PostgreSQL database, gateway) on free loopback ports, runs the phases in
 * `phases/` (fan-out and a hung provider, throughput, beside Hive Gateway, reservations, scale,
 * a mixed soak), writes `bench/results/latest.{json,md}` and prints the Markdown. Every phase is
 * bounded in requests and time, and a watchdog ends the run if the whole exceeds its budget.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allServices, type RunningSystem, startSystem } from '@booking/tools';
import { log } from './client.js';
import { createBenchDatabase } from './database.js';
import { round } from './load.js';
import { hungTenant, measureFanout } from './phases/fanout.js';
import { measurePeer } from './phases/peer.js';
import { measureReservations } from './phases/reservations.js';
import { measureScale } from './phases/scale.js';
import { soak } from './phases/soak.js';
import { measureThroughput } from './phases/throughput.js';
import { renderReport } from './report.js';

const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
/** Loaded into every process: reports its V8 heap after each major collection (see the file). */
const heapProbe = new URL('./heapProbe.mjs', import.meta.url).href;
const providerDeadlineMs = 2000;
/** How long the soak runs; shorten with `BENCH_SOAK_SECONDS` for a quick run. */
const soakSeconds = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
/** The whole run, start-up and clean-up included, must end within this (peer 90 s, scale 300 s). */
const watchdogMs = 680_000 + soakSeconds * 1000;

async function runPhases(
  system: RunningSystem,
  ledgerUrl: string,
  heapDir: string,
  runStarted: number,
) {
  const startupSeconds = round((Date.now() - runStarted) / 1000);
  log(`system ready in ${startupSeconds} s`);
  const { fanout, hungProvider } = await measureFanout(system, providerDeadlineMs);
  const throughput = await measureThroughput(system);
  const peer = await measurePeer(system);
  const reservations = await measureReservations(system, ledgerUrl);
  const scale = await measureScale(system);
  const soaked = await soak(system, soakSeconds, heapDir);
  return {
    generatedAt: new Date().toISOString(),
    // Other work on the machine slows garbage collection too, which changes how V8 sizes its heap.
    machine: {
      cpus: cpus().length,
      node: process.version,
      loadAverage: loadavg().map((l) => round(l)),
    },
    startupSeconds,
    hungTenant,
    fanout,
    hungProvider,
    throughput,
    peer,
    reservations,
    scale,
    soak: soaked,
    totalSeconds: round((Date.now() - runStarted) / 1000),
  };
}

export type BenchResult = Awaited<ReturnType<typeof runPhases>>;

async function main(): Promise<void> {
  const runStarted = Date.now();
  const database = await createBenchDatabase();
  const heapDir = await mkdtemp(join(tmpdir(), 'bench-heap-'));
  const recentOutput: string[] = [];
  let system: RunningSystem | undefined;
  let cleaningUp: Promise<void> | undefined;
  const cleanUp = () => {
    cleaningUp ??= (async () => {
      try {
        await system?.stop();
      } catch (error) {
        log(`stopping the system: ${(error as Error).message}`);
      }
      await database.drop();
      await rm(heapDir, { recursive: true, force: true });
    })();
    return cleaningUp;
  };
  const abort = (reason: string) => {
    log(`${reason}: stopping`);
    void cleanUp().finally(() => process.exit(1));
  };
  const watchdog = setTimeout(() => abort(`over the ${watchdogMs / 1000} s budget`), watchdogMs);
  process.once('SIGINT', () => abort('interrupted'));
  process.once('SIGTERM', () => abort('terminated'));

  try {
    log('starting the system');
    // Every process quiet, and observed: the heap probe writes into heapDir.
    const nodeOptions = `${process.env.NODE_OPTIONS ?? ''} --import="${heapProbe}"`.trim();
    const base = { LOG_LEVEL: 'warn', NODE_OPTIONS: nodeOptions, BENCH_HEAP_DIR: heapDir };
    const quiet = Object.fromEntries(allServices.map((s) => [s.name, base]));
    system = await startSystem({
      ports: 'free',
      colour: false,
      output: (line) => {
        recentOutput.push(line);
        if (recentOutput.length > 40) recentOutput.shift();
      },
      providerDeadlineMs,
      env: {
        ...quiet,
        scheduling: { ...base, DATABASE_URL: database.url },
        'simulator-cliniq': { ...base, CLINIQ_RATE_LIMIT_PER_SECOND: '100000' },
        // One client sends everything: the per-client rate limit is not what is measured.
        gateway: { ...base, RATE_LIMIT_PER_MINUTE: '100000000' },
      },
    });
    const result = await runPhases(system, database.url, heapDir, runStarted);
    const markdown = renderReport(result);
    await mkdir(resultsDir, { recursive: true });
    await writeFile(join(resultsDir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
    await writeFile(join(resultsDir, 'latest.md'), markdown);
    process.stdout.write(`${markdown}\n`);
  } catch (error) {
    log(`failed: ${(error as Error).stack ?? error}`);
    if (recentOutput.length) log(`last service output:\n${recentOutput.join('\n')}`);
    process.exitCode = 1;
  } finally {
    log('stopping the system and dropping the database');
    await cleanUp();
    clearTimeout(watchdog);
  }
}

await main();
