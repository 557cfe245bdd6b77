import { mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@booking/server-kit';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { notBooked } from '../src/bookingLookup.js';
import type { ConnectionConfig } from '../src/createProviderSubgraph.js';
import { ProviderError, ProviderErrorCode } from '../src/errors.js';
import { createProviderService } from '../src/provider/createProviderService.js';
import { defineProvider } from '../src/provider/defineProvider.js';

const logger = createLogger({ service: 'test', level: 'silent' });

interface EchoConnection extends ConnectionConfig {
  readonly baseUrl: string;
  readonly pollMs: number;
  readonly dispatcher: import('undici').Dispatcher;
  polling: boolean;
}

/** A system whose connections remember what the kit gave them, and poll while listening. */
const echo = defineProvider({
  system: 'echo',
  port: 4098,
  connectionFields: { baseUrl: z.url() },
  developmentConnections: [],
  settings: z
    .object({ ECHO_POLL_MS: z.coerce.number().int().positive().default(60_000) })
    .transform((env) => ({ pollMs: env.ECHO_POLL_MS })),
  connect: (entry, { id, deadlineMs, dispatcher, settings }): EchoConnection => ({
    id,
    name: entry.name,
    deadlineMs,
    baseUrl: entry.baseUrl,
    pollMs: settings.pollMs,
    dispatcher,
    polling: false,
  }),
  adapter: (connections) => ({
    system: 'echo',
    connections,
    createScope: () => undefined,
    describe: async () => ({ capabilities: ['API_BOOKING'], clinics: [], treatments: [] }),
    findSlots: async () => [],
    getSlot: async () => null,
    getBooking: async () => notBooked(),
  }),
  readiness: (connection) => ({
    ok: connection.polling,
    message: connection.polling ? 'polling' : 'not polling',
  }),
  start: (connection) => {
    connection.polling = true;
  },
  stop: async (connection) => {
    connection.polling = false;
  },
});

const entries = [
  { id: 'a', name: 'A', baseUrl: 'http://127.0.0.1:1/', deadlineMs: 700 },
  { id: 'b', name: 'B', baseUrl: 'http://127.0.0.1:1/', maxConnections: 1 },
];

let closing: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closing.map((close) => close()));
  closing = [];
});

/** A system whose catalogue is a counter of its loads, described from the kit's catalogue cache. */
function catalogued(loads: { count: number; fail: Set<string> }) {
  return defineProvider({
    system: 'listed',
    port: 4097,
    connectionFields: { baseUrl: z.url() },
    developmentConnections: [],
    connect: (entry, { id, deadlineMs, catalogue }) => ({
      id,
      name: entry.name,
      deadlineMs,
      catalogue: catalogue({
        label: 'Listed catalogue',
        load: async () => {
          loads.count += 1;
          if (loads.fail.has(id)) {
            throw new ProviderError(ProviderErrorCode.Unavailable, 'the vendor is down');
          }
          return loads.count;
        },
      }),
    }),
    adapter: (connections) => ({
      system: 'listed',
      connections,
      createScope: () => undefined,
      describe: async (call) => ({
        capabilities: ['API_BOOKING'],
        clinics: [],
        treatments: [
          {
            id: 'vaccination',
            providerCode: String(await call.connection.catalogue.get(call.signal)),
            name: 'V',
          },
        ],
      }),
      findSlots: async () => [],
      getSlot: async () => null,
      getBooking: async () => notBooked(),
    }),
  });
}

