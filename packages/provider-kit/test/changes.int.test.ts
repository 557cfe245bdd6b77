import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createLogger } from '@booking/server-kit';
import pg from 'pg';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ContractChange } from '../src/__generated__/contract.js';
import { notBooked } from '../src/bookingLookup.js';
import { type ChangeLog, createChangeLog } from '../src/changes/createChangeLog.js';
import {
  createPostgresChangeLogs,
  type PostgresChangeLogs,
} from '../src/changes/createPostgresChangeLogs.js';
import type { ConnectionConfig } from '../src/createProviderSubgraph.js';
import { createProviderService } from '../src/provider/createProviderService.js';
import { defineProvider } from '../src/provider/defineProvider.js';

const change = (id: string): ContractChange => ({
  id,
  kind: 'SLOT_OPENED',
  source: 'PUSH',
  occurredAt: '2026-05-04T07:00:00.000Z',
  booking: null,
  slot: null,
});

/** A fresh PostgreSQL database for the shared change log, dropped after. */
async function testDatabase() {
  const admin = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `change_log_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: admin });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/**
 * A page holding at least `count` changes, asked again while it holds fewer: PostgreSQL hands out a
 * change only once every transaction older than it has ended on the whole server, and other test
 * files' transactions run there too.
 */
async function settledPage(log: ChangeLog, cursor: string | null, limit: number, count: number) {
  const until = Date.now() + 10_000;
  for (;;) {
    const page = await log.page(cursor, limit);
    if (page.changes.length >= count || Date.now() > until) return page;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(['memory', 'postgres'] as const)('a change log in %s', (kind) => {
  let database: Awaited<ReturnType<typeof testDatabase>> | undefined;
  let shared: PostgresChangeLogs | undefined;
  let connections = 0;
  beforeAll(async () => {
    if (kind === 'postgres') {
      database = await testDatabase();
      shared = createPostgresChangeLogs({ databaseUrl: database.url });
    }
  });
  afterAll(async () => {
    await shared?.close();
    await database?.drop();
  });
  const newLog = (): ChangeLog =>
    shared ? shared.forConnection(`connection-${++connections}`) : createChangeLog();

  it('answers the present for a null cursor, then what came after it, in order, in pages', async () => {
    const log = newLog();
    await log.append(change('a'));
    // Once 'a' has settled, the present is after it.
    await settledPage(log, '0.0', 10, 1);
    const present = await log.page(null, 10);
    expect(present).toMatchObject({ changes: [], hasMore: false, resumed: false });
    for (const id of ['b', 'c', 'd']) await log.append(change(id));
    const first = await settledPage(log, present.cursor, 2, 2);
    expect(first.changes.map((c) => c.id)).toEqual(['b', 'c']);
    expect(first.hasMore).toBe(true);
    const second = await settledPage(log, first.cursor, 2, 1);
    expect(second.changes.map((c) => c.id)).toEqual(['d']);
    expect(second.hasMore).toBe(false);
    expect(await log.page(second.cursor, 2)).toMatchObject({ changes: [], cursor: second.cursor });
  });

  it('keeps each change id once', async () => {
    const log = newLog();
    const start = (await log.page(null, 10)).cursor;
    expect(await log.append(change('a'))).toBe(true);
    expect(await log.append(change('a'))).toBe(false);
    expect(await log.has('a')).toBe(true);
    expect(await log.has('b')).toBe(false);
    expect((await settledPage(log, start, 10, 1)).changes).toHaveLength(1);
  });

  it('reads from the oldest change held, resumed, for a cursor it cannot place', async () => {
    const log = newLog();
    for (const id of ['a', 'b']) await log.append(change(id));
    const unplaced = await settledPage(log, 'not a cursor', 10, 2);
    expect(unplaced.resumed).toBe(true);
    expect(unplaced.changes.map((c) => c.id)).toEqual(['a', 'b']);
  });
});

describe('a change log in memory', () => {
  it('drops the oldest beyond its capacity, and knows a cursor of another run as such', async () => {
    const log = createChangeLog({ capacity: 2 });
    const start = (await log.page(null, 10)).cursor;
    for (const id of ['a', 'b', 'c']) await log.append(change(id));
    const dropped = await log.page(start, 10);
    expect(dropped).toMatchObject({ resumed: true });
    expect(dropped.changes.map((c) => c.id)).toEqual(['b', 'c']);
    const otherRun = (await createChangeLog().page(null, 10)).cursor;
    expect(await log.page(otherRun, 10)).toMatchObject({ resumed: true });
  });
});

describe('change logs in PostgreSQL', () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let shared: PostgresChangeLogs;
  let connections = 0;
  beforeAll(async () => {
    database = await testDatabase();
    shared = createPostgresChangeLogs({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await shared?.close();
    await database?.drop();
  });

  it('is one log for every replica: what one appends, another serves from its cursor', async () => {
    const other = createPostgresChangeLogs({ databaseUrl: database.url });
    const id = `connection-${++connections}`;
    const mine = shared.forConnection(id);
    const theirs = other.forConnection(id);
    const present = await theirs.page(null, 10);
    await mine.append(change('pushed-to-one-replica'));
    expect(await theirs.has('pushed-to-one-replica')).toBe(true);
    const page = await settledPage(theirs, present.cursor, 10, 1);
    expect(page.changes.map((c) => c.id)).toEqual(['pushed-to-one-replica']);
    expect(page.resumed).toBe(false);
    await other.close();
  });
});

interface PushConnection extends ConnectionConfig {
  readonly log: ChangeLog;
}

const secret = 'push-secret';
const sign = (body: string) => createHmac('sha256', secret).update(body).digest('hex');

/** A system whose one connection takes signed pushes into its change log. */
const pushing = defineProvider({
  system: 'pushing',
  port: 4097,
  connectionFields: {},
  developmentConnections: [],
  connect: (entry, { id, deadlineMs, changeLog }): PushConnection => ({
    id,
    name: entry.name,
    deadlineMs,
    log: changeLog(),
  }),
  adapter: (connections) => ({
    system: 'pushing',
    connections,
    createScope: () => undefined,
    describe: async () => ({ capabilities: ['API_BOOKING'], clinics: [], treatments: [] }),
    findSlots: async () => [],
    getSlot: async () => null,
    getBooking: async () => notBooked(),
  }),
  async receivePush(connection, push) {
    const given = Buffer.from(String(push.headers['x-signature'] ?? ''), 'hex');
    const expected = Buffer.from(sign(push.body.toString('utf8')), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { status: 401, message: 'bad signature' };
    }
    const { id } = JSON.parse(push.body.toString('utf8')) as { id: string };
    await connection.log.append(change(id));
    return { status: 200 };
  },
});

describe('pushes and contractChanges through the kit', () => {
  const logger = createLogger({ service: 'test', level: 'silent' });
  let service: ReturnType<typeof createProviderService> | undefined;
  afterEach(async () => {
    await service?.close();
  });

  async function graphql(url: string, query: string, variables = {}) {
    const response = await request(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-internal-secret': 'internal' },
      body: JSON.stringify({ query, variables }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: the test reads its own query's shape.
    return (await response.body.json()) as any;
  }

  it('gives a connection with a change log CHANGES, takes its pushes outside the internal secret, and serves them', async () => {
    service = createProviderService(
      pushing,
      {
        connections: [{ id: 'main', name: 'Main' }] as never,
        providerDeadlineMs: 1000,
        internalSecret: 'internal',
      },
      logger,
    );
    const url = await service.listen(0, '127.0.0.1');
    const described = await graphql(url, '{ contractConnections { id capabilities } }');
    expect(described.data.contractConnections).toEqual([
      { id: 'pushing-main', capabilities: ['API_BOOKING', 'CHANGES'] },
    ]);
    const changes = `query ($after: String) { contractChanges(connectionId: "pushing-main", after: $after) { changes { id } cursor hasMore resumed } }`;
    const present = (await graphql(url, changes, { after: null })).data.contractChanges;

    const push = (body: string, signature: string, path = '/push/pushing-main') =>
      request(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signature': signature },
        body,
      });
    const body = JSON.stringify({ id: 'evt-1' });
    const tampered = await push(JSON.stringify({ id: 'evt-2' }), sign(body));
    expect(tampered.statusCode).toBe(401);
    await tampered.body.dump();
    const unknown = await push(body, sign(body), '/push/pushing-other');
    expect(unknown.statusCode).toBe(404);
    await unknown.body.dump();
    const accepted = await push(body, sign(body));
    expect(accepted.statusCode).toBe(200);
    await accepted.body.dump();

    const after = (await graphql(url, changes, { after: present.cursor })).data.contractChanges;
    expect(after.changes).toEqual([{ id: 'evt-1' }]);
  });
});
