import { randomUUID } from 'node:crypto';
import { type Selectable, sql } from 'kysely';
import type { LedgerDatabase } from '../ledger/createLedgerDatabase.js';
import { clientVisible, committedBeforeEveryRunning, eventTypeOf } from '../ledger/eventFeed.js';
import type { LedgerTables } from '../ledger/ledgerTables.js';

export type WebhookEndpointRecord = Selectable<LedgerTables['webhook_endpoints']>;
export type WebhookDeliveryRecord = Selectable<LedgerTables['webhook_deliveries']>;

/** A claimed delivery with what sending it needs: its endpoint, its event, and the reservation. */
export interface DueDelivery {
  delivery: WebhookDeliveryRecord;
  endpoint: Pick<WebhookEndpointRecord, 'id' | 'url' | 'secret_sealed' | 'failing_since'>;
  event: Selectable<LedgerTables['reservation_events']> & { type: string };
  reservation: Selectable<LedgerTables['reservations']>;
}

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
 * outbox every transition writes) into one delivery per matching endpoint, in commit order, under
 * a lock of its one position row, so two instances never fan an event out twice. Deliveries are
 * claimed with a lease, oldest due first, and only when no earlier delivery of the same
 * reservation to the same endpoint is still pending: per reservation, an endpoint gets events in
 * the order they happened.
 */
