import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessGraph, type InProcessGraph } from '../support/inProcessGraph.js';

const availability = /* GraphQL */ `
  query ($filter: AvailabilityFilter!) {
    availability(filter: $filter, first: 200) {
      edges { node { id provider { name } } }
      providerOutcomes { provider { name status } status latencyMs message ageMs }
    }
  }
`;
const hold = /* GraphQL */ `
  mutation ($input: HoldSlotInput!) {
    holdSlot(input: $input) { __typename ... on ReservationResult { reservation { id status } } }
  }
`;
const cancel = /* GraphQL */ `
  mutation ($input: CancelReservationInput!) {
    cancelReservation(input: $input) { __typename ... on ReservationResult { reservation { status } } }
  }
`;

const nord = 'Nordklinik';
const vast = 'Västkustens Vårdcentraler';

interface Outcome {
  provider: { name: string; status: string };
  status: string;
  latencyMs: number;
  message: string | null;
  ageMs: number | null;
}
interface Search {
  slots: Map<string, string[]>;
  outcomes: Map<string, Outcome>;
  elapsedMs: number;
}

/** A window of whole days starting `startDay` days from now, `days` long. */
function window(startDay: number, days = 2) {
  const from = new Date(Date.now() + startDay * 24 * 3600_000);
  return {
    from: from.toISOString(),
    to: new Date(from.getTime() + days * 24 * 3600_000).toISOString(),
  };
}

async function search(graph: InProcessGraph, filter: object): Promise<Search> {
  const started = Date.now();
  const { data, errors } = await graph.execute(availability, { filter });
  expect(errors).toBeUndefined();
  const slots = new Map<string, string[]>([
    [nord, []],
    [vast, []],
  ]);
  for (const { node } of data.availability.edges) slots.get(node.provider.name)?.push(node.id);
  const outcomes = new Map<string, Outcome>(
    data.availability.providerOutcomes.map((o: Outcome) => [o.provider.name, o]),
  );
  return { slots, outcomes, elapsedMs: Date.now() - started };
}

async function traffic(graph: InProcessGraph, tenant: string) {
  const response = await fetch(`${graph.simulator.url}/_admin/traffic`);
  const body = (await response.json()) as {
    tenants: Record<string, { requests: number; rateLimited: number; faults: number }>;
  };
  return body.tenants[tenant] ?? { requests: 0, rateLimited: 0, faults: 0 };
}

