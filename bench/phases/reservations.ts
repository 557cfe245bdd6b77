/**
 * Reservations: distinct free slots booked at once, first directly on the clinic systems'
 * simulators (their own APIs, no platform), then through the gateway, at the same concurrency,
 * and the ledger checked for double bookings.
 */
import { randomBytes } from 'node:crypto';
import type { RunningSystem } from '@booking/tools';
import { collectApiSlots, log, reserveSlot } from '../client.js';
import { countConfirmed } from '../database.js';
import { connectDirectBookings } from '../directBookings.js';
import { type LoadResult, round, runLoad } from '../load.js';
import { cpuPerUnit, stats, tally } from '../measure.js';

/** Slots booked each way. */
const wanted = 600;
const concurrency = 32;

export async function measureReservations(system: RunningSystem, ledgerUrl: string) {
  log('reservations: collecting free API-bookable slots');
  const gatewayUrl = system.graphqlUrl;
  const slots = await collectApiSlots(gatewayUrl, 2 * wanted, 27);
  // Every other slot each way: both sides get the same mix of systems, clinics and days.
  const directSlots = slots.filter((_, i) => i % 2 === 0);
  const gatewaySlots = slots.filter((_, i) => i % 2 === 1);

  log(`reservations: ${directSlots.length} slots booked directly on the simulators`);
  const direct = connectDirectBookings(system);
  let directRun: LoadResult<string> | undefined;
  const directCpuMs = await cpuPerUnit(
    system.processes,
    () => directRun?.results.length ?? 0,
    async () => {
      directRun = await runLoad({
        concurrency,
        maxRequests: directSlots.length,
        maxDurationMs: 45_000,
        task: (i) => direct.book(directSlots[i]!.id),
      }).finally(() => direct.close());
    },
  );
  if (!directRun) throw new Error('the direct bookings did not run');
  const directOutcomes = tally(directRun.results);
  const directBooked = directOutcomes.BOOKED ?? 0;

  log(`reservations: ${gatewaySlots.length} slots reserved through the gateway`);
  const runId = randomBytes(4).toString('hex');
  let gatewayRun: LoadResult<string> | undefined;
  const cpuMsPerBooking = await cpuPerUnit(
    system.processes,
    () => gatewayRun?.results.length ?? 0,
    async () => {
      gatewayRun = await runLoad({
        concurrency,
        maxRequests: gatewaySlots.length,
        maxDurationMs: 45_000,
        task: async (i) => {
          const result = await reserveSlot(gatewayUrl, gatewaySlots[i]!.id, `bench-${runId}-${i}`);
          return result.reservation?.status ?? result.__typename;
        },
      });
    },
  );
  if (!gatewayRun) throw new Error('the reservations did not run');
  const outcomes = tally(gatewayRun.results);
  const confirmed = outcomes.CONFIRMED ?? 0;
  const confirmedPerSecond = round((confirmed * 1000) / gatewayRun.durationMs);
  const directPerSecond = round((directBooked * 1000) / directRun.durationMs);
  const latency = stats(gatewayRun.latenciesMs);
  const directLatency = stats(directRun.latenciesMs);
  return {
    confirmedPerSecond,
    directPerSecond,
    /** Target ≥ 0.6. */
    gatewayToDirect: directPerSecond > 0 ? round(confirmedPerSecond / directPerSecond, 2) : null,
    /** Target ≤ 50 ms. */
    p99OverDirectMs: round(latency.p99Ms - directLatency.p99Ms),
    attempted: gatewayRun.latenciesMs.length,
    ...(await countConfirmed(ledgerUrl)),
    confirmed,
    slotsFound: slots.length,
    slotsPerProvider: tally(gatewaySlots.map((s) => s.provider.name)),
    outcomes,
    errors: gatewayRun.errors,
    errorSamples: gatewayRun.errorSamples,
    concurrency,
    durationSeconds: round(gatewayRun.durationMs / 1000),
    latency,
    /** CPU per booking made, by process (ms): where a booking's cost is. */
    cpuMsPerBooking,
    direct: {
      booked: directBooked,
      attempted: directRun.latenciesMs.length,
      outcomes: directOutcomes,
      errors: directRun.errors,
      errorSamples: directRun.errorSamples,
      durationSeconds: round(directRun.durationMs / 1000),
      latency: directLatency,
      cpuMsPerBooking: directCpuMs,
    },
  };
}
