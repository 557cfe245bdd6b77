import { randomUUID } from 'node:crypto';
import type { Logger } from '@booking/server-kit';
import { trace } from '@opentelemetry/api';
import type { DirectoryEntry, ProviderDirectory } from '../access/createProviderDirectory.js';
import type { Ledger, ReservationRecord } from '../access/ledger/createLedger.js';
import type { SlotSnapshot } from '../access/ledger/ledgerTables.js';
import type {
  ProviderAccess,
  ProviderBooking,
  ProviderChange,
} from '../access/providers/createProviderAccess.js';
import { clinicChangeStep } from '../engines/clinicChangeRules.js';
import type { SchedulingMetrics } from '../schedulingMetrics.js';

const tracer = trace.getTracer('booking.scheduling');

export interface ClinicChangesOptions {
  ledger: Ledger;
  directory: Pick<ProviderDirectory, 'list' | 'get'>;
  providers: Pick<ProviderAccess, 'changes' | 'findBooking'>;
  /** Drops a clinic day from the slot cache, so the next search asks the provider. */
  dropDay: (connectionId: string, clinicId: string, startMs: number) => Promise<void>;
  /** A slot opened at the clinic: the watches it answers fire. Default: nothing. */
  slotOpened?: (connectionId: string, slotId: string, slot: SlotSnapshot) => Promise<unknown>;
  logger: Logger;
  metrics?: Pick<SchedulingMetrics, 'clinicChange'>;
  now: () => number;
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

/** A change as the ledger applies it, whether a provider reported it or a look-up found it. */
interface Observed {
  connectionId: string;
  changeId: string;
  kind: string;
  source: string;
  occurredAtMs: number;
  booking?: ProviderBooking | null;
  slot?: ProviderChange['slot'];
}

/**
 * The ledger follows the clinic: what changed in a provider's own system (a booking cancelled,
 * moved or marked no-show there; a slot opened or closed) becomes a reservation transition with
 * its source, or a dropped cache day. Two ways in:
 * - the change feed (`contractChanges`) of each connection with `CHANGES`, read every
 *   `feedIntervalMs` by one instance at a time (a lease in the ledger), from the position the
 *   ledger keeps, so a restart neither misses nor repeats a page;
 * - the sweep: every confirmed reservation is looked up at its provider (`contractBooking`) once
 *   per `sweepIntervalMs` (`sweepBackstopMs` where a feed exists), so systems that cannot push or
 *   list changes are followed too, and a lost push is found in the end.
 * Every change is recorded once per id with what came of it; applying one twice changes nothing
 * (each transition is conditional on the state it leaves), and one older than the last applied
 * is set aside (`engines/clinicChangeRules.ts`).
 */
export function createClinicChanges(options: ClinicChangesOptions) {
  const { ledger, directory, providers, logger, metrics, now } = options;
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

  async function record(observed: Observed, reservationId: string | null, outcome: string) {
    const recorded = await ledger.recordChange({
      connectionId: observed.connectionId,
      changeId: observed.changeId,
      kind: observed.kind,
      source: observed.source,
      occurredAt: new Date(observed.occurredAtMs),
      reservationId,
      outcome,
      detail: {
        ...(observed.booking && {
          status: observed.booking.status,
          slotId: observed.booking.slotId,
          start: observed.booking.start,
        }),
        ...(observed.slot && { clinicId: observed.slot.clinicId, start: observed.slot.start }),
      },
    });
    if (recorded) {
      metrics?.clinicChange(observed.connectionId, {
        kind: observed.kind,
        source: observed.source,
        outcome,
        lagMs: now() - observed.occurredAtMs,
      });
    }
  }

  /** Brings the reservation to what the clinic says; answers what came of it. */
  async function applyToReservation(
    observed: Observed,
    row: ReservationRecord,
    booking: ProviderBooking,
  ): Promise<string> {
    const snapshot = row.slot_snapshot;
    const step = clinicChangeStep(
      {
        status: row.status,
        slotId: row.slot_id,
        start: snapshot.start,
        end: snapshot.end,
        clinicChangedAtMs: row.clinic_changed_at?.getTime() ?? null,
      },
      booking,
      observed.occurredAtMs,
    );
    if (step.step === 'none') return step.reason;
    const clinicChangedAt = new Date(observed.occurredAtMs);
    const detail = {
      source: 'PROVIDER',
      change: observed.changeId,
      via: observed.source,
      occurredAt: clinicChangedAt.toISOString(),
    };
    const common = { version: row.version, clinicChangedAt, detail };
    if (step.step === 'cancel') {
      const changed = await ledger.transition(row.id, {
        ...common,
        from: ['HELD', 'CONFIRMED'],
        to: 'CANCELLED',
        operation: 'CLINIC_CANCEL',
        cancelledBy: 'PROVIDER',
      });
      return changed ? 'APPLIED' : 'RACED';
    }
    if (step.step === 'noShow') {
      const changed = await ledger.transition(row.id, {
        ...common,
        from: ['CONFIRMED'],
        to: 'NO_SHOW',
        operation: 'CLINIC_NO_SHOW',
      });
      return changed ? 'APPLIED' : 'RACED';
    }
    const moved: SlotSnapshot = { ...snapshot, start: step.start, end: step.end };
    try {
      const changed = await ledger.transition(row.id, {
        ...common,
        detail: { ...detail, from: snapshot.start, to: step.start },
        from: ['CONFIRMED'],
        to: 'CONFIRMED',
        operation: 'CLINIC_MOVE',
        move: { slotId: step.slotId, snapshot: moved },
      });
      if (!changed) return 'RACED';
      // The day it left is freed; the day it moved to was dropped by the ledger's listener.
      await options.dropDay(row.connection_id, snapshot.clinicId, Date.parse(snapshot.start));
      return 'APPLIED';
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
      // Another live reservation holds the slot the clinic moved this booking to: the ledger's
      // rule of one live reservation per slot stands, and people must look (logged, recorded).
      logger.error(
        { reservation: row.id, connection: row.connection_id, err: (error as Error).message },
        'the clinic moved a booking onto a slot the platform holds for another reservation',
      );
      return 'CONFLICT';
    }
  }

  /** Applies one change, traced as `clinic_change.apply` (connection, kind, source, outcome). */
  function apply(observed: Observed): Promise<void> {
    const attributes = {
      'booking.connection': observed.connectionId,
      'booking.change.kind': observed.kind,
      'booking.change.source': observed.source,
    };
    return tracer.startActiveSpan('clinic_change.apply', { attributes }, async (span) => {
      try {
        span.setAttribute('booking.change.outcome', await applyOnce(observed));
      } finally {
        span.end();
      }
    });
  }

  async function applyOnce(observed: Observed): Promise<string> {
    if (await ledger.changeRecorded(observed.connectionId, observed.changeId)) return 'REPEATED';
    const { slot } = observed;
    if (slot) {
      await options.dropDay(observed.connectionId, slot.clinicId, Date.parse(slot.start));
      if (observed.kind === 'SLOT_OPENED') {
        await options.slotOpened?.(observed.connectionId, slot.id, {
          clinicId: slot.clinicId,
          start: slot.start,
          end: slot.end,
          treatmentIds: slot.treatmentIds,
          requestedTreatmentId: null,
          practitioner: slot.practitioner ?? null,
        });
      }
      await record(observed, null, 'APPLIED');
      return 'APPLIED';
    }
    const booking = observed.booking;
    if (!booking) {
      await record(observed, null, 'MALFORMED');
      return 'MALFORMED';
    }
    const row = await findReservation(observed.connectionId, booking.reservationId);
    if (!row) {
      await record(observed, null, 'UNKNOWN_RESERVATION');
      return 'UNKNOWN_RESERVATION';
    }
    const outcome = await applyToReservation(observed, row, booking);
    // A look-up that found nothing new (or a platform call in flight) is no change: not recorded,
    // so the next sweep looks again; its id names the row version it was made against.
    if (observed.source === 'LOOKUP' && (outcome === 'CURRENT' || outcome === 'IN_FLIGHT')) {
      return outcome;
    }
    if (outcome === 'APPLIED') {
      logger.info(
        {
          reservation: row.id,
          connection: row.connection_id,
          kind: booking.status,
          source: observed.source,
        },
        'change at the clinic applied',
      );
    }
    // A transition that raced a platform call is not recorded: the next report or sweep retries.
    if (outcome !== 'RACED') await record(observed, row.id, outcome);
    return outcome;
  }

  async function findReservation(connectionId: string, reservationId: string) {
    // Ids are the platform's UUIDs; anything else was never one of its reservations.
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(reservationId)) {
      return undefined;
    }
    const row = await ledger.find(reservationId);
    return row?.connection_id === connectionId ? row : undefined;
  }

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
    start(): void {
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
