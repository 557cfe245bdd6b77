import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freeSlot, type StartedSimulator, startSimulator } from './startSimulator.js';

/** An endpoint that records what it is sent and answers with `status()`. */
async function startReceiver() {
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let status = 200;
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push({ headers: req.headers, body });
    res.writeHead(status).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    answer: (next: number) => {
      status = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const subscription = (endpoint: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Subscription',
  status: 'requested',
  reason: 'Follow the book',
  criteria: 'Slot?status=busy',
  channel: {
    type: 'rest-hook',
    endpoint,
    payload: 'application/fhir+json',
    header: ['Authorization: Bearer s3cret'],
  },
  ...extra,
});

let sim: StartedSimulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  sim = await startSimulator({
    subscriptionDelivery: { attempts: 3, retryMs: 20, timeoutMs: 1000 },
  });
  receiver = await startReceiver();
}, 30_000);
afterAll(async () => {
  await sim.stop();
  await receiver.close();
});
beforeEach(async () => {
  await sim.admin('POST', 'reset');
  receiver.received.length = 0;
  receiver.answer(200);
});

describe('R4 Subscriptions (rest-hook)', () => {
  it('takes on a requested rest-hook Subscription as active', async () => {
    const created = await sim.fhir('POST', 'Subscription', subscription(receiver.url));
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('active');
    const found = await sim.fhir('GET', `Subscription?url=${encodeURIComponent(receiver.url)}`);
    expect(found.body.entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual([
      created.body.id,
    ]);
  });

  it.each([
    ['criteria on an unknown type', { criteria: 'Slott?status=free' }, 'Subscription.criteria'],
    ['an unknown search parameter', { criteria: 'Slot?colour=red' }, 'Subscription.criteria'],
    ['criteria on Subscription', { criteria: 'Subscription' }, 'Subscription.criteria'],
    ['a websocket channel', { channel: { type: 'websocket' } }, 'Subscription.channel.type'],
    [
      'an endpoint that is no http URL',
      { channel: { type: 'rest-hook', endpoint: 'ftp://example.se/hook' } },
      'Subscription.channel.endpoint',
    ],
    [
      'a header with a line break',
      { channel: { type: 'rest-hook', endpoint: 'http://x.se/h', header: ['A: b\r\nC: d'] } },
      'Subscription.channel.header[0]',
    ],
    [
      'an XML payload',
      {
        channel: { type: 'rest-hook', endpoint: 'http://x.se/h', payload: 'application/fhir+xml' },
      },
      'Subscription.channel.payload',
    ],
  ])('refuses %s with 400 and stores nothing', async (_name, change, expression) => {
    const answer = await sim.fhir('POST', 'Subscription', subscription(receiver.url, change));
    expect(answer.status).toBe(400);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    expect(answer.body.issue[0].expression).toEqual([expression]);
    const stored = await sim.fhir('GET', 'Subscription');
    expect(stored.body.total).toBe(0);
  });

  it('POSTs a matching write to the endpoint with its headers and the resource as payload', async () => {
    await sim.fhir('POST', 'Subscription', subscription(receiver.url));
    const slot = await freeSlot(sim);
    const taken = await sim.admin('POST', `take-slot/${slot.id}`);
    expect(taken.status).toBe(200);
    await sim.simulator.notificationsSettled();
    expect(receiver.received).toHaveLength(1);
    const [notification] = receiver.received;
    expect(notification!.headers.authorization).toBe('Bearer s3cret');
    expect(notification!.headers['content-type']).toBe('application/fhir+json');
    const body = JSON.parse(notification!.body);
    expect(body).toMatchObject({ resourceType: 'Slot', id: slot.id, status: 'busy' });
    expect(body.meta.versionId).not.toBe(slot.meta.versionId);
  });

  it('sends an empty body without a payload type, and nothing for writes the criteria leave out', async () => {
    const { channel, ...rest } = subscription(receiver.url);
    const { payload: _none, ...bare } = channel;
    await sim.fhir('POST', 'Subscription', { ...rest, channel: bare });
    const slot = await freeSlot(sim);
    // Still free after the edit: `status=busy` does not match.
    await sim.fhir('PUT', `Slot/${slot.id}`, { ...slot, comment: 'Granskad' });
    await sim.admin('POST', `take-slot/${slot.id}`);
    await sim.simulator.notificationsSettled();
    expect(receiver.received.map((r) => r.body)).toEqual(['']);
  });

  it('retries a failing endpoint, then sets the subscription to error with the reason', async () => {
    const created = await sim.fhir('POST', 'Subscription', subscription(receiver.url));
    receiver.answer(503);
    await sim.admin('POST', `take-slot/${(await freeSlot(sim)).id}`);
    await sim.simulator.notificationsSettled();
    expect(receiver.received).toHaveLength(3);
    const after = await sim.fhir('GET', `Subscription/${created.body.id}`);
    expect(after.body.status).toBe('error');
    expect(after.body.error).toContain('HTTP 503');
    // In error, nothing more is sent until its client requests it again.
    receiver.answer(200);
    await sim.admin('POST', `take-slot/${(await freeSlot(sim)).id}`);
    await sim.simulator.notificationsSettled();
    expect(receiver.received).toHaveLength(3);
    const again = await sim.fhir('PUT', `Subscription/${created.body.id}`, {
      ...after.body,
      status: 'requested',
    });
    expect(again.body.status).toBe('active');
    expect(again.body.error).toBeUndefined();
    await sim.admin('POST', `take-slot/${(await freeSlot(sim)).id}`);
    await sim.simulator.notificationsSettled();
    expect(receiver.received).toHaveLength(4);
  });

  it('delivers after a failure that a retry overcomes, in commit order', async () => {
    await sim.fhir('POST', 'Subscription', subscription(receiver.url, { criteria: 'Slot' }));
    receiver.answer(500);
    const slot = await freeSlot(sim);
    await sim.admin('POST', `take-slot/${slot.id}`);
    setTimeout(() => receiver.answer(200), 10);
    await sim.simulator.notificationsSettled();
    const bodies = receiver.received.filter((r) => r.body).map((r) => JSON.parse(r.body).status);
    expect(bodies.at(-1)).toBe('busy');
  });

  it('notifies nothing of a transaction that failed', async () => {
    await sim.fhir('POST', 'Subscription', subscription(receiver.url, { criteria: 'Slot' }));
    const slot = await freeSlot(sim);
    const other = await freeSlot(sim, 'sched-berg');
    const failed = await sim.fhir('POST', '', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          request: { method: 'PUT', url: `Slot/${slot.id}` },
          resource: { ...slot, status: 'busy' },
        },
        {
          request: { method: 'PUT', url: `Slot/${other.id}`, ifMatch: 'W/"stale"' },
          resource: { ...other, status: 'busy' },
        },
      ],
    });
    expect(failed.status).toBe(412);
    await sim.simulator.notificationsSettled();
    expect(receiver.received).toHaveLength(0);
  });

  it('finds what changed with _lastUpdated=gt, without the seed loaded later', async () => {
    const before = new Date(Date.parse('2026-10-19T08:00:00Z'));
    sim.clock.set('2026-10-19T08:05:00Z');
    const slot = await freeSlot(sim);
    await sim.admin('POST', `take-slot/${slot.id}`);
    // Later days are loaded only now, but were seeded before.
    await freeSlot(sim, 'sched-lindqvist', '2026-11-02T00:00:00Z');
    const changed = await sim.fhir('GET', `Slot?_lastUpdated=gt${before.toISOString()}`);
    expect(changed.body.entry.map((e: { resource: { id: string } }) => e.resource.id)).toEqual([
      slot.id,
    ]);
    const appointments = await sim.fhir(
      'GET',
      `Appointment?_lastUpdated=gt${before.toISOString()}`,
    );
    expect(appointments.body.total).toBe(1);
  });
});
