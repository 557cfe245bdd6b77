/** Reservations: distinct free slots booked at once, and the ledger checked for double bookings. */
import { randomBytes } from 'node:crypto';
import type { RunningSystem } from '@booking/tools';
import { collectApiSlots, log, reserveSlot } from '../client.js';
import { countConfirmed } from '../database.js';
import { round, runLoad } from '../load.js';
import { stats, tally } from '../measure.js';

const wanted = 600;
const concurrency = 32;

export async function measureReservations(system: RunningSystem, ledgerUrl: string) {
  log('reservations: collecting free API-bookable slots');
  const gatewayUrl = system.graphqlUrl;
  const slots = await collectApiSlots(gatewayUrl, wanted, 27);
  log(`reservations: ${slots.length} slots, reserving`);
  const runId = randomBytes(4).toString('hex');
  const reservations = await runLoad({
    concurrency,
    maxRequests: slots.length,
    maxDurationMs: 45_000,
    task: async (i) => {
      const result = await reserveSlot(gatewayUrl, slots[i]!.id, `bench-${runId}-${i}`);
      return result.reservation?.status ?? result.__typename;
    },
  });
  const outcomes = tally(reservations.results);
  const confirmed = outcomes.CONFIRMED ?? 0;
  return {
    confirmedPerSecond: round((confirmed * 1000) / reservations.durationMs),
    attempted: reservations.latenciesMs.length,
    ...(await countConfirmed(ledgerUrl)),
    confirmed,
    slotsFound: slots.length,
    slotsPerProvider: tally(slots.map((s) => s.provider.name)),
    outcomes,
    errors: reservations.errors,
    errorSamples: reservations.errorSamples,
    concurrency,
    durationSeconds: round(reservations.durationMs / 1000),
    latency: stats(reservations.latenciesMs),
  };
}
