import { afterEach, describe, expect, it } from 'vitest';
import { patient, startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
afterEach(async () => {
  await sim.close();
});

describe('rate limit', () => {
  it('answers 429 rate_limited with an integer Retry-After once a key exceeds its rate', async () => {
    sim = await startSimulator({ rateLimitPerSecond: 5 });
    const statuses: number[] = [];
    let last: Awaited<ReturnType<TestSimulator['call']>> | undefined;
    for (let i = 0; i < 6; i += 1) {
      last = await sim.call('GET', '/services');
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last?.body.error).toBe('rate_limited');
    const retryAfter = Number(last?.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
    // The bucket is per API key: the other tenant is unaffected.
    expect((await sim.call('GET', '/services', { tenant: 'vastkusten' })).status).toBe(200);
  });
});

describe('admin knobs', () => {
  it('serves the health endpoints without an API key', async () => {
    sim = await startSimulator();
    for (const path of ['/_admin/health', '/health/live', '/health/ready']) {
      const res = await fetch(`${sim.url}${path}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
    }
  });

  it('adds latency globally and per tenant', async () => {
    sim = await startSimulator();
    await sim.admin('POST', 'config', { tenants: { vastkusten: { latencyMs: 250 } } });
    const timed = async (tenant: string) => {
      const started = performance.now();
      await sim.call('GET', '/services', { tenant });
      return performance.now() - started;
    };
    expect(await timed('vastkusten')).toBeGreaterThanOrEqual(240);
    expect(await timed('nordklinik')).toBeLessThan(240);
    await sim.admin('POST', 'config', { latencyMs: 250 });
    expect(await timed('nordklinik')).toBeGreaterThanOrEqual(240);
  });

  it('answers 503 unavailable at faultRate 1 and for a tenant marked down', async () => {
    sim = await startSimulator();
    const config = await sim.admin('POST', 'config', { tenants: { nordklinik: { down: true } } });
    expect(config.body.tenants).toEqual({ nordklinik: { down: true } });
    const down = await sim.call('GET', '/clinics');
    expect(down.status).toBe(503);
    expect(down.body.error).toBe('unavailable');
    expect((await sim.call('GET', '/clinics', { tenant: 'vastkusten' })).status).toBe(200);

    await sim.admin('POST', 'config', { faultRate: 1, tenants: { nordklinik: { down: false } } });
    expect((await sim.call('GET', '/clinics', { tenant: 'vastkusten' })).status).toBe(503);
  });

  it('injects faults at about the configured rate, repeatably for a seed', async () => {
    sim = await startSimulator({ faultRate: 0.3 });
    const run = async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 100; i += 1) statuses.push((await sim.call('GET', '/services')).status);
      return statuses;
    };
    const first = await run();
    const failures = first.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(15);
    expect(failures).toBeLessThan(45);
    await sim.admin('POST', 'reset');
    await sim.admin('POST', 'config', { faultRate: 0.3 });
    expect(await run()).toEqual(first);
    const traffic = await sim.admin('GET', 'traffic');
    expect(traffic.body.tenants.nordklinik).toEqual({
      requests: 100,
      reads: 100,
      writes: 0,
      rateLimited: 0,
      faults: failures,
      hung: 0,
      lostAnswers: 0,
    });
  });

  it('gives each tenant its own fault stream: other tenants’ traffic does not change it', async () => {
    sim = await startSimulator({ faultRate: 0.3 });
    const alone: number[] = [];
    for (let i = 0; i < 40; i += 1) alone.push((await sim.call('GET', '/services')).status);
    await sim.admin('POST', 'reset');
    await sim.admin('POST', 'config', { faultRate: 0.3 });
    const interleaved: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const [own] = await Promise.all([
        sim.call('GET', '/services'),
        sim.call('GET', '/services', { tenant: 'vastkusten' }),
        ...(i % 3 === 0 ? [sim.call('GET', '/clinics', { tenant: 'vastkusten' })] : []),
      ]);
      interleaved.push(own.status);
    }
    expect(interleaved).toEqual(alone);
  });

  it('performs a booking but drops the response when lostResponses is set', async () => {
    sim = await startSimulator();
    const slot = await sim.freeSlot('2026-03-26');
    await sim.admin('POST', 'config', { lostResponses: 1 });
    const body = { slotId: slot.id, externalRef: 'lost-1', patient };
    await expect(sim.call('POST', '/bookings', { body })).rejects.toThrow();
    const made = await sim.apiBookings();
    expect(made).toMatchObject([{ slotId: slot.id, status: 'booked' }]);
    const retry = await sim.call('POST', '/bookings', { body });
    expect(retry.status).toBe(200);
    expect(retry.body.externalRef).toBe('lost-1');
    expect((await sim.admin('GET', 'config')).body.lostResponses).toBe(0);
  });

  it('applies holdTtlSeconds at once to new holds', async () => {
    sim = await startSimulator();
    await sim.admin('POST', 'config', { holdTtlSeconds: 60 });
    const slot = await sim.freeSlot('2026-03-26');
    const hold = await sim.call('POST', '/holds', {
      body: { slotId: slot.id, externalRef: 'ttl' },
    });
    expect(hold.body.expiresAt).toBe('2026-03-25T09:01:00');
  });

  it('refuses an invalid config with 400 and keeps the old one', async () => {
    sim = await startSimulator();
    const res = await sim.admin('POST', 'config', { faultRate: 2, tenants: { okand: {} } });
    expect(res.status).toBe(400);
    expect((await sim.admin('GET', 'config')).body.faultRate).toBe(0);
  });

  it('resets to the seed bookings and the default config', async () => {
    sim = await startSimulator();
    const before = (await sim.admin('GET', 'bookings')).body;
    const slot = await sim.freeSlot('2026-03-26');
    await sim.call('POST', '/bookings', { body: { slotId: slot.id, externalRef: 'x', patient } });
    await sim.admin('POST', 'config', { latencyMs: 10 });
    const reset = await sim.admin('POST', 'reset');
    expect(reset.body.latencyMs).toBe(0);
    expect((await sim.admin('GET', 'bookings')).body).toEqual(before);
    expect((await sim.call('GET', `/slots/${slot.id}`)).body.status).toBe('free');
  });
});
