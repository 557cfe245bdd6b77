import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@booking/server-kit';
import { describe, expect, it } from 'vitest';
import type { DirectoryEntry } from '../src/access/createProviderDirectory.js';
import { createProviderAccess } from '../src/access/providers/createProviderAccess.js';
import { createProviderGuard } from '../src/access/providers/createProviderGuard.js';
import { ProviderCallError } from '../src/access/providers/createProviderSubgraphClient.js';
import { createMemorySlotCacheStore } from '../src/access/slotCache/createMemorySlotCacheStore.js';
import { createSlotLoader } from '../src/access/slotCache/createSlotLoader.js';
import type { CachedSlot } from '../src/access/slotCache/slotCacheStore.js';
import type { CachePolicy } from '../src/engines/slotCells.js';
import { createSchedulingMetrics } from '../src/schedulingMetrics.js';

const logger = createLogger({ service: 'test', level: 'silent' });
const day = (n: number) => Date.parse(`2026-11-${String(n).padStart(2, '0')}T00:00:00+01:00`);
/** What one provider call asked for: clinics, and the days from `fromDay` up to `toDay`. */
const asked = (clinicIds: string[], fromDay: number, toDay: number) => ({
  clinicIds,
  from: new Date(day(fromDay)).toISOString(),
  to: new Date(day(toDay)).toISOString(),
});

/** A provider with two clinics and a slot at 09:00 and 14:00 each day, counting its calls. */
function fakeProvider() {
  const state = {
    calls: [] as { clinicIds: string[] | null; from: string; to: string }[],
    failWith: null as ProviderCallError | null,
    delayMs: 0,
    booked: new Set<string>(),
  };
  const slotsBetween = (fromMs: number, toMs: number, clinics: string[]): CachedSlot[] => {
    const slots: CachedSlot[] = [];
    for (let t = fromMs; t < toMs; t += 24 * 3600_000) {
      for (const clinicId of clinics) {
        for (const hour of [9, 14]) {
          const start = new Date(t + hour * 3600_000).toISOString();
          const id = `${clinicId}-${start}`;
          if (state.booked.has(id)) continue;
          slots.push({
            id,
            clinicId,
            start,
            end: new Date(t + hour * 3600_000 + 1800_000).toISOString(),
            treatmentIds: ['t1'],
            practitioner: null,
            bookingUrl: null,
            capacity: null,
          });
        }
      }
    }
    return slots;
  };
  const entry = {
    connection: { id: 'conn', name: 'Conn' },
    clinics: new Map([
      ['A', {}],
      ['B', {}],
    ]),
    client: {
      name: 'fake',
      async execute(_document: unknown, variables: { input: Record<string, never> }) {
        const input = variables.input as unknown as {
          clinicIds: string[] | null;
          from: string;
          to: string;
        };
        state.calls.push({ clinicIds: input.clinicIds, from: input.from, to: input.to });
        // The answer is the state when the request arrived, however long it takes to come back.
        const clinics = input.clinicIds ?? ['A', 'B'];
        const answer = slotsBetween(Date.parse(input.from), Date.parse(input.to), clinics);
        const failure = state.failWith;
        if (state.delayMs) await sleep(state.delayMs);
        if (failure) throw failure;
        return { contractSlots: answer };
      },
      close: async () => {},
    },
  } as unknown as DirectoryEntry;
  return { state, entry };
}