describe('availability when providers misbehave (gateway → scheduling → provider-cliniq → simulator)', () => {
  let graph: InProcessGraph | undefined;
  afterEach(async () => {
    await graph?.stop();
    graph = undefined;
  });

  it('hung provider: answers at the deadline with the others’ slots, then opens the circuit and probes it back', async () => {
    const deadlineMs = 600;
    graph = await createInProcessGraph({
      deadlineMs,
      scheduling: { CIRCUIT_FAILURES: '3', CIRCUIT_HALF_OPEN_AFTER_MS: '1500' },
    });
    await graph.configureSimulator({ tenants: { vastkusten: { latencyMs: 60_000 } } });
    for (let i = 0; i < 3; i++) {
      const result = await search(graph, window(2 + i));
      expect(result.outcomes.get(vast)?.status).toBe('TIMEOUT');
      expect(result.outcomes.get(nord)?.status).toBe('OK');
      expect(result.slots.get(nord)!.length).toBeGreaterThan(0);
      expect(result.elapsedMs).toBeGreaterThanOrEqual(deadlineMs - 20);
      expect(result.elapsedMs).toBeLessThan(deadlineMs + 400);
    }
    const skipped = await search(graph, window(6));
    expect(skipped.outcomes.get(vast)).toMatchObject({
      status: 'CIRCUIT_OPEN',
      provider: { status: 'DOWN' },
    });
    expect(skipped.slots.get(nord)!.length).toBeGreaterThan(0);
    expect(skipped.elapsedMs).toBeLessThan(deadlineMs);

    await graph.configureSimulator({ tenants: { vastkusten: { latencyMs: null } } });
    await sleep(1600);
    const probed = await search(graph, window(7));
    expect(probed.outcomes.get(vast)?.status).toBe('OK');
    expect(probed.slots.get(vast)!.length).toBeGreaterThan(0);
    expect(probed.outcomes.get(vast)?.provider.status).not.toBe('DOWN');
  });

  it('failing provider: serves its last answer, with its age, while it is down, and fresh answers after', async () => {
    graph = await createInProcessGraph({
      deadlineMs: 800,
      // Every search asks the provider; an answer is kept 10 minutes for when it fails.
      scheduling: { CACHE_FRESH_MS: '0', CACHE_STALE_MS: '0', CIRCUIT_FAILURES: '100' },
    });
    const filter = window(3);
    const warm = await search(graph, filter);
    expect(warm.outcomes.get(vast)).toMatchObject({ status: 'OK', ageMs: 0 });
    await graph.configureSimulator({ tenants: { vastkusten: { down: true } } });
    await sleep(20);
    const served = await search(graph, filter);
    expect(served.outcomes.get(vast)?.status).toBe('SERVED_FROM_CACHE');
    expect(served.outcomes.get(vast)?.ageMs).toBeGreaterThanOrEqual(20);
    expect(served.outcomes.get(vast)?.message).toMatch(/serving the provider's answer from/);
    expect(served.slots.get(vast)).toEqual(warm.slots.get(vast));
    // A window it never answered for cannot come from the cache.
    const unknown = await search(graph, window(12));
    expect(unknown.outcomes.get(vast)?.status).toBe('ERROR');
    expect(unknown.slots.get(vast)).toEqual([]);

    await graph.configureSimulator({ tenants: { vastkusten: { down: false } } });
    const back = await search(graph, filter);
    expect(back.outcomes.get(vast)).toMatchObject({ status: 'OK', ageMs: 0 });
  });

  it('a provider refusing a client’s slot ids (4xx) answers “no such slot” and stays UP', async () => {
    // Timing is not what this test is about: a deadline the full suite's load cannot reach, so
    // that a slow answer (a TIMEOUT, which rightly counts against the provider) is not taken for
    // a refusal.
    graph = await createInProcessGraph({ deadlineMs: 10_000 });
    const { slots } = await search(graph, window(3));
    const slotId = slots.get(nord)![0]!;
    // Nordklinik's system refuses every read as malformed, as it does an id it cannot parse:
    // more refusals than the failures that open a circuit (CIRCUIT_FAILURES, 5).
    await fetch(`${graph.simulator.url}/_admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ connection: 'nordklinik', on: 'reads', kind: 'error', status: 400 }),
    });
    for (let i = 0; i < 8; i += 1) {
      const { data, errors } = await graph.execute('query ($id: ID!) { slot(id: $id) { id } }', {
        id: slotId,
      });
      expect(errors).toBeUndefined();
      expect(data.slot).toBeNull();
    }
    expect((await traffic(graph, 'nordklinik')).faults).toBeGreaterThanOrEqual(8);
    await fetch(`${graph.simulator.url}/_admin/faults`, { method: 'DELETE' });
    const { data } = await graph.execute('{ providers { name status } }');
    expect(data.providers.find((p: { name: string }) => p.name === nord).status).toBe('UP');
    const after = await graph.execute('query ($id: ID!) { slot(id: $id) { id } }', { id: slotId });
    expect(after.data.slot).toEqual({ id: slotId });
  });

  it('flapping provider: repeats and the cache keep its slots in every answer', async () => {
    graph = await createInProcessGraph({
      deadlineMs: 1500,
      // Every search asks the provider. The circuit is the hung provider's test: left at its
      // default, five failed calls in a row (as likely as not in 20 searches at this fault rate)
      // open it, and the remaining searches are answered from the cache without asking.
      scheduling: { CACHE_FRESH_MS: '0', CACHE_STALE_MS: '0', CIRCUIT_FAILURES: '1000' },
    });
    const filter = window(4, 1);
    const warm = await search(graph, filter);
    expect(warm.outcomes.get(vast)?.status).toBe('OK');
    await graph.configureSimulator({ tenants: { vastkusten: { faultRate: 0.4 } } });
    const statuses: string[] = [];
    for (let i = 0; i < 20; i++) {
      const result = await search(graph, filter);
      const outcome = result.outcomes.get(vast)!;
      statuses.push(outcome.status);
      expect(['OK', 'SERVED_FROM_CACHE']).toContain(outcome.status);
      expect(result.slots.get(vast)).toEqual(warm.slots.get(vast));
    }
    // Each search asked the simulator, which really failed some of those requests (its fault
    // stream per tenant is seeded: the same requests fail in every run).
    const asked = await traffic(graph, 'vastkusten');
    expect(asked.requests).toBeGreaterThanOrEqual(21);
    expect(asked.faults).toBeGreaterThan(0);
    expect(statuses).toContain('OK');
  });

  it('429 storm: honours Retry-After by not calling the provider until it has passed', async () => {
    graph = await createInProcessGraph({
      // Shorter than the simulator's Retry-After (1 s): the provider subgraph cannot wait it out.
      deadlineMs: 700,
      scheduling: { CACHE_FRESH_MS: '0', CACHE_STALE_MS: '0' },
    });
    await graph.configureSimulator({ rateLimitPerSecond: 3 });
    const storm = await Promise.all(
      Array.from({ length: 30 }, (_, i) => search(graph!, window(1 + (i % 15), 1))),
    );
    for (const result of storm) expect(result.elapsedMs).toBeLessThan(700 + 500);
    // The refused calls come back refused (ERROR), or are not made (CIRCUIT_OPEN): a provider
    // subgraph that waited the Retry-After out would answer every one of them TIMEOUT. A TIMEOUT
    // beside them is the machine's load, 30 searches at once.
    const limited = storm.flatMap((r) => [...r.outcomes.values()]).filter((o) => o.status !== 'OK');
    expect(limited.map((o) => o.status)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^(ERROR|CIRCUIT_OPEN)$/)]),
    );
    for (const outcome of limited) {
      expect(['ERROR', 'CIRCUIT_OPEN', 'SERVED_FROM_CACHE', 'TIMEOUT']).toContain(outcome.status);
    }

    // Right after the storm, every tenant is cooling down: searches do not reach the simulator.
    const before = await traffic(graph, 'nordklinik');
    // Three days: whatever the hour and weekday now, they hold a whole weekday with slots.
    const during = await search(graph, window(20, 3));
    expect(during.outcomes.get(nord)?.status).toBe('CIRCUIT_OPEN');
    expect(during.outcomes.get(nord)?.message).toMatch(/Retry-After/);
    expect(during.elapsedMs).toBeLessThan(200);
    expect((await traffic(graph, 'nordklinik')).requests).toBe(before.requests);

    await graph.configureSimulator({ rateLimitPerSecond: 1000 });
    await sleep(1100);
    const after = await search(graph, window(20, 3));
    expect(after.outcomes.get(nord)?.status).toBe('OK');
    expect(after.slots.get(nord)!.length).toBeGreaterThan(0);
  });

  it('cache and bookings: a held slot vanishes and a released one returns in the very next search', async () => {
    // Default cache policy: answers stay fresh for 15 s, so only invalidation can show the change.
    graph = await createInProcessGraph({ deadlineMs: 1500 });
    const filter = window(5, 1);
    // Found through a treatment filter: that filter's answer is cached, the unfiltered one is not.
    const byTreatment = await search(graph, { ...filter, treatmentId: 'general-practitioner' });
    const slotId = byTreatment.slots.get(nord)![0]!;

    const held = await graph.execute(hold, { input: { slotId, idempotencyKey: 'cache-hold-1' } });
    expect(held.data.holdSlot.__typename).toBe('ReservationResult');
    // Asked while the slot is held: the provider's answer (cached for 15 s) lacks it.
    const whileHeld = await search(graph, filter);
    expect(whileHeld.slots.get(nord)).not.toContain(slotId);
    const cached = await search(graph, filter);
    expect(cached.outcomes.get(nord)?.ageMs).toBeGreaterThan(0);
    expect(cached.slots.get(nord)).not.toContain(slotId);

    const released = await graph.execute(cancel, {
      input: {
        reservationId: held.data.holdSlot.reservation.id,
        idempotencyKey: 'cache-cancel-1',
      },
    });
    expect(released.data.cancelReservation.reservation.status).toBe('CANCELLED');
    const afterRelease = await search(graph, filter);
    expect(afterRelease.slots.get(nord)).toContain(slotId);
    const again = await search(graph, { ...filter, treatmentId: 'general-practitioner' });
    expect(again.slots.get(nord)).toEqual(byTreatment.slots.get(nord));
  });
});
