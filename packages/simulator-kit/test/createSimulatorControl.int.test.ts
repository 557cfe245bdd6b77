import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type CallSpan, callDepth, createSimulatorControl } from '../src/index.js';

/** The parts of admin answers the tests read. */
interface AdminBody {
  id: number;
  faults: unknown[];
  tenants: Record<string, unknown>;
}

/** `GET /_admin/calls`, per tenant. */
interface CallsBody {
  depth: number;
  tenants: Record<string, { depth: number; calls: CallSpan[] }>;
}

/**
 * A key-value "vendor" with two tenants: `GET /t/{tenant}/items` reads, `POST` adds an item.
 * Its refusals are `{status, retryAfter}` JSON so the test sees what the kit decided.
 */
async function startStore() {
  let items = new Map<string, number>([
    ['alpha', 0],
    ['beta', 0],
  ]);
  const control = createSimulatorControl<{ pageSize: number }>({
    connectionsKey: 'tenants',
    connectionIds: () => items.keys(),
    vendorDefaults: () => ({ pageSize: 20 }),
    vendorKnobs: { pageSize: z.number().int().min(1).optional() },
    onReset: () => {
      items = new Map([
        ['alpha', 0],
        ['beta', 0],
      ]);
    },
  });
  const server = http.createServer(async (req, res): Promise<void> => {
    if (await control.handleAdmin(req, res)) return;
    const tenant = /^\/t\/([a-z]+)\/items$/.exec(req.url ?? '')?.[1] ?? '';
    if (!items.has(tenant)) {
      res.writeHead(404).end();
      return;
    }
    const access = req.method === 'POST' ? 'write' : 'read';
    const admission = await control.admit({ connection: tenant, access, res });
    if (admission.kind === 'dropped') return;
    if (admission.kind === 'refuse') {
      const headers: Record<string, string> =
        admission.retryAfterSeconds === undefined
          ? {}
          : { 'retry-after': String(admission.retryAfterSeconds) };
      res.writeHead(admission.status, headers).end(admission.reason);
      return;
    }
    if (access === 'write') items.set(tenant, (items.get(tenant) ?? 0) + 1);
    if (!(await control.beforeAnswer({ connection: tenant, access, res, succeeded: true }))) return;
    res.writeHead(200).end(String(items.get(tenant)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (method: string, tenant = 'alpha') => {
    try {
      const response = await fetch(`${url}/t/${tenant}/items`, {
        method,
        signal: AbortSignal.timeout(2000),
      });
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: await response.text(),
      };
    } catch (error) {
      return { status: 0, retryAfter: null, body: String((error as Error).name) };
    }
  };
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}/_admin/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as AdminBody };
  };
  return {
    url,
    control,
    call,
    admin,
    items: () => items,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

let store: Awaited<ReturnType<typeof startStore>>;
afterEach(async () => {
  await store.close();
});

describe('the standard control protocol', () => {
  it('records each request’s start and end, so calls made one after another tell from concurrent ones', async () => {
    store = await startStore();
    await store.admin('POST', 'config', { latencyMs: 30 });
    await Promise.all([store.call('GET'), store.call('GET'), store.call('GET')]);
    const concurrent = (await store.admin('GET', 'calls')).body as unknown as CallsBody;
    expect(concurrent.tenants.alpha?.calls).toHaveLength(3);
    expect(concurrent.tenants.alpha?.calls.every((c) => c.access === 'read')).toBe(true);
    expect(concurrent.tenants.alpha?.depth).toBe(1);
    expect(callDepth(concurrent.tenants.alpha?.calls ?? [])).toBe(1);

    expect((await store.admin('DELETE', 'calls')).body.tenants).toEqual({});
    await store.call('GET');
    await store.call('POST');
    await store.call('GET', 'beta');
    const sequential = (await store.admin('GET', 'calls')).body as unknown as CallsBody;
    expect(sequential.tenants.alpha?.depth).toBe(2);
    expect(sequential.depth).toBe(3);
    expect(sequential.tenants.alpha?.calls.map((c) => c.access)).toEqual(['read', 'write']);
    for (const c of sequential.tenants.alpha?.calls ?? [])
      expect(c.endMs! - c.startMs).toBeGreaterThanOrEqual(29);
    expect(sequential.tenants.beta?.calls).toHaveLength(1);
    // Admin requests are not vendor calls.
    expect(Object.keys(sequential.tenants).sort()).toEqual(['alpha', 'beta']);
  });

  it('answers the next N reads of one tenant with a 5xx, then serves again', async () => {
    store = await startStore();
    const added = await store.admin('POST', 'faults', {
      connection: 'alpha',
      on: 'reads',
      kind: 'error',
      status: 502,
      count: 2,
    });
    expect(added.status).toBe(201);
    expect((await store.call('POST')).status).toBe(200);
    expect((await store.call('GET', 'beta')).status).toBe(200);
    expect((await store.call('GET')).status).toBe(502);
    expect((await store.call('GET')).status).toBe(502);
    expect((await store.call('GET')).status).toBe(200);
    const traffic = await store.admin('GET', 'traffic');
    expect(traffic.body.tenants.alpha).toMatchObject({
      requests: 4,
      reads: 3,
      writes: 1,
      faults: 2,
    });
  });

  it('answers 429 with Retry-After', async () => {
    store = await startStore();
    await store.admin('POST', 'faults', { kind: 'rateLimit', retryAfterSeconds: 7, count: 1 });
    const limited = await store.call('GET', 'beta');
    expect(limited).toMatchObject({ status: 429, retryAfter: '7' });
    expect((await store.call('GET', 'beta')).status).toBe(200);
  });

  it('applies the rate limit knob per tenant', async () => {
    store = await startStore();
    await store.admin('POST', 'config', { tenants: { alpha: { rateLimitPerSecond: 2 } } });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await store.call('GET')).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await store.call('GET', 'beta')).status).toBe(200);
  });

  it('clears one override with null, and every override of a tenant with null for the tenant', async () => {
    store = await startStore();
    await store.admin('POST', 'config', { tenants: { alpha: { down: true, latencyMs: 5 } } });
    expect((await store.call('GET')).status).toBe(503);
    const one = await store.admin('POST', 'config', { tenants: { alpha: { down: null } } });
    expect(one.body.tenants.alpha).toEqual({ latencyMs: 5 });
    expect((await store.call('GET')).status).toBe(200);
    await store.admin('POST', 'config', { tenants: { alpha: { down: true } } });
    const all = await store.admin('POST', 'config', { tenants: { alpha: null } });
    expect(all.status).toBe(200);
    expect(all.body.tenants.alpha ?? {}).toEqual({});
    expect((await store.call('GET')).status).toBe(200);
  });

  it('holds a request past the given time and drops it unanswered', async () => {
    store = await startStore();
    await store.admin('POST', 'faults', { kind: 'hang', hangMs: 300, count: 1 });
    const started = performance.now();
    const held = await store.call('GET');
    expect(held.status).toBe(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(store.control.traffic.get('alpha')?.hung).toBe(1);
  });

  it('holds a request without a time until the caller gives up; removing the rule serves again', async () => {
    store = await startStore();
    const rule = await store.admin('POST', 'faults', { kind: 'hang', on: 'writes' });
    const started = performance.now();
    const failed = await fetch(`${store.url}/t/alpha/items`, {
      method: 'POST',
      signal: AbortSignal.timeout(200),
    }).then(
      () => 'answered',
      (error: Error) => error.name,
    );
    expect(failed).toBe('TimeoutError');
    expect(performance.now() - started).toBeLessThan(1500);
    // Reads are not held; the write was never performed.
    expect((await store.call('GET')).body).toBe('0');
    expect((await store.admin('DELETE', `faults/${rule.body.id}`)).status).toBe(200);
    expect((await store.call('POST')).body).toBe('1');
  });

  it('loses the answer of the next write: the write happens, the caller sees the connection drop', async () => {
    store = await startStore();
    await store.admin('POST', 'faults', { connection: 'alpha', kind: 'loseAnswer', count: 1 });
    expect((await store.call('GET')).body).toBe('0');
    const lost = await store.call('POST');
    expect(lost.status).toBe(0);
    expect(store.items().get('alpha')).toBe(1);
    expect((await store.call('POST')).body).toBe('2');
    expect(store.control.traffic.get('alpha')?.lostAnswers).toBe(1);
  });

  it('refuses a share of requests repeatably, and refuses unknown tenants and bad rules', async () => {
    store = await startStore();
    await store.admin('POST', 'faults', { kind: 'error', share: 0.5 });
    const run = async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 40; i += 1) statuses.push((await store.call('GET')).status);
      return statuses;
    };
    const first = await run();
    expect(first.filter((s) => s === 503).length).toBeGreaterThan(8);
    expect(first.filter((s) => s === 503).length).toBeLessThan(32);
    await store.admin('POST', 'reset');
    await store.admin('POST', 'faults', { kind: 'error', share: 0.5 });
    expect(await run()).toEqual(first);
    expect(
      (await store.admin('POST', 'faults', { kind: 'error', connection: 'gamma' })).status,
    ).toBe(400);
    for (const status of [429, 302, 600]) {
      expect((await store.admin('POST', 'faults', { kind: 'error', status })).status).toBe(400);
    }
    // A refusal of the request itself (a malformed id, say) is an error a rule may give too.
    await store.admin('POST', 'faults', {
      connection: 'beta',
      kind: 'error',
      status: 400,
      count: 1,
    });
    expect((await store.call('GET', 'beta')).status).toBe(400);
    expect(
      (await store.admin('POST', 'config', { tenants: { gamma: { down: true } } })).status,
    ).toBe(400);
  });

  it('keeps the simulator’s own knobs beside the common ones; reset restores both and the store', async () => {
    store = await startStore();
    await store.call('POST');
    const changed = await store.admin('POST', 'config', {
      pageSize: 5,
      latencyMs: 10,
      tenants: { beta: { down: true } },
    });
    expect(changed.body).toMatchObject({
      pageSize: 5,
      latencyMs: 10,
      tenants: { beta: { down: true } },
    });
    expect(store.control.config.pageSize).toBe(5);
    expect((await store.call('GET', 'beta')).status).toBe(503);
    await store.admin('POST', 'config', { tenants: { beta: { down: null } } });
    expect((await store.call('GET', 'beta')).status).toBe(200);
    await store.admin('POST', 'faults', { kind: 'error' });
    const reset = await store.admin('POST', 'reset');
    expect(reset.body).toMatchObject({ pageSize: 20, latencyMs: 0, tenants: {} });
    expect((await store.admin('GET', 'faults')).body.faults).toEqual([]);
    expect((await store.admin('GET', 'traffic')).body.tenants).toEqual({});
    expect(store.items().get('alpha')).toBe(0);
  });
});