export function createWebhookStore(db: LedgerDatabase, at: () => Date) {
  /** Deliveries of the visible events `events` (a query over `reservation_events as e`) to `endpoints`. */
  const matching = sql<boolean>`w.client_id = e.client_id
    and (w.event_types is null or ${eventTypeOf} = any(w.event_types))`;

  return {
    async createEndpoint(endpoint: {
      clientId: string;
      url: string;
      description: string | null;
      eventTypes: string[] | null;
      secretSealed: string;
    }): Promise<WebhookEndpointRecord> {
      const time = at();
      return db
        .insertInto('webhook_endpoints')
        .values({
          id: randomUUID(),
          client_id: endpoint.clientId,
          url: endpoint.url,
          description: endpoint.description,
          event_types: endpoint.eventTypes,
          secret_sealed: endpoint.secretSealed,
          enabled: true,
          disabled_reason: null,
          failing_since: null,
          created_at: time,
          updated_at: time,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /**
     * Changes an endpoint of `clientId`; undefined when it has none of that id. Enabling it makes
     * what waits for it due at once.
     */
    async updateEndpoint(
      clientId: string,
      id: string,
      patch: {
        url?: string;
        description?: string | null;
        eventTypes?: string[] | null;
        enabled?: boolean;
        secretSealed?: string;
      },
    ): Promise<WebhookEndpointRecord | undefined> {
      const updated = await db
        .updateTable('webhook_endpoints')
        .set({
          updated_at: at(),
          ...(patch.url !== undefined && { url: patch.url }),
          ...(patch.description !== undefined && { description: patch.description }),
          ...(patch.eventTypes !== undefined && { event_types: patch.eventTypes }),
          ...(patch.secretSealed !== undefined && { secret_sealed: patch.secretSealed }),
          // Enabling again starts afresh: the failures that disabled it are history.
          ...(patch.enabled !== undefined && {
            enabled: patch.enabled,
            disabled_reason: patch.enabled ? null : 'disabled by its owner',
            failing_since: null,
          }),
        })
        .where('client_id', '=', clientId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (updated && patch.enabled) {
        await db
          .updateTable('webhook_deliveries')
          .set({ next_attempt_at: at() })
          .where('endpoint_id', '=', id)
          .where('status', '=', 'PENDING')
          .execute();
      }
      return updated;
    },

    /** Deletes an endpoint and its delivery log; false when `clientId` has none of that id. */
    async deleteEndpoint(clientId: string, id: string): Promise<boolean> {
      const deleted = await db
        .deleteFrom('webhook_endpoints')
        .where('client_id', '=', clientId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(deleted.numDeletedRows) > 0;
    },

    endpointsOf(clientId: string): Promise<WebhookEndpointRecord[]> {
      return db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('client_id', '=', clientId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    endpoint(clientId: string, id: string): Promise<WebhookEndpointRecord | undefined> {
      return db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('client_id', '=', clientId)
        .where('id', '=', id)
        .executeTakeFirst();
    },

    /**
     * Fans up to `limit` events out to deliveries, in commit order, from where the last fan-out
     * stopped; answers how many events it took. One transaction, with the position row locked:
     * an instance that finds it locked waits, then goes on from the new position.
     */
    fanOut(limit: number): Promise<number> {
      return db.transaction().execute(async (trx) => {
        const position = await trx
          .selectFrom('webhook_fanout')
          .select([sql<string>`tx::text`.as('tx'), 'event_id'])
          .where('id', '=', 1)
          .forUpdate()
          .executeTakeFirstOrThrow();
        const events = await trx
          .selectFrom('reservation_events as e')
          .select([sql<string>`e.tx::text`.as('tx'), 'e.id'])
          .where(clientVisible)
          .where(committedBeforeEveryRunning)
          .where(sql<boolean>`(e.tx, e.id) > (${position.tx}::xid8, ${position.event_id}::bigint)`)
          .orderBy('e.tx')
          .orderBy('e.id')
          .limit(limit)
          .execute();
        const last = events.at(-1);
        if (!last) return 0;
        const time = at();
        await sql`insert into webhook_deliveries
            (endpoint_id, event_id, reservation_id, status, next_attempt_at, created_at)
          select w.id, e.id, e.reservation_id, 'PENDING', ${time}, ${time}
          from reservation_events e join webhook_endpoints w on ${matching}
          where e.id in (${sql.join(events.map((event) => event.id))})
          order by e.tx, e.id, w.id`.execute(trx);
        await trx
          .updateTable('webhook_fanout')
          .set({ tx: sql`${last.tx}::xid8`, event_id: last.id })
          .where('id', '=', 1)
          .execute();
        return events.length;
      });
    },

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
                where earlier.endpoint_id = d.endpoint_id and earlier.reservation_id = d.reservation_id
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
      const ids = claimed.map((d) => d.id);
      const details = await db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
        .innerJoin('reservation_events as e', 'e.id', 'd.event_id')
        .innerJoin('reservations as r', 'r.id', 'd.reservation_id')
        .select([
          'd.id as delivery_id',
          'w.url',
          'w.secret_sealed',
          'w.failing_since',
          eventTypeOf.as('event_type'),
        ])
        .selectAll('e')
        .where('d.id', 'in', ids)
        .execute();
      const reservations = await db
        .selectFrom('reservations')
        .selectAll()
        .where('id', 'in', [...new Set(claimed.map((d) => d.reservation_id))])
        .execute();
      const byDelivery = new Map(details.map((row) => [String(row.delivery_id), row]));
      const reservationOf = new Map(reservations.map((row) => [row.id, row]));
      return claimed.flatMap((delivery) => {
        const detail = byDelivery.get(String(delivery.id));
        const reservation = reservationOf.get(delivery.reservation_id);
        if (!detail || !reservation) return [];
        const {
          delivery_id: _id,
          url,
          secret_sealed,
          failing_since,
          event_type,
          ...event
        } = detail;
        return [
          {
            delivery,
            endpoint: { id: delivery.endpoint_id, url, secret_sealed, failing_since },
            event: { ...event, id: String(event.id), type: event_type },
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
        .innerJoin('reservation_events as e', 'e.id', 'd.event_id')
        .innerJoin('reservations as r', 'r.id', 'd.reservation_id')
        .selectAll('d')
        .select([eventTypeOf.as('event_type'), 'r.connection_id'])
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
      const result = await sql`insert into webhook_deliveries
          (endpoint_id, event_id, reservation_id, status, next_attempt_at, created_at)
        select w.id, e.id, e.reservation_id, 'PENDING', ${time}, ${time}
        from reservation_events e join webhook_endpoints w on ${matching}
        where w.id = ${endpoint.id} and e.at >= ${since} and ${clientVisible}
          and ${committedBeforeEveryRunning}
          and (e.tx, e.id) <= (select tx, event_id from webhook_fanout where id = 1)
        order by e.tx, e.id`.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },
  };
}

export type WebhookStore = ReturnType<typeof createWebhookStore>;
