import { randomUUID } from 'node:crypto';
import { type Selectable, sql } from 'kysely';
import type { ReservationOwner } from '../ledger/createLedger.js';
import type { LedgerDatabase } from '../ledger/createLedgerDatabase.js';
import { committedBeforeEveryRunning, type FeedPosition } from '../ledger/eventFeed.js';
import type { LedgerTables, SlotSnapshot } from '../ledger/ledgerTables.js';

export type WatchRecord = Selectable<LedgerTables['availability_watches']>;
export type AvailabilityEventRecord = Selectable<LedgerTables['availability_events']>;

/** What a new watch asks for (see `availability_watches`). */
export interface NewWatch {
  owner: ReservationOwner;
  treatmentId: string | null;
  connectionIds: string[] | null;
  clinicKeys: string[] | null;
  near: { latitude: number; longitude: number; radiusKm: number } | null;
  from: Date;
  before: Date;
  expiresAt: Date;
}

/** The key of a clinic in `clinic_keys`. */
export const clinicKey = (connectionId: string, clinicId: string) => `${connectionId}|${clinicId}`;

/**
 * Slot watches and the slots that opened for them, in the ledger's database. A watch is its
 * owner's as a reservation is: a patient's own, or every one of a backend client's application.
 * The slots that opened are events once per (watch, slot), read in commit order like the
 * reservation feed.
 */
export function createWatchStore(db: LedgerDatabase, at: () => Date) {
  /** One of the owner's watches. */
  function find(owner: ReservationOwner, id: string): Promise<WatchRecord | undefined> {
    let query = db
      .selectFrom('availability_watches')
      .selectAll()
      .where('client_id', '=', owner.clientId)
      .where('id', '=', id);
    if (owner.subject !== null) query = query.where('subject', '=', owner.subject);
    return query.executeTakeFirst();
  }

  return {
    create(watch: NewWatch): Promise<WatchRecord> {
      return db
        .insertInto('availability_watches')
        .values({
          id: randomUUID(),
          client_id: watch.owner.clientId,
          subject: watch.owner.subject,
          treatment_id: watch.treatmentId,
          connection_ids: watch.connectionIds,
          clinic_keys: watch.clinicKeys,
          near_latitude: watch.near?.latitude ?? null,
          near_longitude: watch.near?.longitude ?? null,
          radius_km: watch.near?.radiusKm ?? null,
          from_at: watch.from,
          before_at: watch.before,
          expires_at: watch.expiresAt,
          cancelled_at: null,
          created_at: at(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /** The owner's watches, newest first (at most 200). */
    listOwned(owner: ReservationOwner): Promise<WatchRecord[]> {
      let query = db
        .selectFrom('availability_watches')
        .selectAll()
        .where('client_id', '=', owner.clientId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(200);
      if (owner.subject !== null) query = query.where('subject', '=', owner.subject);
      return query.execute();
    },

    /** Ends one of the owner's watches now; the watch as it is after (also when it had ended). */
    async cancel(owner: ReservationOwner, id: string): Promise<WatchRecord | undefined> {
      let query = db
        .updateTable('availability_watches')
        .set({ cancelled_at: at() })
        .where('client_id', '=', owner.clientId)
        .where('id', '=', id)
        .where('cancelled_at', 'is', null);
      if (owner.subject !== null) query = query.where('subject', '=', owner.subject);
      return (await query.returningAll().executeTakeFirst()) ?? find(owner, id);
    },

    /**
     * The open watches a slot of `connectionId` starting at `start` may answer: not cancelled,
     * not expired, the start in their window, and their provider, clinic and treatment filters
     * met. An area (`near`) is the caller's to check: it needs the clinic's position.
     */
    matching(
      connectionId: string,
      slot: Pick<SlotSnapshot, 'clinicId' | 'start' | 'treatmentIds'>,
    ): Promise<WatchRecord[]> {
      const start = new Date(slot.start);
      const treatments = slot.treatmentIds.length > 0 ? [...slot.treatmentIds] : [''];
      return db
        .selectFrom('availability_watches')
        .selectAll()
        .where('cancelled_at', 'is', null)
        .where('expires_at', '>', at())
        .where('from_at', '<=', start)
        .where('before_at', '>', start)
        .where(
          sql<boolean>`(connection_ids is null or ${connectionId} = any(connection_ids))
            and (clinic_keys is null or ${clinicKey(connectionId, slot.clinicId)} = any(clinic_keys))
            and (treatment_id is null or treatment_id in (${sql.join(treatments)}))`,
        )
        .execute();
    },

    /** Records that `slot` opened for `watch`; null when it was recorded for it before. */
    async recordOpened(
      watch: WatchRecord,
      connectionId: string,
      slotId: string,
      slot: SlotSnapshot,
    ): Promise<AvailabilityEventRecord | null> {
      const inserted = await db
        .insertInto('availability_events')
        .values({
          watch_id: watch.id,
          client_id: watch.client_id,
          subject: watch.subject,
          connection_id: connectionId,
          slot_id: slotId,
          slot: JSON.stringify(slot),
          at: at(),
        })
        .onConflict((oc) => oc.columns(['watch_id', 'connection_id', 'slot_id']).doNothing())
        .returningAll()
        .executeTakeFirst();
      return inserted ?? null;
    },

    /** The owner's availability events after `after`, in commit order, with their watches. */
    async eventsAfter(
      owner: ReservationOwner,
      after: FeedPosition | null,
      limit: number,
    ): Promise<{ event: AvailabilityEventRecord & { tx: string }; watch: WatchRecord }[]> {
      let query = db
        .selectFrom('availability_events as e')
        .selectAll('e')
        .select(sql<string>`e.tx::text`.as('tx'))
        .where('e.client_id', '=', owner.clientId)
        .where(committedBeforeEveryRunning)
        .orderBy('e.tx')
        .orderBy('e.id')
        .limit(limit);
      if (owner.subject !== null) query = query.where('e.subject', '=', owner.subject);
      if (after) {
        query = query.where(sql<boolean>`(e.tx, e.id) > (${after.tx}::xid8, ${after.id}::bigint)`);
      }
      const events = await query.execute();
      if (events.length === 0) return [];
      const watches = await db
        .selectFrom('availability_watches')
        .selectAll()
        .where('id', 'in', [...new Set(events.map((e) => e.watch_id))])
        .execute();
      const watchOf = new Map(watches.map((w) => [w.id, w]));
      return events.flatMap((event) => {
        const watch = watchOf.get(event.watch_id);
        return watch ? [{ event: { ...event, id: String(event.id) }, watch }] : [];
      });
    },
  };
}

export type WatchStore = ReturnType<typeof createWatchStore>;
