/*
 * How long one provider subgraph takes to answer a 7-day slot search, and how many calls one
 * after another it made to its system: `npx tsx --conditions=source bench/providerSearchLatency.ts`.
 * Each provider's simulator and subgraph run in process (the contract kit's `*UnderTest`), the
 * simulator delayed by the latencies of `npm run bench`'s fan-out phase. After a warm-up, each
 * search is sent `BENCH_SEARCHES` times (default 30) one at a time; the figures are the subgraph's
 * answer time as its caller sees it (p50, p90) and, where the simulator records calls
 * (`/_admin/calls`), the call depth of the last search.
 */
import { contractSuiteNow, type ProviderUnderTest } from '@booking/provider-contract-tests';
import { cliniqUnderTest } from '../subgraphs/provider-cliniq/test/cliniqUnderTest.js';
import { fhirUnderTest } from '../subgraphs/provider-fhir/test/fhirUnderTest.js';
import { rivtaUnderTest } from '../subgraphs/provider-rivta/test/rivtaUnderTest.js';
import { smartUnderTest } from '../subgraphs/provider-smart/test/smartUnderTest.js';
import { squareUnderTest } from '../subgraphs/provider-square/test/squareUnderTest.js';

/** Simulator latency per call, as in the bench's fan-out phase (Square as Cliniq). */
const latencies: [ProviderUnderTest, number][] = [
  [cliniqUnderTest, 50],
  [fhirUnderTest, 100],
  [rivtaUnderTest, 150],
  [smartUnderTest, 0],
  [squareUnderTest, 50],
];
const searches = Number(process.env.BENCH_SEARCHES ?? 30);

const slotsQuery = `query ($input: ContractSlotsInput!) { contractSlots(input: $input) { id } }`;
const connectionsQuery = '{ contractConnections { id clinics { id treatmentIds } } }';

async function post(url: string, query: string, variables?: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

async function admin(url: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}/_admin/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return response.ok ? ((await response.json()) as Record<string, unknown>) : null;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;

const rows: string[] = [
  '| provider | latency per call | search | slots | p50 ms | p90 ms | calls | call depth |',
  '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
];
const from = new Date(contractSuiteNow.getTime() + 24 * 3600_000).toISOString();
const to = new Date(contractSuiteNow.getTime() + 8 * 24 * 3600_000).toISOString();

for (const [provider, latencyMs] of latencies) {
  const running = await provider.start({ now: contractSuiteNow });
  try {
    const control = running.control!;
    await admin(control.url, 'POST', 'config', { latencyMs });
    const { contractConnections } = (await post(running.graphqlUrl, connectionsQuery)) as {
      contractConnections: { id: string; clinics: { id: string; treatmentIds: string[] }[] }[];
    };
    const connection = contractConnections[0]!;
    const clinic = connection.clinics.find((c) => c.treatmentIds.length > 0)!;
    for (const [name, clinicIds] of [
      ['one clinic', [clinic.id]],
      ['every clinic', undefined],
    ] as const) {
      const input = { connectionId: connection.id, from, to, clinicIds };
      for (let i = 0; i < 3; i += 1) await post(running.graphqlUrl, slotsQuery, { input });
      const times: number[] = [];
      let slots = 0;
      let log: Record<string, unknown> | null = null;
      for (let i = 0; i < searches; i += 1) {
        await admin(control.url, 'DELETE', 'calls');
        const started = performance.now();
        const data = (await post(running.graphqlUrl, slotsQuery, { input })) as {
          contractSlots: unknown[];
        };
        times.push(performance.now() - started);
        slots = data.contractSlots.length;
        log = await admin(control.url, 'GET', 'calls');
      }
      times.sort((a, b) => a - b);
      const vendor = control.connectionOf(connection.id);
      const each = (log?.connections ?? {}) as Record<string, { depth: number; calls: unknown[] }>;
      const calls =
        vendor === '*'
          ? Object.values(each).reduce((n, c) => n + c.calls.length, 0)
          : (each[vendor]?.calls.length ?? 0);
      const depth = log ? String(vendor === '*' ? log.depth : (each[vendor]?.depth ?? 0)) : 'n/a';
      rows.push(
        `| ${provider.system} | ${latencyMs} ms | ${connection.id}, ${name}, 7 days | ${slots} | ${percentile(times, 0.5).toFixed(0)} | ${percentile(times, 0.9).toFixed(0)} | ${log ? calls : 'n/a'} | ${depth} |`,
      );
    }
  } finally {
    await running.stop();
  }
}
console.log(rows.join('\n'));