function setUp(policy: Partial<CachePolicy> = {}) {
  let clock = day(20);
  const provider = fakeProvider();
  const store = createMemorySlotCacheStore({ retentionMs: 3600_000, now: () => clock });
  const loader = createSlotLoader({
    store,
    providers: createProviderAccess({
      guard: createProviderGuard({ logger, deadlineMs: () => 1000, maxAttempts: 1 }),
    }),
    policy: { freshMs: 10_000, staleMs: 20_000, fallbackMs: 600_000, ...policy },
    metrics: createSchedulingMetrics(),
    logger,
    now: () => clock,
  });
  const search = (fromDay = 23, toDay = 25, clinicIds: string[] | null = null) =>
    loader.load({
      entry: provider.entry,
      clinicIds,
      treatmentId: null,
      practitionerId: null,
      fromMs: day(fromDay),
      toMs: day(toDay),
    });
  return {
    provider,
    loader,
    search,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('createSlotLoader', () => {
  it('asks the provider once for a window, then answers the same and narrower windows from the cache', async () => {
    const { provider, search, advance } = setUp();
    const first = await search(23, 25);
    expect(first.outcome).toMatchObject({ status: 'OK', ageMs: 0 });
    expect(first.runs.flat()).toHaveLength(8);
    expect(provider.state.calls).toHaveLength(1);
    advance(3000);
    const again = await search(23, 25);
    expect(again.outcome).toMatchObject({ status: 'OK', ageMs: 3000 });
    expect(
      again.runs
        .flat()
        .map((s) => s.id)
        .sort(),
    ).toEqual(
      first.runs
        .flat()
        .map((s) => s.id)
        .sort(),
    );
    const narrower = await search(24, 25, ['B']);
    expect(narrower.runs.flat()).toHaveLength(2);
    expect(provider.state.calls).toHaveLength(1);
  });

  it('asks only for the days and clinics it does not have', async () => {
    const { provider, search } = setUp();
    await search(23, 25, ['A']);
    const wider = await search(23, 27, ['A']);
    expect(wider.runs.flat()).toHaveLength(8);
    expect(provider.state.calls[1]).toMatchObject(asked(['A'], 25, 27));
  });

  it('shares one provider call among identical concurrent searches', async () => {
    const { provider, search } = setUp();
    provider.state.delayMs = 30;
    const answers = await Promise.all([search(), search(), search(), search()]);
    expect(provider.state.calls).toHaveLength(1);
    for (const answer of answers) expect(answer.runs.flat()).toHaveLength(8);
  });

  it('serves a stale answer at once and refreshes it in the background', async () => {
    const { provider, search, advance } = setUp();
    await search();
    provider.state.booked.add(`A-${new Date(day(23) + 9 * 3600_000).toISOString()}`);
    advance(15_000);
    const stale = await search();
    expect(stale.outcome.ageMs).toBe(15_000);
    expect(stale.runs.flat()).toHaveLength(8);
    await sleep(10);
    expect(provider.state.calls).toHaveLength(2);
    const refreshed = await search();
    expect(refreshed.outcome.ageMs).toBe(0);
    expect(refreshed.runs.flat()).toHaveLength(7);
  });

  it('serves the last answer, with its age, when the provider fails; not once it is too old', async () => {
    const { provider, search, advance } = setUp();
    await search();
    advance(60_000);
    provider.state.failWith = new ProviderCallError('PROVIDER_TIMEOUT', 'slow');
    const served = await search();
    expect(served.outcome).toMatchObject({ status: 'SERVED_FROM_CACHE', ageMs: 60_000 });
    expect(served.outcome.message).toMatch(/from 60 s ago/);
    expect(served.runs.flat()).toHaveLength(8);
    advance(600_000);
    const gone = await search();
    expect(gone.outcome).toMatchObject({ status: 'TIMEOUT', ageMs: null });
    expect(gone.runs.flat()).toHaveLength(0);
  });

  it('does not serve part of a window from the cache when the provider fails for the rest', async () => {
    const { provider, search } = setUp();
    await search(23, 24);
    provider.state.failWith = new ProviderCallError('CIRCUIT_OPEN', 'skipped');
    const answer = await search(23, 26);
    expect(answer.outcome.status).toBe('CIRCUIT_OPEN');
    expect(answer.runs.flat()).toHaveLength(0);
  });

  it('drops a day at once when the platform books or releases a slot on it', async () => {
    const { provider, search, loader } = setUp();
    await search();
    const slotStart = day(24) + 14 * 3600_000;
    provider.state.booked.add(`B-${new Date(slotStart).toISOString()}`);
    await loader.invalidateSlot('conn', 'B', slotStart);
    const after = await search();
    expect(after.runs.flat()).toHaveLength(7);
    // Only clinic B's 24th was asked again.
    expect(provider.state.calls[1]).toMatchObject(asked(['B'], 24, 25));
  });

  it('never stores an answer that was in flight while its day was invalidated', async () => {
    const { provider, search, loader } = setUp();
    provider.state.delayMs = 50;
    const inFlight = search();
    await sleep(10);
    // The platform books a slot while the provider's (older) answer is on its way.
    const slotStart = day(23) + 9 * 3600_000;
    provider.state.booked.add(`A-${new Date(slotStart).toISOString()}`);
    await loader.invalidateSlot('conn', 'A', slotStart);
    expect((await inFlight).runs.flat()).toHaveLength(8);
    provider.state.delayMs = 0;
    const next = await search();
    expect(next.runs.flat()).toHaveLength(7);
    expect(next.outcome.ageMs).toBe(0);
  });
});
