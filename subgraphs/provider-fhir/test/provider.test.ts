import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  connectProvider,
  environmentProblems,
  loadProviderEnvironment,
  providerVariables,
} from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FhirConnectionEntry, fhirProvider, simulatorConnections } from '../src/provider.js';

const organisation = {
  id: 'halsanord',
  name: 'Hälsa Nord',
  baseUrl: 'https://fhir.example/R4',
  organization: 'halsanord',
  accessToken: 'super-secret-token',
};

const problems = (env: Record<string, string>) => environmentProblems(fhirProvider, env);

describe('the FHIR provider definition', () => {
  it('serves the simulator’s two organisations on one server by default, on port 4011', () => {
    const environment = loadProviderEnvironment(fhirProvider, {});
    expect(environment).toMatchObject({ port: 4011, host: '127.0.0.1', providerDeadlineMs: 2000 });
    expect(environment.connections).toEqual(simulatorConnections('http://127.0.0.1:4102'));
    expect(environment.connections.map((c) => [c.id, c.organization])).toEqual([
      ['halsanord', 'halsanord'],
      ['sydvarden', 'sydvarden'],
    ]);
    expect(environment.connections.map((c) => c.baseUrl)).toEqual([
      'http://127.0.0.1:4102/fhir/R4',
      'http://127.0.0.1:4102/fhir/R4',
    ]);
  });

  it('onboards an organisation from FHIR_CONNECTIONS with its own hold, zone and directory lifetimes', () => {
    const entry = { ...organisation, holdTtlSeconds: 120, timeZone: 'Europe/Oslo' };
    const environment = loadProviderEnvironment(fhirProvider, {
      FHIR_CONNECTIONS: JSON.stringify([{ ...entry, catalogueRefreshMs: 5000 }]),
    });
    expect(environment.connections).toEqual([{ ...entry, catalogueRefreshMs: 5000 }]);
  });

  it('reports every problem at once and never echoes a token', () => {
    const found = problems({
      PORT: 'nope',
      FHIR_CONNECTIONS: JSON.stringify([
        { ...organisation, id: 'Bad Name', organization: 'a/b', timeZone: 'Mars/Base' },
        { ...organisation, id: 'Bad Name' },
      ]),
    });
    expect(found.length).toBeGreaterThanOrEqual(5);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: /),
        expect.stringMatching(/^FHIR_CONNECTIONS\.0\.id: /),
        'FHIR_CONNECTIONS.0.organization: a FHIR logical id',
        'FHIR_CONNECTIONS.0.timeZone: not an IANA time zone',
        expect.stringMatching(/^FHIR_CONNECTIONS\.1\.id: /),
      ]),
    );
    expect(found.join('\n')).not.toContain('super-secret-token');
    expect(problems({ FHIR_CONNECTIONS: '{not json' })).toEqual([
      'FHIR_CONNECTIONS: not valid JSON',
    ]);
  });

  it('refuses a non-HTTP base URL, an empty token and lifetimes beyond a day, never echoing the token', () => {
    const found = problems({
      FHIR_CONNECTIONS: JSON.stringify([
        { ...organisation, baseUrl: 'ftp://fhir.example/R4', holdTtlSeconds: 86_401 },
        { ...organisation, id: 'sydvarden', accessToken: '', catalogueRefreshMs: 999 },
        { ...organisation, id: 'oslo', catalogueRefreshMs: 86_400_001 },
      ]),
    });
    expect(found).toEqual([
      expect.stringMatching(/^FHIR_CONNECTIONS\.0\.baseUrl: /),
      expect.stringMatching(/^FHIR_CONNECTIONS\.0\.holdTtlSeconds: /),
      expect.stringMatching(/^FHIR_CONNECTIONS\.1\.catalogueRefreshMs: /),
      expect.stringMatching(/^FHIR_CONNECTIONS\.1\.accessToken: /),
      expect.stringMatching(/^FHIR_CONNECTIONS\.2\.catalogueRefreshMs: /),
    ]);
    expect(found.join('\n')).not.toContain('super-secret-token');
  });
});

/**
 * A FHIR server with one clinic (`loc-1`, no timezone extension) and nothing else, recording what
 * it was asked; a transaction's entries are answered as written.
 */
