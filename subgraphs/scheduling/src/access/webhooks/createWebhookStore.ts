import { type RawBuilder, type Selectable, sql } from 'kysely';
import type { LedgerDatabase } from '../ledger/createLedgerDatabase.js';
import { clientVisible, committedBeforeEveryRunning, eventTypeOf } from '../ledger/eventFeed.js';
import type { LedgerTables } from '../ledger/ledgerTables.js';
import { createWebhookEndpoints, type WebhookEndpointRecord } from './webhookEndpoints.js';

export type { WebhookEndpointRecord } from './webhookEndpoints.js';
export type WebhookDeliveryRecord = Selectable<LedgerTables['webhook_deliveries']>;

/** The event type of every availability event. */
export const slotOpenedType = 'availability.slot_opened';

/**
 * A claimed delivery with what sending it needs: its endpoint and its event — a reservation's
 * (with the reservation) or a watch's.
 */
export type DueDelivery = {
  delivery: WebhookDeliveryRecord;
  endpoint: Pick<WebhookEndpointRecord, 'id' | 'url' | 'secret_sealed' | 'failing_since'>;
} & (
  | {
      kind: 'reservation';
      event: Selectable<LedgerTables['reservation_events']> & { type: string };
      reservation: Selectable<LedgerTables['reservations']>;
    }
  | { kind: 'availability'; event: Selectable<LedgerTables['availability_events']> }
);

/** What one attempt to send a delivery came to. */
export type AttemptOutcome =
  | { delivered: true; status: number }
  | {
      delivered: false;
      status: number | null;
      error: string;
      /** When to try again; null: no more attempts, the delivery has FAILED. */
      retryAt: Date | null;
      /** Disable the endpoint, with this reason (it failed for too long). */
      disable: string | null;
    };

/**
 * Webhook endpoints and deliveries in the ledger's database. The fan-out turns event rows (the
 * outboxes: every reservation transition's event, every slot a watch saw open) into one delivery
 * per matching endpoint, in commit order, under a lock of the outbox's position row, so two
 * instances never fan an event out twice. Deliveries are claimed with a lease, oldest due first,
 * and only when no earlier delivery of the same stream (reservation or watch) to the same endpoint
 * is still pending: per reservation, an endpoint gets events in the order they happened.
 */
