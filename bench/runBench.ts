/**
 * `npm run bench`: starts the real multi-process system (simulators, provider subgraphs,
 * scheduling on a fresh PostgreSQL database, gateway) on free loopback ports, measures fan-out
 * latency, a hung provider, gateway vs direct throughput, reservations and gateway memory, writes
 * `bench/results/latest.{json,md}` and prints the Markdown. Every phase is bounded in requests
 * and time, and a watchdog ends the run if the whole exceeds its budget.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signDevelopmentToken } from '@booking/gateway';
import {
  developmentInternalSecret,
  identityHeaders,
  internalSecretHeader,
  Scope,
} from '@booking/server-kit';
import {
  allServices,
  providers,
  type RunningSystem,
  type ServiceProcess,
  startSystem,
} from '@booking/tools';
import { DateTime } from 'luxon';
import pg from 'pg';
import { percentile, round, runLoad } from './load.js';

const adminPostgresUrl =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
/** The whole run, start-up and clean-up included, must end within this. */
const watchdogMs = 290_000;
const requestTimeoutMs = 15_000;

/** Simulated provider latencies for the fan-out phase (ms), set through the admin APIs. */
const fanoutLatencies = { cliniq: 50, fhir: 100, rivta: 150, smart: 0 };
const providerDeadlineMs = 2000;
const hungTenant = 'vastkusten';
const hungProviderName = 'Västkustens Vårdcentraler';
const patient = {
  personalIdentityNumber: '19900101-0017',
  givenName: 'Bench',
  familyName: 'Patient',
};

interface GraphQLBody {
  // biome-ignore lint/suspicious/noExplicitAny: the bench walks untyped GraphQL results by path
  data?: any;
  errors?: { message: string }[];
}
interface Outcome {
  provider: { id: string; name: string };
  status: string;
  latencyMs: number | null;
  ageMs: number | null;
}
interface Edge {
  node: {
    id: string;
    start: string;
    bookingMethod: string;
    provider: { id: string; name: string };
  };
}

const availabilityQuery = `query Availability($filter: AvailabilityFilter!, $first: Int, $after: String) {
  availability(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id start end bookingMethod provider { id name } } }
    providerOutcomes { provider { id name } status latencyMs ageMs }
  }
}`;
const reserveMutation = `mutation Reserve($input: ReserveSlotInput!) {
  reserveSlot(input: $input) {
    __typename
    ... on ReservationResult { reservation { id status } }
    ... on BookingError { message }
  }
}`;

/** The bench's client: a development JWT for the gateway, identity headers for scheduling. */
const benchScopes = [Scope.AvailabilityRead, Scope.ReservationsRead, Scope.ReservationsWrite];
const benchHeaders = {
  'content-type': 'application/json',
  authorization: `Bearer ${await signDevelopmentToken({ clientId: 'bench', scopes: benchScopes })}`,
  // Only read by scheduling, for the requests the bench sends it directly, as the gateway would.
  [internalSecretHeader]: developmentInternalSecret,
  [identityHeaders.clientId]: 'bench',
  [identityHeaders.scopes]: benchScopes.join(' '),
};

