import type { Logger } from '@booking/server-kit';
import { Redis } from 'ioredis';
import {
  createLiveReservationIndex,
  type ReservationChange,
} from '../../engines/liveReservationIndex.js';

export interface LiveReservationsOptions {
  /** The ledger's live reservations starting at or after `from` (`ledger.liveReservations`). */
  load: (from: Date) => Promise<ReservationChange[]>;
  /** Redis to tell the other instances through; without it each instance learns only by resync. */
  redisUrl?: string | undefined;
  /** The pub/sub channel, prefixed like the cache's keys so that deployments sharing Redis do not mix. */
  channel: string;
  /** How often the whole set is read again from the ledger, the safety net for lost messages. */
  resyncMs: number;
  /**
   * How far back from now the set holds reservations; a search starting earlier asks the ledger.
   * Default: one day.
   */
  lookBackMs?: number;
  logger: Logger;
  now: () => number;
}

/**
 * The slots with a live reservation, in memory, so that a search does not query the ledger.
 *
 * - This instance's own ledger writes are applied at once (`record`, called by the ledger after
 *   each commit), then published on Redis for the other instances.
 * - Every `resyncMs`, and whenever the Redis subscription (re)connects, the whole set is read again
 *   from the ledger: a message Redis dropped, or one sent while this instance was starting or cut
 *   off, is corrected within one interval. Without Redis that interval is how late another
 *   instance's booking is hidden here.
 *
 * Only availability reads it. Booking never does: the ledger's unique index keeps one live
 * reservation per slot, whatever this set believes.
 */
export async function createLiveReservations(options: LiveReservationsOptions) {
  const { logger, now, channel } = options;
  const lookBackMs = options.lookBackMs ?? 24 * 3600_000;
  const index = createLiveReservationIndex();
  /** Searches starting before this are answered from the ledger (the set holds no older starts). */
  let coversFromMs = Number.POSITIVE_INFINITY;
  let resyncing: Promise<void> | null = null;
  let closed = false;

  async function resyncOnce(): Promise<void> {
    const mark = index.mark();
    const from = now() - lookBackMs;
    const live = await options.load(new Date(from));
    index.resynced(mark, live);
    coversFromMs = from;
  }
  /**
   * One resync at a time. One asked for while another runs starts after it: the running one's read
   * may be older than the reason for asking (a subscription that just came back).
   */
  function resync(): Promise<void> {
    const run: Promise<void> = (resyncing ?? Promise.resolve())
      .catch(() => {})
      .then(resyncOnce)
      .finally(() => {
        if (resyncing === run) resyncing = null;
      });
    resyncing = run;
    return run;
  }
  const resyncQuietly = () =>
    resync().catch((error: Error) => {
      logger.warn({ err: error.message }, 'live reservations resync failed; kept the last set');
    });

  let publisher: Redis | null = null;
  let subscriber: Redis | null = null;
  if (options.redisUrl) {
    const connection = () =>
      new Redis(options.redisUrl!, {
        lazyConnect: true,
        // A write never waits for Redis: the resync catches up with what was not sent.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
        retryStrategy: (attempt) => Math.min(attempt * 250, 5000),
      });
    publisher = connection();
    subscriber = connection();
    // Errors are the resync's to repair; the slot cache already logs Redis being away.
    publisher.on('error', () => {});
    subscriber.on('error', () => {});
    subscriber.on('message', (_channel: string, text: string) => {
      const change = parseChange(text);
      if (change) index.apply(change);
    });
    // Messages sent while the subscription was down are lost: read the ledger again.
    subscriber.on('ready', () => {
      subscriber!.subscribe(channel).then(resyncQuietly, (error: Error) => {
        logger.warn({ err: error.message }, 'live reservations subscription failed');
      });
    });
    await Promise.all([publisher.connect().catch(() => {}), subscriber.connect().catch(() => {})]);
  }
  await resync();
  const timer = setInterval(() => void resyncQuietly(), options.resyncMs);
  timer.unref();

  return {
    /**
     * Which slots have a live reservation starting in [fromMs, toMs), as this instance knows them,
     * and the set's version (it moves on with every change); null when the window starts before what the set holds (the caller asks the ledger).
     */
    reservedIn(fromMs: number, toMs: number) {
      if (fromMs < coversFromMs) return null;
      return {
        has: (slot: string) => index.takenIn(slot, fromMs, toMs),
        version: index.version,
      };
    },

    /** A change this instance committed: applied here, then told to the other instances. */
    async record(change: ReservationChange): Promise<void> {
      index.apply(change);
      if (publisher?.status !== 'ready') return;
      await publisher.publish(channel, JSON.stringify(change)).catch((error: Error) => {
        logger.warn({ err: error.message }, 'live reservation change not published');
      });
    },

    resync,

    /** Reservations known (for tests and metrics). */
    get size() {
      return index.size;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      subscriber?.disconnect();
      publisher?.disconnect();
      await resyncing?.catch(() => {});
    },
  };
}

/** A published change, or null for anything else on the channel. */
function parseChange(text: string): ReservationChange | null {
  try {
    const value = JSON.parse(text) as Partial<ReservationChange>;
    if (
      typeof value.id === 'string' &&
      typeof value.slot === 'string' &&
      typeof value.startMs === 'number' &&
      typeof value.live === 'boolean' &&
      typeof value.version === 'number'
    ) {
      return {
        id: value.id,
        slot: value.slot,
        startMs: value.startMs,
        live: value.live,
        version: value.version,
      };
    }
  } catch {
    // Not one of ours.
  }
  return null;
}

export type LiveReservations = Awaited<ReturnType<typeof createLiveReservations>>;
