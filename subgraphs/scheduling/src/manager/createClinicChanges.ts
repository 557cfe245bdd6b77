import { randomUUID } from 'node:crypto';
import type { DirectoryEntry, ProviderDirectory } from '../access/createProviderDirectory.js';
import type { ReservationRecord } from '../access/ledger/createLedger.js';
import type { ProviderAccess, ProviderChange } from '../access/providers/createProviderAccess.js';
import {
  type ClinicChangeApplierOptions,
  createClinicChangeApplier,
  type ObservedChange as Observed,
} from './applyClinicChange.js';

export interface ClinicChangesOptions extends ClinicChangeApplierOptions {
  directory: Pick<ProviderDirectory, 'list' | 'get'>;
  providers: Pick<ProviderAccess, 'changes' | 'findBooking'>;
  /** How often the change feeds of connections with `CHANGES` are read. */
  feedIntervalMs: number;
  /**
   * How long a confirmed reservation goes without a look-up at its provider (connections without
   * `CHANGES`, whose changes are found only this way).
   */
  sweepIntervalMs: number;
  /** The same for connections with `CHANGES`: a backstop for a push or poll that was lost. */
  sweepBackstopMs: number;
  /** Most look-ups one sweep round makes (every second). Default: 10. */
  sweepBatch?: number;
  /** How long after its start a booking may still change (a no-show is marked after). Default: 1 day. */
  changesUntilMs?: number;
}

/**
 * The ledger follows the clinic: what changed in a provider's own system (a booking cancelled,
 * moved or marked no-show there; a slot opened or closed) becomes a reservation transition with
 * its source, or a dropped cache day. Two ways in:
 * - the change feed (`contractChanges`) of each connection with `CHANGES`, read every
 *   `feedIntervalMs` by one instance at a time (a lease in the ledger), from the position the
 *   ledger keeps, so a restart misses nothing (a page it applied may be read again);
 * - the sweep: every confirmed reservation is looked up at its provider (`contractBooking`) once
 *   per `sweepIntervalMs` (`sweepBackstopMs` where a feed exists), so systems that cannot push or
 *   list changes are followed too, and a lost push is found in the end.
 * Every change is recorded once per id with what came of it; applying one twice changes nothing
 * (each transition is conditional on the state it leaves), and one older than the last applied
 * is set aside (`engines/clinicChangeRules.ts`).
 */
