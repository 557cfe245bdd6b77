import type { Logger } from '@booking/server-kit';
import { type Selectable, sql } from 'kysely';
import type { ReservationChange } from '../../engines/liveReservationIndex.js';
import { slotIdentity } from '../../engines/mergeSlots.js';
import { isLive, liveStatuses } from '../../engines/reservationRules.js';
import { createClinicChangeRecords } from './clinicChangeRecords.js';
import type { LedgerDatabase } from './createLedgerDatabase.js';
import { createEventFeed } from './eventFeed.js';
import { createIdempotencyKeys } from './idempotencyKeys.js';
import type {
  CancelledBy,
  HoldKind,
  LedgerTables,
  PendingOperation,
  ReservationStatus,
  SlotSnapshot,
} from './ledgerTables.js';
import { createReservationWrites } from './reservationWrites.js';

export type ReservationRecord = Selectable<LedgerTables['reservations']>;
export type { IdempotencyRecord, KeyLease } from './idempotencyKeys.js';

/**
 * Whom reservations and idempotency keys belong to: a client application and, when it acts for a
 * signed-in end user, that user (`subject`). A null subject is the application itself.
 */
export interface ReservationOwner {
  readonly clientId: string;
  readonly subject: string | null;
}

/** A new reservation row, written before any provider is called. */
export interface NewReservation {
  id?: string;
  clientId: string;
  /** The end user it is made for. Default: none (a backend client's reservation). */
  subject?: string | null;
  connectionId: string;
  slotId: string;
  status: 'PENDING' | 'HELD';
  pendingOperation: PendingOperation | null;
  holdKind: HoldKind | null;
  expiresAt: Date | null;
  snapshot: SlotSnapshot;
  patientSealed: string | null;
  rescheduledFrom: string | null;
  /** The W3C traceparent of the span creating it (see `origin_traceparent`). Default: none. */
  originTraceparent?: string | null;
}

/** A change of state, applied only if the row is still in one of `from` at `version`. */
export interface Transition {
  from: readonly ReservationStatus[];
  to: ReservationStatus;
  operation: string;
  /** The row version the caller read; the update fails if someone changed it since. */
  version?: number;
  pendingOperation?: PendingOperation | null;
  resumeStatus?: ReservationStatus | null;
  expiresAt?: Date | null;
  providerReference?: string | null;
  failureReason?: string | null;
  /** The patient, sealed; set when a hold is confirmed. */
  patientSealed?: string;
  /** Written to the event row. Never patient data. */
  detail?: Record<string, unknown>;
  /** Who cancelled, for a transition to CANCELLED made at the clinic. */
  cancelledBy?: CancelledBy;
  /** The provider's time of the clinic change this transition applies. */
  clinicChangedAt?: Date;
  /** The clinic moved the booking: its slot and time now. */
  move?: { slotId: string; snapshot: SlotSnapshot };
}

/** What availability needs to know of a reservation row (never patient data). */
export function reservationChangeOf(
  row: Pick<
    ReservationRecord,
    'id' | 'connection_id' | 'slot_id' | 'start_at' | 'status' | 'version'
  >,
): ReservationChange {
  return {
    id: row.id,
    slot: slotIdentity(row.connection_id, row.slot_id),
    startMs: row.start_at.getTime(),
    live: isLive(row.status),
    version: row.version,
  };
}

/** Told of every reservation written or changed, after its transaction committed. */
export type LedgerChangeListener = (row: ReservationRecord) => Promise<void>;

/**
 * The reservation ledger: current state per reservation plus an append-only event for every
 * transition, written in one transaction. All state changes are conditional updates, so several
 * scheduling instances can work on the same ledger without locks held across provider calls.
 * `onChange` runs after each committed change, before the caller continues (the slot cache drops
 * the slot's day there, so no search shows a slot the platform just took or misses one it freed).
 */
