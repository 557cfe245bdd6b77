/**
 * `npm run bench`: starts the real multi-process system (simulators, provider subgraphs,
 * scheduling on a fresh PostgreSQL database, gateway) on free loopback ports, runs the phases in
 * `phases/` (fan-out and a hung provider, throughput, beside Hive Gateway, reservations, scale,
 * a mixed soak), writes `bench/results/latest.{json,md}` and prints the Markdown. Every phase is
 * bounded in requests and time, and a watchdog ends the run if the whole exceeds its budget.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
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
const providerDeadlineMs = 2000;
/** How long the soak runs; shorten with `BENCH_SOAK_SECONDS` for a quick run. */
const soakSeconds = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
/** The whole run, start-up and clean-up included, must end within this (peer 90 s, scale 300 s). */
const watchdogMs = 680_000 + soakSeconds * 1000;

async function runPhases(system: RunningSystem, ledgerUrl: string, runStarted: number) {
  const startupSeconds = round((Date.now() - runStarted) / 1000);
  log(`system ready in ${startupSeconds} s`);
  const { fanout, hungProvider } = await measureFanout(system, providerDeadlineMs);
  const throughput = await measureThroughput(system);
  const peer = await measurePeer(system);
  const reservations = await measureReservations(system, ledgerUrl);
  const scale = await measureScale(system);
  const soaked = await soak(system, soakSeconds);
  return {
    generatedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
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
    const quiet = Object.fromEntries(allServices.map((s) => [s.name, { LOG_LEVEL: 'warn' }]));
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
        scheduling: { LOG_LEVEL: 'warn', DATABASE_URL: database.url },
        'simulator-cliniq': { LOG_LEVEL: 'warn', CLINIQ_RATE_LIMIT_PER_SECOND: '100000' },
        // One client sends everything: the per-client rate limit is not what is measured.
        gateway: { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000000' },
      },
    });
    const result = await runPhases(system, database.url, runStarted);
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