export function createClinicChanges(options: ClinicChangesOptions) {
  const { ledger, directory, providers, logger, now } = options;
  const reader = `scheduling-${randomUUID()}`;
  const sweepBatch = options.sweepBatch ?? 10;
  const changesUntilMs = options.changesUntilMs ?? 24 * 3600_000;
  const leaseMs = Math.max(30_000, 5 * options.feedIntervalMs);
  const timers: NodeJS.Timeout[] = [];
  let feedRound: Promise<void> | null = null;
  let sweepRound: Promise<void> | null = null;
  const leased = new Set<string>();

  const withChanges = () =>
    directory.list().filter((entry) => entry.connection.capabilities.includes('CHANGES'));

  const { apply, record } = createClinicChangeApplier(options);

  const observedOf = (connectionId: string, change: ProviderChange): Observed => ({
    connectionId,
    changeId: change.id,
    kind: change.kind,
    source: change.source,
    occurredAtMs: Date.parse(change.occurredAt) || now(),
    booking: change.booking,
    slot: change.kind === 'BOOKING_UPDATED' ? null : change.slot,
  });

  /** Reads one connection's feed from the ledger's position to its end (at most 20 pages). */
  async function readFeed(entry: DirectoryEntry): Promise<void> {
    const connectionId = entry.connection.id;
    const lease = await ledger.leaseFeed(connectionId, reader, leaseMs);
    if (!lease) {
      leased.delete(connectionId);
      return;
    }
    leased.add(connectionId);
    let after = lease.cursor;
    for (let pages = 0; pages < 20; pages += 1) {
      const answer = await providers.changes(entry, after, 100);
      if (answer.kind !== 'answered') {
        logger.warn(
          { connection: connectionId, code: answer.failure.code },
          'reading changes at the clinic failed; read again next round',
        );
        return;
      }
      const page = answer.data;
      if (page.resumed) {
        logger.info(
          { connection: connectionId },
          'the provider subgraph no longer knew the feed position (it restarted); reading what it has, the sweep finds the rest',
        );
      }
      for (const change of page.changes) await apply(observedOf(connectionId, change));
      if (!(await ledger.advanceFeed(connectionId, reader, page.cursor))) return;
      after = page.cursor;
      if (!page.hasMore) return;
    }
  }

  async function feedOnce(): Promise<void> {
    await Promise.all(
      withChanges().map((entry) =>
        readFeed(entry).catch((error: unknown) =>
          logger.error(
            { connection: entry.connection.id, err: (error as Error).message },
            'following changes at the clinic failed',
          ),
        ),
      ),
    );
  }

  /** Looks one confirmed reservation up at its provider and applies what it says. */
  async function check(row: ReservationRecord): Promise<void> {
    const entry = directory.get(row.connection_id);
    if (!entry) return;
    const answer = await providers.findBooking(entry, row.id);
    if (answer.kind !== 'answered') return;
    const lookup = answer.data;
    // What a look-up finds is how things are now: never older than a change already applied,
    // whatever the provider's clock said then.
    const occurredAtMs = Math.max(now(), row.clinic_changed_at?.getTime() ?? 0);
    const found = `lookup:${row.id}:v${row.version}`;
    if (lookup.status === 'NOT_BOOKED') {
      // The provider looked and has no booking for a confirmed reservation: not concluded from
      // (a provider's own record may be lost); recorded once and left for people to look at.
      const observed = {
        connectionId: row.connection_id,
        changeId: `${found}:NOT_BOOKED`,
        kind: 'BOOKING_UPDATED',
        source: 'LOOKUP',
        occurredAtMs,
      };
      if (await ledger.changeRecorded(row.connection_id, observed.changeId)) return;
      await record(observed, row.id, 'NOT_BOOKED');
      logger.warn(
        { reservation: row.id, connection: row.connection_id },
        'the provider has no booking for a confirmed reservation',
      );
      return;
    }
    const booking = lookup.booking;
    if (lookup.status !== 'FOUND' || !booking) return;
    await apply({
      connectionId: row.connection_id,
      // One id per state found against one version of the row: a finding is applied once, and
      // the same state found again after the row changed (moved back, say) is a new finding.
      changeId: `${found}:${booking.status}:${booking.slotId}:${booking.start ?? ''}`,
      kind: 'BOOKING_UPDATED',
      source: 'LOOKUP',
      occurredAtMs,
      booking,
    });
  }

  async function sweepOnce(): Promise<void> {
    const rows = await ledger.claimSweep({
      limit: sweepBatch,
      startsAfter: new Date(now() - changesUntilMs),
      intervalMs: options.sweepIntervalMs,
      slowIntervalMs: options.sweepBackstopMs,
      slowConnections: withChanges().map((entry) => entry.connection.id),
    });
    await Promise.all(
      rows.map((row) =>
        check(row).catch((error: unknown) =>
          logger.error(
            { reservation: row.id, err: (error as Error).message },
            'looking a confirmed reservation up failed',
          ),
        ),
      ),
    );
  }

  const once = (round: 'feed' | 'sweep') => {
    if (round === 'feed') {
      feedRound ??= feedOnce()
        .catch((error: unknown) =>
          logger.error({ err: (error as Error).message }, 'reading change feeds failed'),
        )
        .finally(() => {
          feedRound = null;
        });
      return feedRound;
    }
    sweepRound ??= sweepOnce()
      .catch((error: unknown) =>
        logger.error({ err: (error as Error).message }, 'claiming reservations to look up failed'),
      )
      .finally(() => {
        sweepRound = null;
      });
    return sweepRound;
  };

  return {
    /** One read of every change feed (unless one is running); resolves when it is done. */
    readFeeds: () => once('feed'),
    /** One sweep round (unless one is running); resolves when it is done. */
    sweep: () => once('sweep'),
    /**
     * Reads every feed once, then every `feedIntervalMs`. The first read gives a new connection its
     * position (the feed's present), so it is awaited before the service takes requests: a booking
     * made before a connection has a position could change at the clinic unseen by the feed.
     */
    async start(): Promise<void> {
      await once('feed');
      const feed = setInterval(() => void once('feed'), options.feedIntervalMs);
      const sweep = setInterval(() => void once('sweep'), 1000);
      feed.unref();
      sweep.unref();
      timers.push(feed, sweep);
    },
    async stop(): Promise<void> {
      for (const timer of timers.splice(0)) clearInterval(timer);
      await Promise.all([feedRound, sweepRound]);
      await Promise.all(
        [...leased].map((connectionId) =>
          ledger.releaseFeed(connectionId, reader).catch(() => undefined),
        ),
      );
    },
  };
}

export type ClinicChanges = ReturnType<typeof createClinicChanges>;