async function graphql(url: string, query: string, variables: object): Promise<GraphQLBody> {
  const response = await fetch(url, {
    method: 'POST',
    headers: benchHeaders,
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(requestTimeoutMs),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as GraphQLBody;
}

/** Availability that must answer without GraphQL errors. */
async function availability(url: string, variables: object) {
  const body = await graphql(url, availabilityQuery, variables);
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data.availability as {
    edges: Edge[];
    providerOutcomes: Outcome[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

async function admin(baseUrl: string, config: object): Promise<void> {
  const response = await fetch(`${baseUrl}/_admin/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(config),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) {
    throw new Error(`${baseUrl}/_admin/config: ${response.status} ${await response.text()}`);
  }
}

async function setLatencies(system: RunningSystem, l: typeof fanoutLatencies): Promise<void> {
  await admin(system.urls['simulator-cliniq']!, { latencyMs: l.cliniq });
  await admin(system.urls['simulator-fhir']!, { latencyMs: l.fhir });
  await admin(system.urls['simulator-rivta']!, { latencyMs: l.rivta });
  await admin(system.urls['simulator-smart']!, { latencyMs: l.smart });
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
  return round(kb / 1024);
}

function week(days = 7) {
  const from = DateTime.now().setZone('Europe/Stockholm').startOf('day').plus({ days: 1 });
  return { from: from.toISO()!, to: from.plus({ days }).toISO()! };
}

function stats(values: readonly number[]) {
  return {
    count: values.length,
    p50Ms: round(percentile(values, 50)),
    p90Ms: round(percentile(values, 90)),
    p99Ms: round(percentile(values, 99)),
    maxMs: round(values.length ? Math.max(...values) : 0),
  };
}

/** The `latencyMs` distribution of every provider's outcomes over many answers. */
function outcomeLatencies(answers: readonly { providerOutcomes: Outcome[] }[]) {
  const byProvider = new Map<string, { latencies: number[]; statuses: Record<string, number> }>();
  for (const answer of answers) {
    for (const o of answer.providerOutcomes) {
      const entry = byProvider.get(o.provider.name) ?? { latencies: [], statuses: {} };
      if (o.latencyMs !== null) entry.latencies.push(o.latencyMs);
      entry.statuses[o.status] = (entry.statuses[o.status] ?? 0) + 1;
      byProvider.set(o.provider.name, entry);
    }
  }
  return Object.fromEntries(
    [...byProvider].map(([name, e]) => [name, { ...stats(e.latencies), statuses: e.statuses }]),
  );
}

/** Drops the bench database; the system is stopped first, so nothing is connected any more. */
async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminPostgresUrl });
  await client.connect();
  try {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      try {
        await client.query(`drop database if exists ${name} with (force)`);
        return;
      } catch (error) {
        if (attempt === 19) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await client.end();
  }
}

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

async function main(): Promise<void> {
  const runStarted = Date.now();
  const dbName = `bench_${randomBytes(6).toString('hex')}`;
  const adminClient = new pg.Client({ connectionString: adminPostgresUrl });
  await adminClient.connect();
  await adminClient.query(`create database ${dbName}`);
  await adminClient.end();
  const dbUrl = new URL(adminPostgresUrl);
  dbUrl.pathname = `/${dbName}`;

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
      await dropDatabase(dbName);
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
      env: {
        ...quiet,
        scheduling: {
          LOG_LEVEL: 'warn',
          DATABASE_URL: dbUrl.toString(),
          PROVIDER_DEADLINE_MS: String(providerDeadlineMs),
        },
        'simulator-cliniq': { LOG_LEVEL: 'warn', CLINIQ_RATE_LIMIT_PER_SECOND: '100000' },
        // One client sends everything: the per-client rate limit is not what is measured.
        gateway: { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000000' },
      },
    });
    const startupSeconds = round((Date.now() - runStarted) / 1000);
    log(`system ready in ${startupSeconds} s`);
    const gatewayUrl = system.graphqlUrl;
    const schedulingUrl = `${system.urls.scheduling}/graphql`;
    const query = { filter: week(7), first: 50 };

    // Fan-out and the hung provider are about the providers' own latency, so they run through a
    // second gateway and scheduling whose slot cache never serves an answer (it still serves one
    // when a provider fails, as in production). Throughput measures the cached path.
    log('starting an uncached gateway and scheduling for the fan-out phases');
    const uncachedScheduling: ServiceProcess = await system.startInstance('scheduling', {
      label: 'scheduling-uncached',
      env: { CACHE_FRESH_MS: '0', CACHE_STALE_MS: '0' },
    });
    const uncachedGateway: ServiceProcess = await system.startInstance('gateway', {
      label: 'gateway-uncached',
      env: {
        SUBGRAPH_URLS: [
          `scheduling=${uncachedScheduling.url}/graphql`,
          ...providers.map((p) => `${p.subgraph.name}=${system!.urls[p.subgraph.name]}/graphql`),
        ].join(','),
      },
    });
    const uncachedGatewayUrl = `${uncachedGateway.url}/graphql`;

    // --- fan-out with simulated provider latencies -------------------------------------------
    log('fan-out');
    await setLatencies(system, fanoutLatencies);
    await runLoad({
      concurrency: 4,
      maxRequests: 8,
      maxDurationMs: 10_000,
      task: () => availability(uncachedGatewayUrl, query),
    });
    const fanout = await runLoad({
      concurrency: 4,
      maxRequests: 200,
      maxDurationMs: 30_000,
      task: () => availability(uncachedGatewayUrl, query),
    });
    const fanoutOutcomes = outcomeLatencies(fanout.results);
    const providerLatenciesMs = Object.values(fanoutLatencies);
    const slowestProviderMs = Math.max(...providerLatenciesMs);
    const slowestMeasuredP50 = Math.max(...Object.values(fanoutOutcomes).map((o) => o.p50Ms));

    // --- one provider hung past the deadline -------------------------------------------------
    log('hung provider');
    await setLatencies(system, { cliniq: 0, fhir: 0, rivta: 0, smart: 0 });
    await admin(system.urls['simulator-cliniq']!, {
      tenants: { [hungTenant]: { latencyMs: 60_000 } },
    });
    const hung = await runLoad({
      concurrency: 4,
      maxRequests: 24,
      maxDurationMs: 20_000,
      task: async () => {
        const answer = await availability(uncachedGatewayUrl, query);
        const others = answer.edges.filter((e) => e.node.provider.name !== hungProviderName);
        return { ...answer, otherSlots: others.length };
      },
    });
    await admin(system.urls['simulator-cliniq']!, {
      tenants: { [hungTenant]: { latencyMs: null } },
    });
    const hungOutcomes = outcomeLatencies(hung.results);
    await uncachedGateway.stop();
    await uncachedScheduling.stop();
    const otherProvidersSlots = hung.results.length
      ? Math.min(...hung.results.map((r) => r.otherSlots))
      : 0;

    // --- throughput: gateway vs scheduling directly ------------------------------------------
    log('throughput');
    const direct = (url: string) => () => availability(url, query);
    for (const url of [gatewayUrl, schedulingUrl]) {
      await runLoad({ concurrency: 16, maxRequests: 2000, maxDurationMs: 3000, task: direct(url) });
    }
    const throughputGateway = await runLoad({
      concurrency: 16,
      maxRequests: 100_000,
      maxDurationMs: 15_000,
      task: direct(gatewayUrl),
    });
    const throughputDirect = await runLoad({
      concurrency: 16,
      maxRequests: 100_000,
      maxDurationMs: 15_000,
      task: direct(schedulingUrl),
    });

    // --- reservations ------------------------------------------------------------------------
    log('reservations: collecting free API-bookable slots');
    const wanted = 600;
    const slots: string[] = [];
    const perProvider: Record<string, number> = {};
    const window = week(27);
    let after: string | null = null;
    for (let page = 0; page < 40 && slots.length < wanted; page += 1) {
      const answer = await availability(gatewayUrl, { filter: window, first: 200, after });
      for (const { node } of answer.edges) {
        if (node.bookingMethod !== 'API' || slots.length >= wanted) continue;
        slots.push(node.id);
        perProvider[node.provider.name] = (perProvider[node.provider.name] ?? 0) + 1;
      }
      after = answer.pageInfo.hasNextPage ? answer.pageInfo.endCursor : null;
      if (!after) break;
    }
    log(`reservations: ${slots.length} slots, reserving`);
    const runId = randomBytes(4).toString('hex');
    const reservations = await runLoad({
      concurrency: 32,
      maxRequests: slots.length,
      maxDurationMs: 45_000,
      task: async (i) => {
        const body = await graphql(gatewayUrl, reserveMutation, {
          input: { slotId: slots[i], patient, idempotencyKey: `bench-${runId}-${i}` },
        });
        if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
        const result = body.data.reserveSlot as {
          __typename: string;
          reservation?: { status: string };
          message?: string;
        };
        return result.reservation?.status ?? result.__typename;
      },
    });
    const reservationOutcomes: Record<string, number> = {};
    for (const r of reservations.results)
      reservationOutcomes[r] = (reservationOutcomes[r] ?? 0) + 1;
    const confirmed = reservationOutcomes.CONFIRMED ?? 0;
    const ledger = new pg.Client({ connectionString: dbUrl.toString() });
    await ledger.connect();
    let doubleBookings: number;
    let ledgerConfirmed: number;
    try {
      const dup = await ledger.query<{ n: string }>(
        `select count(*) as n from (select connection_id, slot_id from reservations
           where status = 'CONFIRMED' group by connection_id, slot_id having count(*) > 1) d`,
      );
      doubleBookings = Number(dup.rows[0]!.n);
      const all = await ledger.query<{ n: string }>(
        `select count(*) as n from reservations where status = 'CONFIRMED'`,
      );
      ledgerConfirmed = Number(all.rows[0]!.n);
    } finally {
      await ledger.end();
    }

    // --- memory soak -------------------------------------------------------------------------
    log('memory soak');
    const gatewayPid = system.processes.gateway!.child.pid!;
    const soakSeconds = 60;
    const rssSamples: { atSeconds: number; rssMb: number }[] = [];
    const gatewayRssStartMb = await rssMb(gatewayPid);
    rssSamples.push({ atSeconds: 0, rssMb: gatewayRssStartMb });
    const soakStarted = Date.now();
    const sampler = setInterval(() => {
      void rssMb(gatewayPid).then((mb) =>
        rssSamples.push({ atSeconds: round((Date.now() - soakStarted) / 1000), rssMb: mb }),
      );
    }, 5000);
    const soak = await runLoad({
      concurrency: 4,
      maxRequests: 100_000,
      maxDurationMs: soakSeconds * 1000,
      task: direct(gatewayUrl),
    });
    clearInterval(sampler);
    const gatewayRssEndMb = await rssMb(gatewayPid);
    rssSamples.push({
      atSeconds: round((Date.now() - soakStarted) / 1000),
      rssMb: gatewayRssEndMb,
    });

    // --- report ------------------------------------------------------------------------------
    const gatewayRps = round(throughputGateway.requestsPerSecond);
    // Share of provider answers in the throughput phase that came from the slot cache.
    const throughputOutcomes = [...throughputGateway.results, ...throughputDirect.results].flatMap(
      (answer) => answer.providerOutcomes.filter((o) => o.status === 'OK'),
    );
    const cacheHits = throughputOutcomes.filter((o) => (o.ageMs ?? 0) > 0).length;
    const cacheHitRatio = throughputOutcomes.length
      ? round(cacheHits / throughputOutcomes.length, 3)
      : 0;
    const directSchedulingRps = round(throughputDirect.requestsPerSecond);
    const result = {
      generatedAt: new Date().toISOString(),
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      startupSeconds,
      fanout: {
        providerLatenciesMs,
        configuredLatenciesMs: fanoutLatencies,
        slowestProviderMs,
        p50Ms: round(percentile(fanout.latenciesMs, 50)),
        p99Ms: round(percentile(fanout.latenciesMs, 99)),
        requests: fanout.latenciesMs.length,
        errors: fanout.errors,
        errorSamples: fanout.errorSamples,
        concurrency: 4,
        slowestMeasuredProviderP50Ms: slowestMeasuredP50,
        providerOutcomeLatencyMs: fanoutOutcomes,
      },
      hungProvider: {
        deadlineMs: providerDeadlineMs,
        p50Ms: round(percentile(hung.latenciesMs, 50)),
        p99Ms: round(percentile(hung.latenciesMs, 99)),
        otherProvidersSlots,
        hungProvider: hungProviderName,
        requests: hung.latenciesMs.length,
        errors: hung.errors,
        errorSamples: hung.errorSamples,
        providerOutcomeLatencyMs: hungOutcomes,
      },
      throughput: {
        gatewayRps,
        directSchedulingRps,
        ratio: directSchedulingRps > 0 ? round(gatewayRps / directSchedulingRps, 3) : 0,
        cacheHitRatio,
        concurrency: 16,
        durationSeconds: 15,
        gateway: { ...stats(throughputGateway.latenciesMs), errors: throughputGateway.errors },
        direct: { ...stats(throughputDirect.latenciesMs), errors: throughputDirect.errors },
        errorSamples: [...throughputGateway.errorSamples, ...throughputDirect.errorSamples],
      },
      reservations: {
        confirmedPerSecond: round((confirmed * 1000) / reservations.durationMs),
        attempted: reservations.latenciesMs.length,
        doubleBookings,
        confirmed,
        ledgerConfirmed,
        slotsFound: slots.length,
        slotsPerProvider: perProvider,
        outcomes: reservationOutcomes,
        errors: reservations.errors,
        errorSamples: reservations.errorSamples,
        concurrency: 32,
        durationSeconds: round(reservations.durationMs / 1000),
        latency: stats(reservations.latenciesMs),
      },
      memory: {
        gatewayRssStartMb,
        gatewayRssEndMb,
        soakSeconds,
        growthPercent: round(((gatewayRssEndMb - gatewayRssStartMb) / gatewayRssStartMb) * 100),
        requests: soak.latenciesMs.length,
        errors: soak.errors,
        rssSamples,
      },
      totalSeconds: 0,
    };
    result.totalSeconds = round((Date.now() - runStarted) / 1000);

    const f = result.fanout;
    const h = result.hungProvider;
    const t = result.throughput;
    const r = result.reservations;
    const m = result.memory;
    const mark = (ok: boolean) => (ok ? 'yes' : '**no**');
    const rows: [string, string, string, boolean][] = [
      [
        'Fan-out p50',
        `≤ slowest provider (${f.slowestProviderMs} ms) + 20 ms`,
        `${f.p50Ms} ms`,
        f.p50Ms <= f.slowestProviderMs + 20,
      ],
      [
        'Fan-out p99',
        `≤ slowest provider (${f.slowestProviderMs} ms) + 60 ms`,
        `${f.p99Ms} ms`,
        f.p99Ms <= f.slowestProviderMs + 60,
      ],
      [
        'Hung provider p99',
        `≤ deadline (${h.deadlineMs} ms) + 100 ms`,
        `${h.p99Ms} ms (p50 ${h.p50Ms} ms)`,
        h.p99Ms <= h.deadlineMs + 100,
      ],
      [
        'Hung provider: other providers answer',
        '> 0 slots from the others in every answer',
        `${h.otherProvidersSlots} (fewest in one answer)`,
        h.otherProvidersSlots > 0 && h.errors === 0,
      ],
      [
        'Gateway throughput',
        '≥ 0.4 × scheduling direct',
        `${t.gatewayRps} vs ${t.directSchedulingRps} req/s (${t.ratio}×)`,
        t.ratio >= 0.4,
      ],
      ['Cache hit ratio', 'report only', `${t.cacheHitRatio}`, true],
      [
        'Reservations',
        '≥ 200 confirmed/s',
        `${r.confirmedPerSecond}/s (${r.confirmed} of ${r.attempted})`,
        r.confirmedPerSecond >= 200,
      ],
      ['Double bookings', '0', `${r.doubleBookings}`, r.doubleBookings === 0],
      [
        'Gateway RSS over the soak',
        `growth < 10 % over ${m.soakSeconds} s`,
        `${m.gatewayRssStartMb} → ${m.gatewayRssEndMb} MB (${m.growthPercent} %)`,
        m.growthPercent < 10,
      ],
    ];
    const fanoutDetail = Object.entries(f.providerOutcomeLatencyMs)
      .map(([name, o]) => `| ${name} | ${o.p50Ms} | ${o.p99Ms} | ${JSON.stringify(o.statuses)} |`)
      .join('\n');
    const hungDetail = Object.entries(h.providerOutcomeLatencyMs)
      .map(([name, o]) => `| ${name} | ${o.p50Ms} | ${o.p99Ms} | ${JSON.stringify(o.statuses)} |`)
      .join('\n');
    const markdown = `# Benchmark (${result.generatedAt})

${result.machine.cpus} CPUs, Node ${result.machine.node}; system start-up ${startupSeconds} s, whole run ${result.totalSeconds} s.

| Figure | Target | Measured | Met |
| --- | --- | --- | --- |
${rows.map(([figure, target, measured, ok]) => `| ${figure} | ${target} | ${measured} | ${mark(ok)} |`).join('\n')}

- Fan-out: ${f.requests} availability queries (7 days, first 50) at concurrency 4 through a gateway whose scheduling never serves from its slot cache, simulator latencies Cliniq ${fanoutLatencies.cliniq} ms, FHIR ${fanoutLatencies.fhir} ms, RIV-TA ${fanoutLatencies.rivta} ms, SMART from its index; ${f.errors} errors. "Slowest provider" is the slowest configured simulator latency; a provider subgraph may call its simulator more than once per query, so the providers' own \`latencyMs\` (below) is the fairer floor: slowest p50 ${f.slowestMeasuredProviderP50Ms} ms.
- Hung provider: Cliniq tenant \`${hungTenant}\` delayed 60 s, deadline ${h.deadlineMs} ms, ${h.requests} queries (uncached, as fan-out), ${h.errors} errors; the knob is reset afterwards. Its statuses (below) show the circuit opening.
- Throughput: the same query, concurrency 16, 15 s each after a 3 s warm-up, simulator latencies 0, default slot cache (fresh 15 s, then stale-while-revalidate); the cache hit ratio is the share of provider answers served from it.
- Reservations: \`reserveSlot\` on ${r.slotsFound} distinct free API-bookable slots at concurrency 32 (${JSON.stringify(r.slotsPerProvider)}); outcomes ${JSON.stringify(r.outcomes)}, ${r.errors} errors; double bookings counted in the ledger (CONFIRMED rows per connection and slot).
- Memory: gateway VmRSS at the start and end of a ${m.soakSeconds} s soak (${m.requests} availability queries, concurrency 4).

Fan-out per-provider \`latencyMs\` (from \`providerOutcomes\`):

| Provider | p50 ms | p99 ms | statuses |
| --- | --- | --- | --- |
${fanoutDetail}

Hung provider per-provider \`latencyMs\`:

| Provider | p50 ms | p99 ms | statuses |
| --- | --- | --- | --- |
${hungDetail}
`;
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