export function createWebhookStore(db: LedgerDatabase, at: () => Date) {
  /** Endpoints (`w`) that take a reservation event (`e`): its application's, of its type. */
  const matching = sql<boolean>`w.client_id = e.client_id
    and (w.event_types is null or ${eventTypeOf} = any(w.event_types))`;
  /** Endpoints (`w`) that take an availability event (`a`). */
  const matchingSlotOpened = sql<boolean>`w.client_id = a.client_id
    and (w.event_types is null or ${slotOpenedType} = any(w.event_types))`;

  /** The position row of an outbox, locked until the transaction ends. */
  const lockedPosition = (trx: LedgerDatabase, source: 1 | 2) =>
    trx
      .selectFrom('webhook_fanout')
      .select([sql<string>`tx::text`.as('tx'), 'event_id'])
      .where('id', '=', source)
      .forUpdate()
      .executeTakeFirstOrThrow();
  const moveTo = (trx: LedgerDatabase, source: 1 | 2, last: { tx: string; id: string }) =>
    trx
      .updateTable('webhook_fanout')
      .set({ tx: sql`${last.tx}::xid8`, event_id: last.id })
      .where('id', '=', source)
      .execute();

  /** An outbox: its position row, its events a client sees, and their deliveries. */
  interface Outbox {
    source: 1 | 2;
    table: 'reservation_events' | 'availability_events';
    /** Which of its rows (`e`) are events at all. */
    visible: RawBuilder<boolean>;
    /** Inserts the deliveries of events `ids` to every endpoint that takes them. */
    deliver: (ids: RawBuilder<unknown>, time: Date) => RawBuilder<unknown>;
  }
  const reservationOutbox: Outbox = {
    source: 1,
    table: 'reservation_events',
    visible: clientVisible,
    deliver: (ids, time) => sql`insert into webhook_deliveries
        (endpoint_id, event_id, stream_id, status, next_attempt_at, created_at)
      select w.id, e.id, e.reservation_id, 'PENDING', ${time}, ${time}
      from reservation_events e join webhook_endpoints w on ${matching}
      where e.id in (${ids}) order by e.tx, e.id, w.id`,
  };
  const slotOpenedOutbox: Outbox = {
    source: 2,
    table: 'availability_events',
    visible: sql<boolean>`true`,
    deliver: (ids, time) => sql`insert into webhook_deliveries
        (endpoint_id, availability_event_id, stream_id, status, next_attempt_at, created_at)
      select w.id, a.id, a.watch_id, 'PENDING', ${time}, ${time}
      from availability_events a join webhook_endpoints w on ${matchingSlotOpened}
      where a.id in (${ids}) order by a.tx, a.id, w.id`,
  };

  /** Fans one outbox's next events out, under its position row's lock; answers how many. */
  function fanOutOf(outbox: Outbox, limit: number): Promise<number> {
    return db.transaction().execute(async (trx) => {
      const position = await lockedPosition(trx, outbox.source);
      const { rows: events } = await sql<{ tx: string; id: string }>`
        select e.tx::text as tx, e.id::text as id from ${sql.table(outbox.table)} e
        where ${outbox.visible} and ${committedBeforeEveryRunning}
          and (e.tx, e.id) > (${position.tx}::xid8, ${position.event_id}::bigint)
        order by e.tx, e.id limit ${limit}`.execute(trx);
      const last = events.at(-1);
      if (!last) return 0;
      await outbox.deliver(sql.join(events.map((event) => event.id)), at()).execute(trx);
      await moveTo(trx, outbox.source, last);
      return events.length;
    });
  }

  return {
    ...createWebhookEndpoints(db, at),

    /**
     * Fans up to `limit` reservation events out to deliveries, in commit order, from where the
     * last fan-out stopped; answers how many events it took. One transaction, with the outbox's
     * position row locked: an instance that finds it locked waits, then goes on from the new
     * position. A disabled endpoint's deliveries are queued too, and wait until it is enabled.
     */
    fanOut: (limit: number) => fanOutOf(reservationOutbox, limit),

    /** The same for availability events (slots watches saw open). */
    fanOutSlotsOpened: (limit: number) => fanOutOf(slotOpenedOutbox, limit),

    /**
     * Claims up to `limit` due deliveries for `leaseMs`: pending, due, not leased by a live
     * instance, of an enabled endpoint, and the first still pending of their reservation at their
     * endpoint. Each claimed one counts an attempt.
     */
    async claimDue(limit: number, leaseMs: number): Promise<DueDelivery[]> {
      const time = at();
      const until = new Date(time.getTime() + leaseMs);
      const claimed = await db
        .updateTable('webhook_deliveries')
        .set({ lease_until: until, attempts: sql`attempts + 1`, last_attempt_at: time })
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('webhook_deliveries as d')
            .innerJoin('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
            .select('d.id')
            .where('d.status', '=', 'PENDING')
            .where('w.enabled', '=', true)
            .where('d.next_attempt_at', '<=', time)
            .where((w) => w.or([w('d.lease_until', 'is', null), w('d.lease_until', '<=', time)]))
            .where(
              sql<boolean>`not exists (select 1 from webhook_deliveries earlier
                where earlier.endpoint_id = d.endpoint_id and earlier.stream_id = d.stream_id
                and earlier.status = 'PENDING' and earlier.id < d.id)`,
            )
            .orderBy('d.next_attempt_at')
            .orderBy('d.id')
            .limit(limit)
            .forUpdate('d')
            .skipLocked(),
        )
        .returningAll()
        .execute();
      if (claimed.length === 0) return [];
      const endpoints = await db
        .selectFrom('webhook_endpoints')
        .select(['id', 'url', 'secret_sealed', 'failing_since'])
        .where('id', 'in', [...new Set(claimed.map((d) => d.endpoint_id))])
        .execute();
      const eventIds = claimed.flatMap((d) => (d.event_id ? [d.event_id] : []));
      const slotEventIds = claimed.flatMap((d) =>
        d.availability_event_id ? [d.availability_event_id] : [],
      );
      const events =
        eventIds.length === 0
          ? []
          : await db
              .selectFrom('reservation_events as e')
              .selectAll('e')
              .select(eventTypeOf.as('type'))
              .where('e.id', 'in', eventIds)
              .execute();
      const reservations =
        events.length === 0
          ? []
          : await db
              .selectFrom('reservations')
              .selectAll()
              .where('id', 'in', [...new Set(events.map((e) => e.reservation_id))])
              .execute();
      const slotEvents =
        slotEventIds.length === 0
          ? []
          : await db
              .selectFrom('availability_events')
              .selectAll()
              .where('id', 'in', slotEventIds)
              .execute();
      // bigint ids: strings from PostgreSQL, numbers from PGlite.
      const endpointOf = new Map(endpoints.map((row) => [row.id, row]));
      const eventOf = new Map(events.map((row) => [String(row.id), row]));
      const reservationOf = new Map(reservations.map((row) => [row.id, row]));
      const slotEventOf = new Map(slotEvents.map((row) => [String(row.id), row]));
      return claimed.flatMap((delivery): DueDelivery[] => {
        const endpoint = endpointOf.get(delivery.endpoint_id);
        if (!endpoint) return [];
        if (delivery.availability_event_id) {
          const event = slotEventOf.get(String(delivery.availability_event_id));
          return event
            ? [
                {
                  kind: 'availability',
                  delivery,
                  endpoint,
                  event: { ...event, id: String(event.id) },
                },
              ]
            : [];
        }
        const event = eventOf.get(String(delivery.event_id));
        const reservation = event && reservationOf.get(event.reservation_id);
        if (!event || !reservation) return [];
        return [
          {
            kind: 'reservation',
            delivery,
            endpoint,
            event: { ...event, id: String(event.id) },
            reservation,
          },
        ];
      });
    },

    /** Records an attempt's outcome, and the endpoint's health with it. */
    async recordAttempt(due: DueDelivery, outcome: AttemptOutcome): Promise<void> {
      const time = at();
      await db
        .updateTable('webhook_deliveries')
        .set(
          outcome.delivered
            ? {
                status: 'DELIVERED',
                delivered_at: time,
                last_status: outcome.status,
                last_error: null,
                lease_until: null,
              }
            : {
                status: outcome.retryAt ? 'PENDING' : 'FAILED',
                next_attempt_at: outcome.retryAt ?? time,
                last_status: outcome.status,
                last_error: outcome.error,
                lease_until: null,
              },
        )
        .where('id', '=', due.delivery.id)
        .execute();
      await db
        .updateTable('webhook_endpoints')
        .set(
          outcome.delivered
            ? { failing_since: null }
            : {
                failing_since: sql`coalesce(failing_since, ${time}::timestamptz)`,
                ...(outcome.disable && { enabled: false, disabled_reason: outcome.disable }),
              },
        )
        .where('id', '=', due.endpoint.id)
        .execute();
    },

    /** The delivery log of an endpoint of `clientId`, newest first, after delivery `beforeId`. */
    deliveriesOf(
      clientId: string,
      endpointId: string,
      limit: number,
      beforeId: string | null,
    ): Promise<(WebhookDeliveryRecord & { event_type: string; connection_id: string })[]> {
      let query = db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
        .leftJoin('reservation_events as e', 'e.id', 'd.event_id')
        .leftJoin('reservations as r', 'r.id', 'e.reservation_id')
        .leftJoin('availability_events as a', 'a.id', 'd.availability_event_id')
        .selectAll('d')
        .select([
          sql<string>`coalesce(${eventTypeOf}, ${slotOpenedType})`.as('event_type'),
          sql<string>`coalesce(r.connection_id, a.connection_id)`.as('connection_id'),
        ])
        .where('w.client_id', '=', clientId)
        .where('d.endpoint_id', '=', endpointId)
        .orderBy('d.id', 'desc')
        .limit(limit);
      if (beforeId) query = query.where('d.id', '<', beforeId);
      return query.execute();
    },

    /** Sends a delivery of `clientId` again, at once; false when it has none of that id. */
    async redeliver(clientId: string, deliveryId: string): Promise<boolean> {
      const updated = await db
        .updateTable('webhook_deliveries')
        .set({ status: 'PENDING', next_attempt_at: at(), lease_until: null })
        .where('id', '=', deliveryId)
        .where('endpoint_id', 'in', (eb) =>
          eb.selectFrom('webhook_endpoints').select('id').where('client_id', '=', clientId),
        )
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) > 0;
    },

    /**
     * Queues every event of the endpoint's application since `since` (that it takes) to it again,
     * as new deliveries, in commit order; answers how many. Events still too recent to be in
     * commit order are left to the fan-out, which delivers them anyway.
     */
    async replay(endpoint: WebhookEndpointRecord, since: Date): Promise<number> {
      const time = at();
      const reservationEvents = await sql`insert into webhook_deliveries
          (endpoint_id, event_id, stream_id, status, next_attempt_at, created_at)
        select w.id, e.id, e.reservation_id, 'PENDING', ${time}, ${time}
        from reservation_events e join webhook_endpoints w on ${matching}
        where w.id = ${endpoint.id} and e.at >= ${since} and ${clientVisible}
          and ${committedBeforeEveryRunning}
          and (e.tx, e.id) <= (select tx, event_id from webhook_fanout where id = 1)
        order by e.tx, e.id`.execute(db);
      const slotsOpened = await sql`insert into webhook_deliveries
          (endpoint_id, availability_event_id, stream_id, status, next_attempt_at, created_at)
        select w.id, a.id, a.watch_id, 'PENDING', ${time}, ${time}
        from availability_events a join webhook_endpoints w on ${matchingSlotOpened}
        where w.id = ${endpoint.id} and a.at >= ${since}
          and (a.tx, a.id) <= (select tx, event_id from webhook_fanout where id = 2)
        order by a.tx, a.id`.execute(db);
      return (
        Number(reservationEvents.numAffectedRows ?? 0) + Number(slotsOpened.numAffectedRows ?? 0)
      );
    },
  };
}

export type WebhookStore = ReturnType<typeof createWebhookStore>;
