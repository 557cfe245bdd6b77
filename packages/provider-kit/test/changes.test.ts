import { createHmac, timingSafeEqual } from 'node:crypto';
import { createLogger } from '@booking/server-kit';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContractChange } from '../src/__generated__/contract.js';
import { notBooked } from '../src/bookingLookup.js';
import { type ChangeLog, createChangeLog } from '../src/changes/createChangeLog.js';
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

describe('createChangeLog', () => {
  it('answers the present for a null cursor, then what came after it, in order, in pages', () => {
    const log = createChangeLog();
    log.append(change('a'));
    const present = log.page(null, 10);
    expect(present).toMatchObject({ changes: [], hasMore: false, resumed: false });
    for (const id of ['b', 'c', 'd']) log.append(change(id));
    const first = log.page(present.cursor, 2);
    expect(first.changes.map((c) => c.id)).toEqual(['b', 'c']);
    expect(first.hasMore).toBe(true);
    const second = log.page(first.cursor, 2);
    expect(second.changes.map((c) => c.id)).toEqual(['d']);
    expect(second.hasMore).toBe(false);
    expect(log.page(second.cursor, 2)).toMatchObject({ changes: [], cursor: second.cursor });
  });

  it('keeps each change id once', () => {
    const log = createChangeLog();
    const start = log.page(null, 10).cursor;
    expect(log.append(change('a'))).toBe(true);
    expect(log.append(change('a'))).toBe(false);
    expect(log.has('a')).toBe(true);
    expect(log.page(start, 10).changes).toHaveLength(1);
  });

  it('reads from the oldest change held, resumed, for a cursor of another run or one older than what it holds', () => {
    const log = createChangeLog({ capacity: 2 });
    const start = log.page(null, 10).cursor;
    for (const id of ['a', 'b', 'c']) log.append(change(id));
    const dropped = log.page(start, 10);
    expect(dropped).toMatchObject({ resumed: true });
    expect(dropped.changes.map((c) => c.id)).toEqual(['b', 'c']);
    const otherRun = createChangeLog().page(null, 10).cursor;
    expect(log.page(otherRun, 10)).toMatchObject({ resumed: true });
    expect(log.page('not a cursor', 10).resumed).toBe(true);
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
    connection.log.append(change(id));
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
