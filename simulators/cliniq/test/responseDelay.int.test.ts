import { afterEach, describe, expect, it } from 'vitest';
import { patient, startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
afterEach(async () => {
  await sim.close();
});

/** Milliseconds `run` took, with what it answered. */
async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

/** Polls until `check` holds; fails the test if it never does within `ms`. */
async function waitFor(check: () => Promise<boolean>, ms = 2_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('responseDelayMs', () => {
  it('commits a booking at once and answers it only after the delay', async () => {
    sim = await startSimulator();
    await sim.admin('POST', 'config', { responseDelayMs: 500 });
    const slot = await sim.freeSlot('2026-03-26');
    let answered = false;
    const started = performance.now();
    const response = sim
      .call('POST', '/bookings', { body: { slotId: slot.id, externalRef: 'slow-1', patient } })
      .then((res) => {
        answered = true;
        return { res, ms: performance.now() - started };
      });

    await waitFor(async () => (await sim.apiBookings()).length > 0);
    expect(answered).toBe(false);
    expect(await sim.apiBookings()).toMatchObject([{ slotId: slot.id, status: 'booked' }]);

    const { res, ms } = await response;
    expect(res.status).toBe(201);
    expect(res.body.externalRef).toBe('slow-1');
    expect(ms).toBeGreaterThanOrEqual(500);
  });

  it('delays hold, confirm, release and cancel answers, but not reads or failed writes', async () => {
    sim = await startSimulator({ responseDelayMs: 300 });
    const [first, second] = await Promise.all([
      sim.freeSlot('2026-03-26'),
      sim.freeSlot('2026-03-26', 'CL1002'),
    ]);
    const hold = await timed(() =>
      sim.call('POST', '/holds', { body: { slotId: first.id, externalRef: 'h-1' } }),
    );
    expect(hold.result.status).toBe(201);
    expect(hold.ms).toBeGreaterThanOrEqual(300);

    const holdId = hold.result.body.holdId as string;
    const confirm = await timed(() =>
      sim.call('POST', `/holds/${holdId}/confirm`, { body: { patient } }),
    );
    expect(confirm.result.status).toBe(201);
    expect(confirm.ms).toBeGreaterThanOrEqual(300);

    const cancel = await timed(() =>
      sim.call('DELETE', `/bookings/${confirm.result.body.bookingId}`),
    );
    expect(cancel.result.body.status).toBe('cancelled');
    expect(cancel.ms).toBeGreaterThanOrEqual(300);

    const other = await sim.call('POST', '/holds', {
      body: { slotId: second.id, externalRef: 'h-2' },
    });
    const release = await timed(() => sim.call('DELETE', `/holds/${other.body.holdId}`));
    expect(release.result.status).toBe(204);
    expect(release.ms).toBeGreaterThanOrEqual(300);

    const read = await timed(() => sim.call('GET', `/holds/${holdId}`));
    expect(read.result.status).toBe(200);
    expect(read.ms).toBeLessThan(300);

    const taken = await sim.call('POST', '/holds', {
      body: { slotId: second.id, externalRef: 'a' },
    });
    expect(taken.status).toBe(201);
    const refused = await timed(() =>
      sim.call('POST', '/holds', { body: { slotId: second.id, externalRef: 'b' } }),
    );
    expect(refused.result.body.error).toBe('slot_taken');
    expect(refused.ms).toBeLessThan(300);
  });

  it('applies per tenant, a null override follows the global value, and reset clears it', async () => {
    sim = await startSimulator();
    const config = await sim.admin('POST', 'config', {
      tenants: { vastkusten: { responseDelayMs: 300 } },
    });
    expect(config.body.tenants).toEqual({ vastkusten: { responseDelayMs: 300 } });
    // `freeSlot` reads nordklinik only; a write times the same for either tenant.
    const hold = async (tenant: string, externalRef: string) => {
      const slots = await sim.call(
        'GET',
        '/slots?from=2026-03-26T00:00:00&to=2026-03-27T00:00:00',
        { tenant },
      );
      const slotId = slots.body.data[0].id as string;
      return timed(() => sim.call('POST', '/holds', { tenant, body: { slotId, externalRef } }));
    };
    expect((await hold('vastkusten', 'v-1')).ms).toBeGreaterThanOrEqual(300);
    expect((await hold('nordklinik', 'n-1')).ms).toBeLessThan(300);

    await sim.admin('POST', 'config', { tenants: { vastkusten: { responseDelayMs: null } } });
    expect((await hold('vastkusten', 'v-2')).ms).toBeLessThan(300);

    await sim.admin('POST', 'config', { responseDelayMs: 300 });
    const reset = await sim.admin('POST', 'reset');
    expect(reset.body.responseDelayMs).toBe(0);
    expect((await hold('nordklinik', 'n-2')).ms).toBeLessThan(300);
  });

  it('keeps the booking when the caller goes away during the delay', async () => {
    const logged: string[] = [];
    const logger = { info: (message: string) => logged.push(message), warn: () => {} };
    sim = await startSimulator({ responseDelayMs: 300, logger });
    const slot = await sim.freeSlot('2026-03-26');
    const caller = new AbortController();
    const body = { slotId: slot.id, externalRef: 'gone-1', patient };
    const abandoned = fetch(`${sim.url}/t/nordklinik/api/v1/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'dev-key-nordklinik' },
      body: JSON.stringify(body),
      signal: caller.signal,
    });
    await waitFor(async () => (await sim.apiBookings()).length > 0);
    caller.abort();
    await expect(abandoned).rejects.toThrow();

    // The retry after a restart finds the booking by its externalRef, as the crash test relies on.
    const found = await sim.call('GET', '/bookings?externalRef=gone-1');
    expect(found.body.data).toMatchObject([{ slotId: slot.id, status: 'booked' }]);
    // Once the delay is over the simulator notices nobody is waiting, and keeps serving.
    await waitFor(async () => logged.includes('caller left before a delayed response'));
    expect((await sim.call('GET', '/services')).status).toBe(200);
  });
});
