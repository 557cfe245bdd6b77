/**
 * Times the searches the FHIR provider subgraph sends, against the simulator with its defaults
 * (`src/index.ts`: both organisations, each location's own horizon, latency 0) in its own process
 * on a free loopback port, as it runs beside the subgraph: one Slot search per organisation for a
 * 7-day window from tomorrow (the subgraph's `findSlots`), an availability search (both
 * organisations at once, as the subgraph fans out), and the read and Appointment searches of
 * booking. Each sequentially, then with `--concurrency` requests in flight. The unbounded search
 * counting every slot makes every open day first, so the rows time days already made.
 *
 *   npx tsx simulators/fhir/scripts/measureSearch.ts [--rounds=300] [--concurrency=16]
 *   npx tsx simulators/fhir/scripts/measureSearch.ts --profile=/tmp/prof   # CPU profile of the server
 *   npx tsx simulators/fhir/scripts/measureSearch.ts --url=http://127.0.0.1:4102   # one already running
 *
 * Not part of `npm test`: it measures, and checks only that every answer is a 200 (the matches
 * column shows the distinct match counts seen, to compare runs).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { scheduleId } from '../src/directoryResources.js';
import { defaultOrganizations } from '../src/seed.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '16' },
    profile: { type: 'string' },
    url: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);

/** Starts `src/index.ts` on a free port; resolves with its URL once it listens. */
async function startServer() {
  const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
  const profile = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', entry], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const startedAt = performance.now();
  for await (const line of createInterface({ input: child.stdout })) {
    const message = JSON.parse(line) as { msg?: string; url?: string };
    if (message.msg === 'listening' && message.url) {
      console.log(`seeded and listening in ${(performance.now() - startedAt).toFixed(0)} ms`);
      return {
        url: message.url,
        async stop() {
          child.kill('SIGTERM');
          await once(child, 'exit');
        },
      };
    }
  }
  throw new Error('the simulator exited before listening');
}

const server = values.url ? { url: values.url, stop: async () => {} } : await startServer();
const base = `${server.url.replace(/\/+$/, '')}/fhir/R4`;

// node:http with keep-alive: lighter than fetch, so that the client costs little beside the server.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

async function get(url: string): Promise<{ status: number; text: string }> {
  const response = await new Promise<http.IncomingMessage>((resolve, reject) =>
    http.get(url, { agent }, resolve).on('error', reject),
  );
  response.setEncoding('utf8');
  let text = '';
  for await (const chunk of response) text += chunk;
  return { status: response.statusCode ?? 0, text };
}

/**
 * How many matches a search has, along `next` links as the subgraph's client follows them. The
 * subgraph parses and validates every page; this only scans the text for what it needs (the
 * server writes compact JSON), so that the figures are the server's rather than this client's.
 */
async function searchAll(path: string, query: URLSearchParams): Promise<number> {
  let next: string | undefined = `${base}/${path}?${query}`;
  let matches = 0;
  while (next) {
    const { status, text } = await get(next);
    if (status !== 200) throw new Error(`${path}: HTTP ${status}`);
    matches += text.split('"mode":"match"').length - 1;
    next = /"relation":"next","url":"([^"]+)"/.exec(text)?.[1];
  }
  return matches;
}

// The subgraph's findSlots: every schedule of the organisation in one search (≤ 30 per search),
// free or tentative, start in [from, to) as UTC instants, 500 per page.
const from = DateTime.now().setZone('Europe/Stockholm').startOf('day').plus({ days: 1 });
const to = from.plus({ days: 7 });
const slotSearches = defaultOrganizations.map((organization) => {
  const schedules = organization.locations.flatMap((l) => l.practitioners.map(scheduleId));
  return {
    organization: organization.id,
    query: new URLSearchParams([
      ['schedule', schedules.map((id) => `Schedule/${id}`).join(',')],
      ['status', 'free,busy-tentative'],
      ['start', `ge${from.toUTC().toISO()}`],
      ['start', `lt${to.toUTC().toISO()}`],
      ['_count', '500'],
    ]),
  };
});
const slotSearch = (index: number) => {
  const search = slotSearches[index % slotSearches.length]!;
  return searchAll('Slot', search.query);
};
const availability = async () =>
  (await Promise.all(slotSearches.map((s) => searchAll('Slot', s.query)))).reduce((a, b) => a + b);

// Booking's reads: one Slot, the Appointment carrying a reservation id, pending holds on slots.
const someSlots = [
  ...(await get(`${base}/Slot?${slotSearches[0]!.query}`)).text.matchAll(
    /"resourceType":"Slot","id":"([^"]+)"/g,
  ),
].map((match) => match[1]!);
const slotRead = async (index: number) =>
  (await get(`${base}/Slot/${someSlots[index % someSlots.length]}`)).status === 200 ? 1 : 0;
const appointmentByIdentifier = (index: number) =>
  searchAll(
    'Appointment',
    new URLSearchParams({ identifier: `urn:booking-platform:reservation|bench-${index}` }),
  );
const pendingOnSlots = (index: number) =>
  searchAll(
    'Appointment',
    new URLSearchParams({
      slot: someSlots
        .slice(index % 30, (index % 30) + 30)
        .map((id) => `Slot/${id}`)
        .join(','),
      status: 'pending',
    }),
  );

function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? 0;
}

/** Runs `task` `rounds` times with `inFlight` workers; latency percentiles in ms. */
async function measure(
  name: string,
  inFlight: number,
  task: (index: number) => Promise<number>,
): Promise<void> {
  for (let i = 0; i < 5; i += 1) await task(i); // warm-up: JIT, connection pool
  const latencies: number[] = [];
  const results = new Set<number>();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < rounds) {
        const index = next;
        next += 1;
        const start = performance.now();
        results.add(await task(index));
        latencies.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const row = [
    name.padEnd(34),
    String(inFlight).padStart(3),
    percentile(latencies, 50).toFixed(1).padStart(8),
    percentile(latencies, 99).toFixed(1).padStart(8),
    (rounds / seconds).toFixed(0).padStart(7),
    `  ${[...results].sort((a, b) => a - b).join('/')}`,
  ];
  console.log(row.join(' '));
}

const slotCount = await searchAll('Slot', new URLSearchParams({ _count: '1000' }));
console.log(
  `${slotCount} slots; window ${from.toISODate()}..${to.toISODate()}; ${rounds} rounds per row`,
);
console.log(
  `${'search'.padEnd(34)} ${'in'.padStart(3)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'req/s'.padStart(7)}  matches`,
);
for (const inFlight of [1, concurrency]) {
  await measure('Slot search, one organisation', inFlight, slotSearch);
  await measure('availability (both organisations)', inFlight, availability);
  await measure('read Slot/{id}', inFlight, slotRead);
  await measure('Appointment?identifier', inFlight, appointmentByIdentifier);
  await measure('Appointment?slot=…&status=pending', inFlight, pendingOnSlots);
}
agent.destroy();
await server.stop();
