/**
 * A mixed soak: availability searches and book-then-cancel cycles through the gateway while one
 * provider fails and recovers every minute, with every process's resident memory sampled and its
 * V8 heap after each major collection recorded (`heapProbe.mjs`). After a warm-up, the heap after
 * collection should stay flat: a leak shows as growth over the rest of the run. RSS is reported
 * too; it also rises while V8 widens the room it leaves between collections (bench/README.md).
 */
import { randomBytes } from 'node:crypto';
import type { RunningSystem } from '@booking/tools';
import {
  admin,
  availability,
  cancelReservation,
  collectApiSlots,
  log,
  reserveSlot,
  week,
} from '../client.js';
import { type LoadResult, round, runLoad } from '../load.js';
import { heapFigures, readHeapProbe, rssMb, stats, tally } from '../measure.js';

const concurrency = 4;
const sampleEverySeconds = 10;
/** The failing provider: its simulator is `down` (every request 503) for one minute in two. */
const failingSimulator = 'simulator-fhir';
const failEverySeconds = 60;

/** The processes whose memory must stay flat: the simulators store bookings, and grow by design. */
const isPlatformProcess = (name: string) => !name.startsWith('simulator-');

/**
 * A mixed load through the gateway for `seconds`. `heapDir` is where every process's
 * `heapProbe.mjs` writes its heap after each major collection (runBench.ts loads the probe).
 */
export async function soak(system: RunningSystem, seconds: number, heapDir: string) {
  const warmUpSeconds = Math.min(120, Math.round(seconds / 5));
  log(
    `soak: ${seconds} s (warm-up ${warmUpSeconds} s), ${failingSimulator} down every other minute`,
  );
  const gatewayUrl = system.graphqlUrl;
  const slots = await collectApiSlots(gatewayUrl, 100, 27);
  if (slots.length === 0) throw new Error('soak: no free API-bookable slots');
  const runId = randomBytes(4).toString('hex');
  const processes = Object.entries(system.processes).map(([name, p]) => ({
    name,
    pid: p.child.pid!,
  }));
  const samples: { atSeconds: number; rssMb: Record<string, number> }[] = [];
  const started = Date.now();
  const sample = async () => {
    const rss: Record<string, number> = {};
    for (const { name, pid } of processes) rss[name] = await rssMb(pid);
    samples.push({ atSeconds: round((Date.now() - started) / 1000), rssMb: rss });
  };
  await sample();
  const sampler = setInterval(() => void sample(), sampleEverySeconds * 1000);
  let down = false;
  const flips: number[] = [];
  const failer = setInterval(() => {
    down = !down;
    flips.push(round((Date.now() - started) / 1000));
    void admin(system.urls[failingSimulator]!, { down }).catch((error: Error) =>
      log(`soak: setting ${failingSimulator} down=${down}: ${error.message}`),
    );
  }, failEverySeconds * 1000);

  /** Every fourth request books a slot and cancels it again, so the slot is free for the next. */
  const bookAndCancel = async (i: number) => {
    const slot = slots[i % slots.length]!;
    const booked = await reserveSlot(gatewayUrl, slot.id, `soak-${runId}-${i}`);
    if (booked.reservation?.status !== 'CONFIRMED') return `reserve:${booked.__typename}`;
    const cancelled = await cancelReservation(
      gatewayUrl,
      booked.reservation.id,
      `soak-${runId}-${i}-cancel`,
    );
    return `cancel:${cancelled.reservation?.status ?? cancelled.__typename}`;
  };
  const query = { filter: week(7), first: 50 };
  let load: LoadResult<string>;
  try {
    load = await runLoad({
      concurrency,
      maxRequests: 10_000_000,
      maxDurationMs: seconds * 1000,
      task: async (i) =>
        i % 4 === 3
          ? bookAndCancel(i)
          : `availability:${(await availability(gatewayUrl, query)).providerOutcomes.length}`,
    });
  } finally {
    clearInterval(sampler);
    clearInterval(failer);
    await admin(system.urls[failingSimulator]!, { down: false });
  }
  await sample();

  const afterWarmUp = samples.filter((s) => s.atSeconds >= warmUpSeconds);
  const baseline = afterWarmUp[0] ?? samples[0]!;
  const last = samples.at(-1)!;
  // RSS saws up and down with garbage collection; a leak shows as troughs that rise. The trough
  // growth compares the lowest sample of the last quarter after warm-up with the first quarter's.
  const quarter = Math.max(1, Math.floor(afterWarmUp.length / 4));
  const perProcess = Object.fromEntries(
    processes.map(({ name }) => {
      const values = afterWarmUp.map((s) => s.rssMb[name]!);
      const startMb = baseline.rssMb[name]!;
      const maxMb = Math.max(...values);
      const earlyTroughMb = Math.min(...values.slice(0, quarter));
      const lateTroughMb = Math.min(...values.slice(-quarter));
      return [
        name,
        {
          startMb: samples[0]!.rssMb[name]!,
          afterWarmUpMb: startMb,
          maxMb,
          endMb: last.rssMb[name]!,
          growthPercent: round(((maxMb - startMb) / startMb) * 100),
          earlyTroughMb,
          lateTroughMb,
          troughGrowthPercent: round(((lateTroughMb - earlyTroughMb) / earlyTroughMb) * 100),
        },
      ];
    }),
  );
  // The V8 heap after each major collection, the live data a leak makes grow. RSS also holds the
  // room V8 keeps free for allocations until its next collection, which it widens under steady load
  // (up to several times the live heap on a host with much memory): RSS can rise for minutes with
  // no leak at all. The median of the collections in the first quarter after warm-up against the
  // last quarter's.
  const ended = Date.now();
  const heap = Object.fromEntries(
    await Promise.all(
      processes.map(async ({ name, pid }) => [
        name,
        heapFigures(
          await readHeapProbe(heapDir, pid),
          started,
          started + warmUpSeconds * 1000,
          ended,
        ),
      ]),
    ),
  ) as Record<string, ReturnType<typeof heapFigures>>;
  const platformHeaps = Object.entries(heap).filter(([name]) => isPlatformProcess(name));
  const heapGrowths = platformHeaps.flatMap(([, h]) =>
    h.growthPercent === null ? [] : [h.growthPercent],
  );
  return {
    seconds,
    warmUpSeconds,
    concurrency,
    failingSimulator,
    downFlipsAtSeconds: flips,
    requests: load.latenciesMs.length,
    errors: load.errors,
    errorSamples: load.errorSamples,
    outcomes: tally(load.results.map((r) => (r.startsWith('availability') ? 'availability' : r))),
    latency: stats(load.latenciesMs),
    rss: perProcess,
    heapAfterGc: heap,
    /** The largest heap growth of a platform process; `null` when none had a major collection. */
    maxPlatformHeapGrowthPercent: heapGrowths.length ? Math.max(...heapGrowths) : null,
    /**
     * Platform processes with no major collection after warm-up: their old generation never
     * filled the limit V8 set at the last one, so it cannot have grown much; their RSS shows it.
     */
    platformWithoutMajorGc: platformHeaps
      .filter(([, h]) => h.growthPercent === null)
      .map(([name]) => name),
    maxGrowthPercent: Math.max(...Object.values(perProcess).map((p) => p.growthPercent)),
    maxTroughGrowthPercent: Math.max(
      ...Object.values(perProcess).map((p) => p.troughGrowthPercent),
    ),
    samples,
  };
}