export function createLedger(
  db: LedgerDatabase,
  now: () => number,
  logger?: Logger,
  onChange?: LedgerChangeListener,
) {
  const at = () => new Date(now());
  async function changed(row: ReservationRecord | null): Promise<ReservationRecord | null> {
    if (row && onChange) await onChange(row);
    return row;
  }

  return {
    db,

    ...createReservationWrites(db, at, changed, logger),

    find(id: string): Promise<ReservationRecord | undefined> {
      return db.selectFrom('reservations').selectAll().where('id', '=', id).executeTakeFirst();
    },

    events(id: string) {
      return db
        .selectFrom('reservation_events')
        .selectAll()
        .where('reservation_id', '=', id)
        .orderBy('id')
        .execute();
    },

    /**
     * Claims up to `limit` PENDING reservations for one reconciliation attempt each, in one
     * statement: those unchanged since `settledBefore` (no call on them can still be in flight)
     * and due (`next_attempt_at` passed or unset), soonest due first. Each claimed row's
     * `attempts` goes up by one and its `next_attempt_at` moves to now plus its backoff
     * (`backoffMs` doubled per earlier attempt, at most `maxBackoffMs`) but never less than
     * `leaseMs`: no instance claims it again before then, whether this attempt settles it (a
     * transition clears both), cannot tell (it waits out its backoff) or dies with its process
     * (another instance takes it when the lease ends). Rows another claim has locked are skipped,
     * so instances sharing one database never claim the same row at once.
     */
    async claimPending(claim: {
      settledBefore: Date;
      limit: number;
      leaseMs: number;
      backoffMs: number;
      maxBackoffMs: number;
    }): Promise<ReservationRecord[]> {
      const time = at();
      const waitMs = sql<number>`greatest(${claim.leaseMs}::float8, least(${claim.maxBackoffMs}::float8,
        ${claim.backoffMs}::float8 * power(2, least(attempts, 30))))`;
      return db
        .updateTable('reservations')
        .set({
          attempts: sql`attempts + 1`,
          next_attempt_at: sql`${time}::timestamptz + make_interval(secs => ${waitMs} / 1000.0)`,
        })
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('reservations')
            .select('id')
            .where('status', '=', 'PENDING')
            .where('updated_at', '<=', claim.settledBefore)
            .where((w) =>
              w.or([w('next_attempt_at', 'is', null), w('next_attempt_at', '<=', time)]),
            )
            .orderBy(sql`coalesce(next_attempt_at, updated_at)`)
            .orderBy('id')
            .limit(claim.limit)
            .forUpdate()
            .skipLocked(),
        )
        .returningAll()
        .execute();
    },

    /** PENDING reservations unchanged since `before`, by connection: those overdue to settle. */
    async pendingCounts(before: Date): Promise<Map<string, number>> {
      const rows = await db
        .selectFrom('reservations')
        .select((eb) => ['connection_id', eb.fn.countAll<string>().as('n')])
        .where('status', '=', 'PENDING')
        .where('updated_at', '<=', before)
        .groupBy('connection_id')
        .execute();
      return new Map(rows.map((row) => [row.connection_id, Number(row.n)]));
    },

    /** HELD reservations whose hold has lapsed. */
    expiredHolds(limit = 100): Promise<ReservationRecord[]> {
      return db
        .selectFrom('reservations')
        .selectAll()
        .where('status', '=', 'HELD')
        .where('expires_at', '<=', at())
        .orderBy('expires_at')
        .limit(limit)
        .execute();
    },

    /**
     * The reservations `owner` may see, newest first (then by id, descending), after the keyset
     * position `after`. An owner without a subject sees every reservation of its application.
     */
    listOwned(
      owner: ReservationOwner,
      limit: number,
      after: { createdAt: Date; id: string } | null,
    ): Promise<ReservationRecord[]> {
      let query = db
        .selectFrom('reservations')
        .selectAll()
        .where('client_id', '=', owner.clientId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit);
      if (owner.subject !== null) query = query.where('subject', '=', owner.subject);
      if (after) {
        query = query.where((eb) =>
          eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)),
        );
      }
      return query.execute();
    },

    /** How many reservations `owner` may see (see `listOwned`). */
    async countOwned(owner: ReservationOwner): Promise<number> {
      let query = db
        .selectFrom('reservations')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('client_id', '=', owner.clientId);
      if (owner.subject !== null) query = query.where('subject', '=', owner.subject);
      return Number((await query.executeTakeFirstOrThrow()).n);
    },

    /** Slots with a live reservation starting in [from, to): hidden from availability. */
    async liveSlots(from: Date, to: Date): Promise<Set<string>> {
      const rows = await db
        .selectFrom('reservations')
        .select(['connection_id', 'slot_id'])
        .where('status', 'in', [...liveStatuses])
        .where('start_at', '>=', from)
        .where('start_at', '<', to)
        .execute();
      return new Set(rows.map((r) => slotIdentity(r.connection_id, r.slot_id)));
    },

    /**
     * Every live reservation starting at or after `from`, with its row version: what availability
     * hides, loaded at start and on each resync of the in-memory set (`createLiveReservations`).
     */
    async liveReservations(from: Date): Promise<ReservationChange[]> {
      const rows = await db
        .selectFrom('reservations')
        .select(['id', 'connection_id', 'slot_id', 'start_at', 'status', 'version'])
        .where('status', 'in', [...liveStatuses])
        .where('start_at', '>=', from)
        .execute();
      return rows.map(reservationChangeOf);
    },

    ...createIdempotencyKeys(db, at),

    ...createEventFeed(db),

    ...createClinicChangeRecords(db, at),

    /** The live reservation a move of `id` made, if any (a reschedule's new booking). */
    replacementOf(id: string): Promise<ReservationRecord | undefined> {
      return db
        .selectFrom('reservations')
        .selectAll()
        .where('rescheduled_from', '=', id)
        .where('status', 'in', [...liveStatuses])
        .executeTakeFirst();
    },

    close: () => db.destroy(),
  };
}

export type Ledger = ReturnType<typeof createLedger>;