async function startFhirServer() {
  const requests: { method: string; path: string; authorization: string | undefined }[] = [];
  const server: Server = createServer(async (request, response) => {
    const path = request.url ?? '';
    const method = request.method ?? 'GET';
    requests.push({ method, path, authorization: request.headers.authorization });
    response.writeHead(200, { 'content-type': 'application/fhir+json' });
    if (method === 'POST') {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const bundle = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const entry = bundle.entry.map((e: { resource: object }) => ({
        resource: { ...e.resource, id: 'new' },
        response: { status: '201 Created' },
      }));
      response.end(JSON.stringify({ resourceType: 'Bundle', type: 'transaction-response', entry }));
      return;
    }
    const type = new URL(path, 'http://fhir.test').pathname.split('/').pop();
    const entry =
      type === 'Location'
        ? [{ resource: { resourceType: 'Location', id: 'loc-1' }, search: { mode: 'match' } }]
        : [];
    response.end(JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/R4`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** The entry's one connection as the kit makes it, on a clock the test moves. */
async function connectOne(entry: Omit<FhirConnectionEntry, 'baseUrl'>, pushBaseUrl?: string) {
  const server = await startFhirServer();
  closers.push(server.close);
  const clock = { now: Date.parse('2026-10-19T08:00:00Z') };
  const provider = connectProvider(
    fhirProvider,
    { connections: [{ ...entry, baseUrl: server.baseUrl }], providerDeadlineMs: 2000, pushBaseUrl },
    createLogger({ service: 'provider-fhir', level: 'silent' }),
    { now: () => clock.now },
  );
  closers.push(provider.close);
  const [connection] = provider.connections;
  const catalogue = () => connection!.catalogue.get(new AbortController().signal);
  return { connection: connection!, catalogue, clock, requests: server.requests };
}

describe('fhirProvider.connect', () => {
  it('makes connection fhir-<id>: token on every call, the entry’s organisation, zone and lifetimes', async () => {
    const { connection, catalogue, clock, requests } = await connectOne({
      ...organisation,
      deadlineMs: 1500,
      holdTtlSeconds: 120,
      timeZone: 'Europe/Oslo',
      catalogueRefreshMs: 30_000,
    });
    expect(connection).toMatchObject({
      id: 'fhir-halsanord',
      name: 'Hälsa Nord',
      deadlineMs: 1500,
      holdTtlSeconds: 120,
    });
    expect((await catalogue()).clinics).toEqual([
      expect.objectContaining({ id: 'loc-1', timeZone: 'Europe/Oslo' }),
    ]);
    expect(requests.map((r) => r.path.split('?')[0])).toEqual(
      expect.arrayContaining(['/R4/Location', '/R4/HealthcareService', '/R4/Schedule']),
    );
    expect(requests[0]?.path).toContain('organization=Organization%2Fhalsanord');
    expect(requests.every((r) => r.authorization === 'Bearer super-secret-token')).toBe(true);
    const oneFetch = requests.length;
    clock.now += 29_999;
    await catalogue();
    expect(requests).toHaveLength(oneFetch);
    // Past its refresh interval the copy is still served at once, and read again behind it.
    clock.now += 1;
    expect((await catalogue()).clinics).toHaveLength(1);
    await vi.waitFor(() => expect(requests).toHaveLength(2 * oneFetch));
  });

  it('polls for changes as a background task, subscribing at the kit’s push URL when there is one', async () => {
    const polled = async (pushBaseUrl?: string) => {
      const { connection, requests } = await connectOne(organisation, pushBaseUrl);
      await connection.changes.poll.runNow();
      expect(connection.changes.poll.status()).toMatchObject({ runs: 1, failures: 0 });
      return requests.map((r) => `${r.method} ${decodeURIComponent(r.path.split('&_count')[0]!)}`);
    };
    const pushed = await polled('http://provider-fhir.test:4011/');
    expect(pushed).toEqual(
      expect.arrayContaining([
        'GET /R4/Subscription?url=http://provider-fhir.test:4011/push/fhir-halsanord',
        'POST /R4',
        expect.stringMatching(
          /^GET \/R4\/Appointment\?_lastUpdated=gt2026-10-19T08:00:00\.000Z&identifier=urn:booking-platform:reservation\|$/,
        ),
        'GET /R4/Slot?_lastUpdated=gt2026-10-19T08:00:00.000Z',
      ]),
    );
    // Without a push URL nothing can arrive: no Subscriptions, the poll alone.
    const pollOnly = await polled();
    expect(pollOnly.filter((r) => r.includes('Subscription') || r.startsWith('POST'))).toEqual([]);
    expect(pollOnly).toContain('GET /R4/Slot?_lastUpdated=gt2026-10-19T08:00:00.000Z');
  });

  it('takes the push base URL from FHIR_PUSH_BASE_URL, outside production from PORT when unset', () => {
    const base = 'https://provider-fhir.example';
    expect(loadProviderEnvironment(fhirProvider, { FHIR_PUSH_BASE_URL: base }).pushBaseUrl).toBe(
      base,
    );
    expect(loadProviderEnvironment(fhirProvider, { PORT: '4011' }).pushBaseUrl).toBe(
      'http://127.0.0.1:4011',
    );
    expect(providerVariables(fhirProvider)).toEqual(
      expect.arrayContaining(['FHIR_PUSH_BASE_URL', 'FHIR_PUSH_SECRET', 'FHIR_CHANGES_POLL_MS']),
    );
  });

  it('defaults to the provider deadline, a 300 s hold, Stockholm time, no token and a directory read every 60 s', async () => {
    const { connection, catalogue, clock, requests } = await connectOne({
      id: 'sydvarden',
      name: 'Sydvården',
      organization: 'sydvarden',
    });
    expect(connection).toMatchObject({
      id: 'fhir-sydvarden',
      deadlineMs: 2000,
      holdTtlSeconds: 300,
    });
    expect((await catalogue()).clinics[0]?.timeZone).toBe('Europe/Stockholm');
    expect(requests.every((r) => r.authorization === undefined)).toBe(true);
    const oneFetch = requests.length;
    clock.now += 59_999;
    await catalogue();
    expect(requests).toHaveLength(oneFetch);
    clock.now += 1;
    await catalogue();
    await vi.waitFor(() => expect(requests).toHaveLength(2 * oneFetch));
  });
});
