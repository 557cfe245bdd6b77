import { allServices, providers, type RunningSystem, startSystem } from '@booking/tools';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface AvailabilityResult {
  data?: {
    availability: {
      edges: {
        cursor: string;
        node: {
          id: string;
          start: string;
          end: string;
          provider: { id: string; name: string };
          clinic: { name: string };
        };
      }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      providerOutcomes: { provider: { name: string }; status: string; latencyMs: number | null }[];
    };
  };
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

const query = /* GraphQL */ `
  query Availability($filter: AvailabilityFilter!, $first: Int, $after: String) {
    availability(filter: $filter, first: $first, after: $after) {
      edges { cursor node { id start end provider { id name } clinic { name } } }
      pageInfo { hasNextPage endCursor }
      providerOutcomes { provider { name } status latencyMs }
    }
  }
`;

describe('the whole system as separate processes (npm start code path)', () => {
  let system: RunningSystem;
  const logs: string[] = [];
  const deadlineMs = 2000;

  beforeAll(async () => {
    system = await startSystem({
      ports: 'free',
      output: (line) => logs.push(line),
      colour: false,
      env: {
        scheduling: {
          LEDGER_DATA_DIR: 'memory://',
          // Every search asks the providers: this file is about the launch path and deadlines
          // (the slot cache has its own tests).
          CACHE_FRESH_MS: '0',
          CACHE_STALE_MS: '0',
          CACHE_FALLBACK_MS: '0',
        },
      },
    });
    // The very first search of a cold system (nine processes compiling their paths on two cores)
    // can take longer than the 2 s deadline. These tests are about merging, paging and deadlines
    // on a running system, so one search warms it first; its answer is not checked.
    await availability({ filter: nextWeek(), first: 1 }, AbortSignal.timeout(10_000)).catch(
      () => undefined,
    );
  });
  afterAll(async () => {
    await system?.stop();
  });

  async function availability(
    variables: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<{ body: AvailabilityResult; ms: number }> {
    const started = performance.now();
    const response = await fetch(system.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
      ...(signal && { signal }),
    });
    const body = (await response.json()) as AvailabilityResult;
    return { body, ms: performance.now() - started };
  }

  async function providerNames(): Promise<string[]> {
    const response = await fetch(system.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ providers { name } }' }),
    });
    const body = (await response.json()) as { data: { providers: { name: string }[] } };
    return body.data.providers.map((p) => p.name);
  }

  const nextWeek = () => {
    const from = DateTime.now().setZone('Europe/Stockholm').startOf('day').plus({ days: 1 });
    return { from: from.toISO()!, to: from.plus({ days: 7 }).toISO()! };
  };

  it('is ready behind the gateway, every subgraph answering', async () => {
    const response = await fetch(`${system.urls.gateway}/health/ready`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { checks: Record<string, { ok: boolean }> };
    expect(Object.keys(body.checks).sort()).toEqual(
      ['scheduling', ...providers.map((p) => p.subgraph.name)].sort(),
    );
    expect(Object.values(body.checks).every((check) => check.ok)).toBe(true);
  });

  it('merges slots from both tenants in start order, in Stockholm offsets, one outcome per provider', async () => {
    const { body } = await availability({ filter: nextWeek(), first: 200 });
    expect(body.errors).toBeUndefined();
    const { edges, providerOutcomes } = body.data!.availability;
    const providerList = await providerNames();
    expect(providerOutcomes.map((o) => o.provider.name).sort()).toEqual(providerList.sort());
    expect(providerOutcomes.every((o) => o.status === 'OK')).toBe(true);
    const withSlots = new Set(edges.map((e) => e.node.provider.name));
    for (const name of ['Nordklinik', 'Västkustens Vårdcentraler'])
      expect(withSlots).toContain(name);
    const starts = edges.map((e) => Date.parse(e.node.start));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    for (const { node } of edges) {
      const offset = DateTime.fromISO(node.start, { zone: 'Europe/Stockholm' }).toFormat('ZZ');
      expect(node.start.endsWith(offset)).toBe(true);
    }
  });

  it('pages through the same merged list with keyset cursors', async () => {
    const filter = nextWeek();
    const whole = (await availability({ filter, first: 60 })).body.data!.availability.edges.map(
      (e) => e.node.id,
    );
    const first = (await availability({ filter, first: 25 })).body.data!.availability;
    const second = (await availability({ filter, first: 35, after: first.pageInfo.endCursor })).body
      .data!.availability;
    expect([...first.edges, ...second.edges].map((e) => e.node.id)).toEqual(whole);
  });

  it('answers within deadline + 0.5 s when one tenant hangs, with its outcome TIMEOUT and the other tenant’s slots', async () => {
    const admin = await fetch(`${system.urls['simulator-cliniq']}/_admin/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenants: { vastkusten: { latencyMs: deadlineMs + 3000 } } }),
    });
    expect(admin.ok).toBe(true);
    try {
      const { body, ms } = await availability({ filter: nextWeek(), first: 50 });
      expect(ms).toBeLessThan(deadlineMs + 500);
      const { edges, providerOutcomes } = body.data!.availability;
      const byName = Object.fromEntries(providerOutcomes.map((o) => [o.provider.name, o]));
      expect(byName['Västkustens Vårdcentraler']?.status).toBe('TIMEOUT');
      expect(byName.Nordklinik?.status).toBe('OK');
      expect(edges.length).toBeGreaterThan(0);
      expect(edges.some((e) => e.node.provider.name === 'Nordklinik')).toBe(true);
      expect(edges.every((e) => e.node.provider.name !== 'Västkustens Vårdcentraler')).toBe(true);
    } finally {
      await fetch(`${system.urls['simulator-cliniq']}/_admin/config`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenants: { vastkusten: { latencyMs: 0 } } }),
      });
    }
  });

  it('rejects an invalid window with a clear, typed error', async () => {
    const { from } = nextWeek();
    const { body } = await availability({ filter: { from, to: from } });
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(body.errors?.[0]?.message).toMatch(/filter\.to/);
  });

  it('writes readable, prefixed log lines for every service', () => {
    for (const { name } of allServices) {
      expect(logs.some((line) => line.startsWith(name))).toBe(true);
    }
  });

  it('shuts a service down cleanly on SIGTERM: drained and exited, not killed', async () => {
    const started = Date.now();
    await system.processes.scheduling!.stop();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(system.processes.scheduling!.child.signalCode).toBeNull();
    expect(system.processes.scheduling!.child.exitCode).toBe(0);
    expect(
      logs.some((line) => line.startsWith('scheduling') && line.includes('scheduling stopped')),
    ).toBe(true);
  });
});
