import type { Logger } from '@booking/server-kit';
import { type Span, trace } from '@opentelemetry/api';
import { createCoalescer } from '../../engines/createCoalescer.js';
import {
  type CachePolicy,
  type CellAddress,
  dayAddress,
  daysOverlapping,
  daysWindow,
  freshnessOf,
  inSlotOrder,
  localDayOf,
  variantOf,
} from '../../engines/slotCells.js';
import type { CacheLookup, SchedulingMetrics } from '../../schedulingMetrics.js';
import type { DirectoryEntry } from '../createProviderDirectory.js';
import type { ProviderAccess, ProviderFailure } from '../providers/createProviderAccess.js';
import { CallErrorCode } from '../providers/providerErrors.js';
import { createRecentSlots } from './recentSlots.js';
import type { CachedCell, CachedSlot, CellWrite, SlotCacheStore } from './slotCacheStore.js';

export interface SlotLoaderOptions {
  store: SlotCacheStore;
  providers: ProviderAccess;
  policy: CachePolicy;
  metrics: SchedulingMetrics;
  logger: Logger;
  now: () => number;
}

/** What one search asks of one provider connection. */
export interface ConnectionSearch {
  entry: DirectoryEntry;
  /** Clinics to ask about; null: every clinic of the connection. */
  clinicIds: readonly string[] | null;
  treatmentId: string | null;
  practitionerId: string | null;
  fromMs: number;
  toMs: number;
}

/** How one connection answered one search (`ProviderOutcome` in the public API). */
export interface ConnectionOutcome {
  status: 'OK' | 'TIMEOUT' | 'ERROR' | 'CIRCUIT_OPEN' | 'SERVED_FROM_CACHE' | 'SKIPPED';
  latencyMs: number | null;
  message: string | null;
  /** Age of the cached answer served (ms); 0 when the provider answered this search; null without slots. */
  ageMs: number | null;
}

export interface ConnectionAnswer {
  /**
   * The connection's slots on the days the window touches (the caller trims to the window), one
   * list per cell, each ordered by start then id as stored (the caller checks: older stores may not be).
   */
  runs: (readonly CachedSlot[])[];
  outcome: ConnectionOutcome;
}

/** A provider search that failed, thrown to every search sharing it. */
class SearchFailed extends Error {
  constructor(readonly failure: ProviderFailure) {
    super(failure.message);
  }
}

interface Cell extends CellAddress {
  clinicId: string;
  localDay: string;
}

/** Recent `cellsOf` answers: warm searches ask the same cells again and again. */
const recentCells = new Map<string, readonly Cell[]>();

/** Every cell of `clinics` × `days` for one filter (never changed by callers). */
function cellsOf(
  connectionId: string,
  clinics: readonly string[],
  days: readonly string[],
  variant: string,
): readonly Cell[] {
  const key = `${connectionId}\u0000${variant}\u0000${clinics.join(',')}\u0000${days.join(',')}`;
  const known = recentCells.get(key);
  if (known) return known;
  const cells = makeCells(connectionId, clinics, days, variant);
  if (recentCells.size >= 1000) recentCells.clear();
  recentCells.set(key, cells);
  return cells;
}

function makeCells(
  connectionId: string,
  clinics: readonly string[],
  days: readonly string[],
  variant: string,
): Cell[] {
  return clinics.flatMap((clinicId) =>
    days.map((localDay) => ({
      clinicId,
      localDay,
      day: dayAddress(connectionId, clinicId, localDay),
      variant,
    })),
  );
}

const tracer = trace.getTracer('booking.scheduling');

/**
 * Finds one connection's slots, from the cache where it can and from the provider where it must.
 * Answers are cached per (connection, clinic, local day, treatment, practitioner): a fresh cell is
 * served as it is; a stale one is served and fetched again in the background; missing ones are
 * fetched in one provider call covering them all. When that call fails and every missing cell has
 * an older answer still kept, that answer is served as `SERVED_FROM_CACHE`, with its age. Identical
 * concurrent fetches share one provider call.
 */
