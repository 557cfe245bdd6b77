import type { RequestBudget } from '@booking/provider-kit';
import { Agent, MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as cliniq from '../src/__generated__/client.gen.js';
import { createCliniqClient } from '../src/client/createCliniqClient.js';

const origin = 'http://cliniq.test';
const base = '/t/nordklinik/api/v1';
let agent: MockAgent;

function budget(ms = 5_000): RequestBudget {
  return { signal: AbortSignal.timeout(ms), deadlineAt: Date.now() + ms };
}

function client() {
  return createCliniqClient({
    baseUrl: `${origin}${base}`,
    apiKey: 'secret-key',
    dispatcher: agent,
    pageSize: 2,
  });
}

const json = { headers: { 'content-type': 'application/json' } };

function slot(n: number) {
  return {
    id: `SL-CL1001-PR1101-20260330${String(800 + n * 20).padStart(4, '0')}`,
    clinicId: 'CL1001',
    practitionerId: 'PR1101',
    practitionerName: 'Anna Lindqvist',
    serviceCodes: ['ALLM20'],
    start: '2026-03-30T09:00:00',
    end: '2026-03-30T09:20:00',
  };
}

function page(n: number, data: unknown[], totalPages: number) {
  return { data, page: n, pageSize: 2, totalPages, totalItems: 5 };
}

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(async () => {
  await agent.close();
});

describe('createCliniqClient', () => {
  it('follows the pages to totalPages and sends the API key and local window', async () => {
    const pool = agent.get(origin);
    const seen: string[] = [];
    for (const n of [1, 2, 3]) {
      pool
        .intercept({
          path: (path) => path.startsWith(`${base}/slots?`) && path.includes(`page=${n}&`),
          method: 'GET',
          headers: { 'x-api-key': 'secret-key' },
        })
        .reply(
          200,
          (options) => {
            seen.push(String(options.path));
            const items = [slot(2 * n - 1), slot(2 * n)].slice(0, n === 3 ? 1 : 2);
            return page(n, items, 3);
          },
          json,
        );
    }
    const query = { from: '2026-03-30T00:00:00', to: '2026-03-31T00:00:00' };
    const slots = await client().list(
      (paging) =>
        cliniq.listSlots({ query: { ...query, clinicId: ['CL1001', 'CL1002'], ...paging } }),
      budget(),
    );
    expect(slots.map((s) => s.id)).toEqual([1, 2, 3, 4, 5].map((n) => slot(n).id));
    expect(seen[0]).toContain('from=2026-03-30T00%3A00%3A00');
    expect(seen[0]).toContain('clinicId=CL1001%2CCL1002');
  });

  it('retries a rate-limited read once when Retry-After fits in the deadline', async () => {
    const pool = agent.get(origin);
    pool.intercept({ path: (p) => p.startsWith(`${base}/services`) }).reply(
      429,
      { error: 'rate_limited' },
      {
        headers: { 'retry-after': '0' },
      },
    );
    pool
      .intercept({ path: (p) => p.startsWith(`${base}/services`) })
      .reply(200, page(1, [{ code: 'ALLM20', name: 'Läkarbesök', durationMinutes: 20 }], 1), json);
    const services = await client().list((query) => cliniq.listServices({ query }), budget());
    expect(services.map((s) => s.code)).toEqual(['ALLM20']);
  });

  it('gives up on a rate-limited read whose Retry-After does not fit, reporting the wait', async () => {
    agent
      .get(origin)
      .intercept({ path: (p) => p.startsWith(`${base}/clinics`) })
      .reply(429, { error: 'rate_limited' }, { headers: { 'retry-after': '5' } });
    await expect(
      client().list((query) => cliniq.listClinics({ query }), budget(2_000)),
    ).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      details: { status: 429, retryAfterSeconds: 5 },
    });
  });

  it('never retries a rate-limited write', async () => {
    const pool = agent.get(origin);
    pool
      .intercept({ path: `${base}/holds`, method: 'POST' })
      .reply(429, { error: 'rate_limited' }, { headers: { 'retry-after': '0' } });
    pool.intercept({ path: `${base}/holds`, method: 'POST' }).reply(201, {}, json);
    await expect(
      client().send(
        cliniq.createHold({ body: { slotId: 'SL-1', externalRef: 'res-1' } }),
        budget(),
      ),
    ).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { status: 429 } });
    expect(agent.pendingInterceptors()).toHaveLength(1);
  });

  it('reports 503 as PROVIDER_UNAVAILABLE and a rejected key the same way', async () => {
    const pool = agent.get(origin);
    pool.intercept({ path: `${base}/slots/SL-1` }).reply(503, { error: 'unavailable' }, json);
    pool.intercept({ path: `${base}/slots/SL-2` }).reply(401, { error: 'unauthorized' }, json);
    await expect(
      client().send(cliniq.getSlot({ path: { slotId: 'SL-1' } }), budget()),
    ).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      details: { status: 503 },
    });
    await expect(
      client().send(cliniq.getSlot({ path: { slotId: 'SL-2' } }), budget()),
    ).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      details: { status: 401 },
    });
  });

  it('rejects a body that breaks the schema as PROVIDER_BAD_RESPONSE', async () => {
    const pool = agent.get(origin);
    pool
      .intercept({ path: `${base}/slots/SL-1` })
      .reply(200, { ...slot(1), start: '2026-03-30T09:00:00Z', status: 'free' }, json);
    pool.intercept({ path: `${base}/slots/SL-2` }).reply(200, 'not json', json);
    await expect(
      client().send(cliniq.getSlot({ path: { slotId: 'SL-1' } }), budget()),
    ).rejects.toMatchObject({
      code: 'PROVIDER_BAD_RESPONSE',
      message: expect.stringContaining('start'),
    });
    await expect(
      client().send(cliniq.getSlot({ path: { slotId: 'SL-2' } }), budget()),
    ).rejects.toMatchObject({
      code: 'PROVIDER_BAD_RESPONSE',
    });
  });

  it('returns 404/409/410/422 as outcomes, not errors', async () => {
    const pool = agent.get(origin);
    pool
      .intercept({ path: `${base}/holds`, method: 'POST' })
      .reply(409, { error: 'slot_taken', message: 'Slot SL-1 is taken.' }, json);
    pool
      .intercept({ path: `${base}/bookings`, method: 'POST' })
      .reply(422, { error: 'invalid_patient', message: 'x', field: 'firstName' }, json);
    const held = await client().send(
      cliniq.createHold({ body: { slotId: 'SL-1', externalRef: 'res-1' } }),
      budget(),
    );
    expect(held).toMatchObject({ ok: false, status: 409, error: { error: 'slot_taken' } });
    const patient = { personalIdentityNumber: '199001011234', firstName: ' ', lastName: 'T' };
    const booked = await client().send(
      cliniq.createBooking({ body: { slotId: 'SL-1', externalRef: 'res-2', patient } }),
      budget(),
    );
    expect(booked).toMatchObject({ ok: false, status: 422, error: { field: 'firstName' } });
  });

  it('reports a tenant that cannot be reached as PROVIDER_UNAVAILABLE', async () => {
    const dispatcher = new Agent();
    // Port 1 on loopback: nothing listens there, so the connection is refused.
    const unreachable = createCliniqClient({
      baseUrl: 'http://127.0.0.1:1/api',
      apiKey: 'k',
      dispatcher,
    });
    await expect(
      unreachable.list((query) => cliniq.listServices({ query }), budget()),
    ).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: expect.stringContaining('ECONNREFUSED'),
    });
    await expect(
      unreachable.send(
        cliniq.createHold({ body: { slotId: 'SL-1', externalRef: 'res-1' } }),
        budget(),
      ),
    ).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    await dispatcher.close();
  });

  it('lets an abort through untouched, for the kit to report as a timeout', async () => {
    agent
      .get(origin)
      .intercept({ path: (p) => p.startsWith(`${base}/clinics`) })
      .reply(200, page(1, [], 1), json)
      .delay(500);
    const short = budget(50);
    await expect(
      client().list((query) => cliniq.listClinics({ query }), short),
    ).rejects.toBeDefined();
    expect(short.signal.aborted).toBe(true);
  });
});