describe('createProviderService', () => {
  it('loads every connection’s catalogue on listen and describes from it; one that cannot load is unavailable', async () => {
    const loads = { count: 0, fail: new Set(['listed-b']) };
    const service = createProviderService(
      catalogued(loads),
      {
        connections: [
          { id: 'a', name: 'A', baseUrl: 'http://127.0.0.1:1/' },
          { id: 'b', name: 'B', baseUrl: 'http://127.0.0.1:1/' },
        ],
        providerDeadlineMs: 2000,
        catalogueRefreshMs: 60_000,
      },
      logger,
    );
    closing.push(() => service.close());
    expect(loads.count).toBe(0);
    const url = await service.listen(0, '127.0.0.1');
    expect(loads.count).toBe(2);
    const describe = async () => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: '{ contractConnections { id unavailableReason treatments { providerCode } } }',
        }),
      });
      return ((await response.json()) as { data: { contractConnections: unknown[] } }).data
        .contractConnections;
    };
    const first = await describe();
    expect(first).toEqual([
      { id: 'listed-a', unavailableReason: null, treatments: [{ providerCode: '1' }] },
      { id: 'listed-b', unavailableReason: 'the vendor is down', treatments: [] },
    ]);
    // A: from the copy, no load. B: no copy, so the describe tried once more.
    expect(loads.count).toBe(3);
    loads.fail.clear();
    expect(await describe()).toEqual([
      { id: 'listed-a', unavailableReason: null, treatments: [{ providerCode: '1' }] },
      { id: 'listed-b', unavailableReason: null, treatments: [{ providerCode: '4' }] },
    ]);
  });

  it('makes connection <system>-<id> with its deadline, own dispatcher and default settings', () => {
    const service = createProviderService(
      echo,
      { connections: entries, providerDeadlineMs: 2000 },
      logger,
    );
    closing.push(() => service.close());
    const [a, b] = service.connections;
    expect(a).toMatchObject({ id: 'echo-a', name: 'A', deadlineMs: 700, pollMs: 60_000 });
    expect(b).toMatchObject({ id: 'echo-b', deadlineMs: 2000 });
    expect(a!.dispatcher).not.toBe(b!.dispatcher);
  });

  it('starts background work on listen, reports readiness per connection, stops it on close', async () => {
    const service = createProviderService(
      echo,
      { connections: entries, providerDeadlineMs: 2000, settings: { pollMs: 5 } },
      logger,
    );
    expect(service.connections.every((c) => !c.polling)).toBe(true);
    const url = await service.listen(0, '127.0.0.1');
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      checks: { 'echo-a': { ok: true, message: 'polling' }, 'echo-b': { ok: true } },
    });
    await service.close();
    expect(service.connections.every((c) => !c.polling)).toBe(true);
    expect(service.connections[0]!.pollMs).toBe(5);
  });

  it('serves the contract for every connection, behind the internal secret when one is set', async () => {
    const service = createProviderService(
      echo,
      { connections: entries, providerDeadlineMs: 2000, internalSecret: 'a-secret-of-16-chars' },
      logger,
    );
    closing.push(() => service.close());
    const url = await service.listen(0, '127.0.0.1');
    const ask = (headers: Record<string, string>) =>
      fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ contractConnections { id } }' }),
      });
    expect((await ask({})).status).toBe(401);
    const answer = await ask({ 'x-internal-secret': 'a-secret-of-16-chars' });
    expect(await answer.json()).toEqual({
      data: { contractConnections: [{ id: 'echo-a' }, { id: 'echo-b' }] },
    });
  });

  it('bounds each connection to its own sockets: maxConnections 1 queues the second request', async () => {
    let open = 0;
    let most = 0;
    const vendor = http.createServer((_req, res) => {
      open += 1;
      most = Math.max(most, open);
      setTimeout(() => {
        open -= 1;
        res.end('ok');
      }, 50);
    });
    await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
    closing.push(() => new Promise((resolve) => vendor.close(() => resolve())));
    const base = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}/`;
    const service = createProviderService(
      echo,
      {
        connections: [{ id: 'b', name: 'B', baseUrl: base, maxConnections: 1 }],
        providerDeadlineMs: 2000,
      },
      logger,
    );
    closing.push(() => service.close());
    const { dispatcher } = service.connections[0]!;
    await Promise.all([1, 2, 3].map(async () => (await request(base, { dispatcher })).body.text()));
    expect(most).toBe(1);
  });

  it('runs each connection’s background tasks with the service, and gives it its push URL and reservation index', async () => {
    const ran: string[] = [];
    const directory = await mkdtemp(join(tmpdir(), 'kit-reservations-'));
    closing.push(() => rm(directory, { recursive: true, force: true }));
    const kitOwned = defineProvider({
      system: 'owned',
      port: 4096,
      connectionFields: { baseUrl: z.url() },
      developmentConnections: [],
      reservationIndex: true,
      connect: (entry, context) => ({
        id: context.id,
        name: entry.name,
        deadlineMs: context.deadlineMs,
        pushUrl: context.pushUrl,
        reservations: context.reservations(),
        poll: context.background({
          label: 'Owned poll',
          intervalMs: 60_000,
          quiet: true,
          run: async () => {
            ran.push(context.id);
          },
        }),
      }),
      adapter: (connections) => ({
        system: 'owned',
        connections,
        createScope: () => undefined,
        describe: async () => ({ capabilities: ['API_BOOKING'], clinics: [], treatments: [] }),
        findSlots: async () => [],
        getSlot: async () => null,
        getBooking: async () => notBooked(),
      }),
      receivePush: async () => ({ status: 200 }),
    });
    const service = createProviderService(
      kitOwned,
      {
        connections: [{ id: 'a', name: 'A', baseUrl: 'http://127.0.0.1:1/' }],
        providerDeadlineMs: 2000,
        pushBaseUrl: 'https://owned.example/',
        reservations: { directory },
      },
      logger,
    );
    const [connection] = service.connections;
    expect(connection!.pushUrl).toBe('https://owned.example/push/owned-a');
    await connection!.reservations.recordPending({
      connectionId: 'owned-a',
      reservationId: 'r-1',
      slotId: 's-1',
      startAt: '2026-12-08T09:00:00.000Z',
    });
    expect(ran).toEqual([]);
    await service.listen(0, '127.0.0.1');
    await connection!.poll.succeeded();
    expect(ran).toEqual(['owned-a']);
    await new Promise((resolve) => setImmediate(resolve));
    await connection!.poll.runNow();
    expect(connection!.poll.status().runs).toBe(2);
    await service.close();
    // Stopped with the service: a run asked for after close does not reach the vendor.
    await connection!.poll.runNow();
    expect(ran).toEqual(['owned-a', 'owned-a']);
    expect(await readdir(directory)).toEqual(['owned-a.jsonl']);
  });
});