export function createSlotLoader(options: SlotLoaderOptions) {
  const { store, providers, policy, metrics, logger, now } = options;
  const coalescer = createCoalescer();
  // A listing counts for booking as long as a search would be served it without a provider call.
  const recent = createRecentSlots({ maxAgeMs: policy.freshMs + policy.staleMs, now });

  async function readCells(cells: readonly Cell[]): Promise<(CachedCell | null)[]> {
    try {
      return await store.read(cells);
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'slot cache read failed');
      return cells.map(() => null);
    }
  }

  /** Asks the provider for every cell of `clinics` × `days`, stores them, returns them by day. */
  function fetchCells(
    search: ConnectionSearch,
    clinics: readonly string[],
    days: readonly string[],
  ): Promise<Map<string, CachedSlot[]>> {
    const { entry, treatmentId, practitionerId } = search;
    const connectionId = entry.connection.id;
    const window = daysWindow(days);
    const everyClinic = search.clinicIds === null && clinics.length === entry.clinics.size;
    const clinicIds = everyClinic ? null : [...clinics].sort();
    const variant = variantOf(treatmentId, practitionerId);
    const key = [connectionId, variant, clinicIds?.join(',') ?? '*', window.fromMs, window.toMs];
    return coalescer.run(key.join('\u0000'), async () => {
      const cells = cellsOf(connectionId, clinics, days, variant);
      const generations = await store.generations(cells.map((cell) => cell.day)).catch(() => null);
      const answer = await providers.findSlots(entry, {
        clinicIds,
        treatmentId,
        practitionerId,
        from: new Date(window.fromMs).toISOString(),
        to: new Date(window.toMs).toISOString(),
      });
      if (answer.kind !== 'answered') throw new SearchFailed(answer.failure);
      const byDay = new Map<string, CachedSlot[]>(cells.map((cell) => [cell.day, []]));
      for (const slot of answer.data) {
        const startMs = Date.parse(slot.start);
        if (Number.isNaN(startMs)) continue;
        byDay.get(dayAddress(connectionId, slot.clinicId, localDayOf(startMs)))?.push(slot);
      }
      // Stored in merge order, so that no search sorts them again.
      for (const slots of byDay.values()) inSlotOrder(slots);
      const fetchedAt = now();
      recent.remember(connectionId, answer.data, fetchedAt);
      if (generations) {
        const writes: CellWrite[] = cells.map((cell, index) => ({
          cell,
          value: { fetchedAt, slots: byDay.get(cell.day) ?? [] },
          generation: generations[index]!,
        }));
        await store.write(writes).catch((error: Error) => {
          logger.warn({ err: error.message }, 'slot cache write failed');
        });
      }
      return byDay;
    });
  }

  function failureOutcome(error: unknown, started: number): ConnectionOutcome {
    const known = error instanceof SearchFailed ? error.failure : null;
    const status =
      known?.code === CallErrorCode.CircuitOpen
        ? 'CIRCUIT_OPEN'
        : known?.timedOut
          ? 'TIMEOUT'
          : 'ERROR';
    const message =
      status === 'TIMEOUT'
        ? 'no answer within the deadline'
        : known
          ? `${known.code}: ${known.message}`
          : 'the provider call failed';
    return { status, latencyMs: now() - started, message, ageMs: null };
  }

  const unique = (values: readonly string[]) => [...new Set(values)];

  async function load(search: ConnectionSearch, span: Span): Promise<ConnectionAnswer> {
    const lookedUp = (connectionId: string, result: CacheLookup) => {
      metrics.cacheLookup(connectionId, result);
      span.setAttribute('booking.cache.result', result);
    };
    const started = now();
    const { entry } = search;
    const connectionId = entry.connection.id;
    const variant = variantOf(search.treatmentId, search.practitionerId);
    const clinics = search.clinicIds ?? [...entry.clinics.keys()];
    const days = daysOverlapping(search.fromMs, search.toMs);
    const cells = cellsOf(connectionId, clinics, days, variant);
    const cached = await readCells(cells);
    const ages = cached.map((cell) => (cell ? now() - cell.fetchedAt : Number.POSITIVE_INFINITY));
    const freshness = ages.map((age) => freshnessOf(age, policy));
    const missing = cells.filter((_, i) => freshness[i] !== 'fresh' && freshness[i] !== 'stale');
    const oldestAge = (indexes: number[]) =>
      indexes.length === 0 ? null : Math.max(...indexes.map((i) => ages[i]!));
    const cachedSlots = (indexes: number[]) => indexes.map((i) => cached[i]?.slots ?? []);
    const all = cells.map((_, i) => i);

    if (missing.length === 0) {
      const stale = cells.filter((_, i) => freshness[i] === 'stale');
      lookedUp(connectionId, stale.length > 0 ? 'stale' : 'hit');
      if (stale.length > 0) {
        fetchCells(
          search,
          unique(stale.map((cell) => cell.clinicId)),
          unique(stale.map((cell) => cell.localDay)),
        ).catch((error: Error) => {
          logger.debug({ connection: connectionId, err: error.message }, 'revalidation failed');
        });
      }
      return {
        runs: cachedSlots(all),
        outcome: {
          status: 'OK',
          latencyMs: now() - started,
          message: null,
          ageMs: oldestAge(all),
        },
      };
    }

    lookedUp(connectionId, 'miss');
    try {
      const fetched = await fetchCells(
        search,
        unique(missing.map((cell) => cell.clinicId)),
        unique(missing.map((cell) => cell.localDay)),
      );
      const kept = all.filter((i) => !fetched.has(cells[i]!.day));
      return {
        runs: [...cachedSlots(kept), ...fetchedSlots(cells, fetched)],
        outcome: {
          status: 'OK',
          latencyMs: now() - started,
          message: null,
          ageMs: oldestAge(kept) ?? 0,
        },
      };
    } catch (error) {
      const outcome = failureOutcome(error, started);
      logger.warn(
        { connection: connectionId, status: outcome.status, err: (error as Error).message },
        'provider search failed',
      );
      if (freshness.some((f) => f === 'expired')) return { runs: [], outcome };
      metrics.servedOnFailure(connectionId);
      const ageMs = oldestAge(all)!;
      return {
        runs: cachedSlots(all),
        outcome: {
          status: 'SERVED_FROM_CACHE',
          latencyMs: outcome.latencyMs,
          message: `${outcome.message}; serving the provider's answer from ${Math.round(ageMs / 1000)} s ago`,
          ageMs,
        },
      };
    }
  }

  return {
    /**
     * One connection's slots for a search, traced as a `slots.load` span (connection, cache
     * result, outcome, number of slots).
     */
    load(search: ConnectionSearch): Promise<ConnectionAnswer> {
      const attributes = { 'booking.connection': search.entry.connection.id };
      return tracer.startActiveSpan('slots.load', { attributes }, async (span) => {
        try {
          const answer = await load(search, span);
          span.setAttributes({
            'booking.outcome': answer.outcome.status,
            'booking.slots': answer.runs.reduce((sum, run) => sum + run.length, 0),
          });
          return answer;
        } finally {
          span.end();
        }
      });
    },

    /**
     * A slot this instance's provider calls listed free while a search would still be served that
     * listing (`freshMs` + `staleMs`), or null: a booking of it needs no look-up at the provider
     * (see `recentSlots.ts`).
     */
    freshSlot: (connectionId: string, slotId: string) => recent.find(connectionId, slotId),

    /** Drops the day a slot is on (every filter), at once and for every instance sharing the store. */
    async invalidateSlot(connectionId: string, clinicId: string, startMs: number): Promise<void> {
      try {
        await store.invalidate([dayAddress(connectionId, clinicId, localDayOf(startMs))]);
        metrics.invalidated(1);
      } catch (error) {
        logger.warn({ err: (error as Error).message }, 'slot cache invalidation failed');
      }
    },
  };
}

/** The fetched slots of the requested cells (a fetch may cover more days than were asked). */
function fetchedSlots(cells: readonly Cell[], fetched: Map<string, CachedSlot[]>): CachedSlot[][] {
  const wanted = new Set(cells.map((cell) => cell.day));
  return [...fetched].flatMap(([day, slots]) => (wanted.has(day) ? [slots] : []));
}

export type SlotLoader = ReturnType<typeof createSlotLoader>;
