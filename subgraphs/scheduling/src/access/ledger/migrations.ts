import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The ledger's migrations, in order. Never edit one that has shipped: add the next.
 * Kysely's Migrator records applied ones in `kysely_migration` and locks while it runs.
 */
export const migrations: Record<string, Migration> = {
  '0001_ledger': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('reservations')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('slot_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c
            .notNull()
            .check(sql`status in ('PENDING','HELD','CONFIRMED','CANCELLED','EXPIRED','FAILED')`),
        )
        .addColumn('pending_operation', 'text', (c) =>
          c.check(sql`pending_operation in ('HOLD','BOOK','CONFIRM','CANCEL')`),
        )
        .addColumn('resume_status', 'text')
        .addColumn('hold_kind', 'text', (c) => c.check(sql`hold_kind in ('PROVIDER','PLATFORM')`))
        .addColumn('expires_at', 'timestamptz')
        .addColumn('provider_reference', 'text')
        .addColumn('start_at', 'timestamptz', (c) => c.notNull())
        .addColumn('slot_snapshot', 'jsonb', (c) => c.notNull())
        .addColumn('patient_sealed', 'text')
        .addColumn('rescheduled_from', 'uuid', (c) => c.references('reservations.id'))
        .addColumn('failure_reason', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addCheckConstraint(
          'pending_has_operation',
          sql`(status = 'PENDING') = (pending_operation is not null)`,
        )
        .execute();
      // The rule that patients are never double-booked, enforced by the database itself:
      // at most one live reservation (a hold counts) per provider slot, across every instance.
      await sql`create unique index reservations_one_live_per_slot on reservations (connection_id, slot_id)
        where status in ('PENDING','HELD','CONFIRMED')`.execute(db);
      await sql`create index reservations_unsettled on reservations (status, updated_at)
        where status in ('PENDING','HELD')`.execute(db);
      await sql`create index reservations_live_by_start on reservations (start_at)
        where status in ('PENDING','HELD','CONFIRMED')`.execute(db);

      await db.schema
        .createTable('reservation_events')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('reservation_id', 'uuid', (c) => c.notNull().references('reservations.id'))
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (c) => c.notNull())
        .addColumn('operation', 'text', (c) => c.notNull())
        .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('reservation_events_by_reservation')
        .on('reservation_events')
        .columns(['reservation_id', 'id'])
        .execute();
      // Events are append-only: the database refuses to change or delete one.
      await sql`create function reservation_events_append_only() returns trigger language plpgsql as $$
        begin raise exception 'reservation_events is append-only'; end $$`.execute(db);
      await sql`create trigger reservation_events_append_only before update or delete on reservation_events
        for each row execute function reservation_events_append_only()`.execute(db);

      await db.schema
        .createTable('idempotency_keys')
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('operation', 'text', (c) => c.notNull())
        .addColumn('request_fingerprint', 'text', (c) => c.notNull())
        .addColumn('reservation_id', 'uuid')
        .addColumn('outcome', 'jsonb')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['client_id', 'key'])
        .execute();
    },
  },
  '0002_reservation_subject': {
    // A reservation belongs to the client application and, when one signed in, to the end user
    // the client acted for. Rows written before this keep application-level ownership (null).
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('reservations').addColumn('subject', 'text').execute();
      await sql`create index reservations_by_owner on reservations
        (client_id, subject, created_at desc, id desc)`.execute(db);
      // Idempotency keys are the caller's own: two patients of one application may pick the same.
      await db.schema
        .alterTable('idempotency_keys')
        .addColumn('subject', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema
        .alterTable('idempotency_keys')
        .dropConstraint('idempotency_keys_pk')
        .execute();
      await db.schema
        .alterTable('idempotency_keys')
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['client_id', 'subject', 'key'])
        .execute();
    },
  },
  '0003_idempotency_claim_lease': {
    // Who runs a key's first call, and until when that claim holds unless renewed: a repeat can
    // tell a call still running on a live instance from one whose instance died, and take over.
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('idempotency_keys')
        .addColumn('claimed_by', 'text')
        .addColumn('lease_until', 'timestamptz')
        .execute();
    },
  },
  // The reconciler's claim on a PENDING reservation: look-ups so far and when the next may run.
  // A claim sets both in one statement, as a lease (no other instance takes the row until then)
  // and as backoff (a look-up that could not settle the row does not bring it back sooner).
  '0004_reconcile_attempts': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('reservations')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'timestamptz')
        .execute();
      await sql`create index reservations_due on reservations ((coalesce(next_attempt_at, updated_at)), id)
        where status = 'PENDING'`.execute(db);
    },
  },
  // The event feed (`reservationEvents`): each event's owner, so a caller's events are read by
  // index; the status a client last saw before it (a PENDING step between two others is not one
  // a client sees); and the transaction that wrote it, so events are read in commit order (see
  // `eventFeed.ts`). Rows written before keep transaction 0: they come first.
  '0005_reservation_event_feed': {
    async up(db: Kysely<unknown>) {
      await sql`alter table reservation_events disable trigger reservation_events_append_only`.execute(
        db,
      );
      await db.schema
        .alterTable('reservation_events')
        .addColumn('client_id', 'text')
        .addColumn('subject', 'text')
        .addColumn('previous_status', 'text')
        .addColumn('tx', sql`xid8`, (c) => c.notNull().defaultTo(sql`'0'::xid8`))
        .execute();
      await sql`update reservation_events e
        set client_id = r.client_id, subject = r.subject, previous_status = nullif(e.from_status, 'PENDING')
        from reservations r where r.id = e.reservation_id`.execute(db);
      await sql`alter table reservation_events alter column client_id set not null`.execute(db);
      await sql`alter table reservation_events alter column tx set default pg_current_xact_id()`.execute(
        db,
      );
      await sql`alter table reservation_events enable trigger reservation_events_append_only`.execute(
        db,
      );
      await sql`create index reservation_events_feed on reservation_events (client_id, tx, id)`.execute(
        db,
      );
      await sql`create index reservation_events_feed_by_subject on reservation_events
        (client_id, subject, tx, id)`.execute(db);
    },
  },
  // Changes at the clinic (`manager/createClinicChanges.ts`): a booking the clinic marked no-show;
  // who cancelled (the clinic's cancellations are the provider's); when the clinic last changed
  // the reservation (an older change arriving later is out of order and left alone); when the
  // sweep of live bookings looks it up next; every change a provider reported, once per id; and
  // each connection's position in its provider's change feed, with the lease of the one instance
  // that reads it.
  '0006_clinic_changes': {
    async up(db: Kysely<unknown>) {
      await sql`alter table reservations drop constraint reservations_status_check`.execute(db);
      await sql`alter table reservations add constraint reservations_status_check check
        (status in ('PENDING','HELD','CONFIRMED','CANCELLED','EXPIRED','FAILED','NO_SHOW'))`.execute(
        db,
      );
      await db.schema
        .alterTable('reservations')
        .addColumn('cancelled_by', 'text', (c) =>
          c.check(sql`cancelled_by in ('CLIENT','PROVIDER')`),
        )
        .addColumn('clinic_changed_at', 'timestamptz')
        .addColumn('checked_at', 'timestamptz')
        .execute();
      await sql`create index reservations_sweep on reservations
        ((coalesce(checked_at, updated_at)), id) where status = 'CONFIRMED'`.execute(db);
      await db.schema
        .createTable('provider_changes')
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('change_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
        .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
        .addColumn('reservation_id', 'uuid')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .addPrimaryKeyConstraint('provider_changes_pk', ['connection_id', 'change_id'])
        .execute();
      await sql`create index provider_changes_by_reservation on provider_changes (reservation_id)
        where reservation_id is not null`.execute(db);
      await db.schema
        .createTable('change_feed_positions')
        .addColumn('connection_id', 'text', (c) => c.primaryKey())
        .addColumn('cursor', 'text')
        .addColumn('reader', 'text')
        .addColumn('lease_until', 'timestamptz')
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .execute();
    },
  },
  // Slot watches (`manager/createAvailabilityWatches.ts`): what a patient waits for (a treatment,
  // clinics or providers or an area, a time before which a slot is wanted), until when; and the
  // slots that opened for each watch, once per slot, as events in commit order (the watch owner's
  // feed and the outbox of `availability.slot_opened` webhooks).
  '0007_availability_watches': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('availability_watches')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('treatment_id', 'text')
        .addColumn('connection_ids', sql`text[]`)
        .addColumn('clinic_keys', sql`text[]`)
        .addColumn('near_latitude', 'float8')
        .addColumn('near_longitude', 'float8')
        .addColumn('radius_km', 'float8')
        .addColumn('from_at', 'timestamptz', (c) => c.notNull())
        .addColumn('before_at', 'timestamptz', (c) => c.notNull())
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('cancelled_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .execute();
      await sql`create index availability_watches_open on availability_watches (expires_at)
        where cancelled_at is null`.execute(db);
      await sql`create index availability_watches_by_owner on availability_watches
        (client_id, subject, created_at desc)`.execute(db);
      await db.schema
        .createTable('availability_events')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('watch_id', 'uuid', (c) => c.notNull().references('availability_watches.id'))
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('connection_id', 'text', (c) => c.notNull())
        .addColumn('slot_id', 'text', (c) => c.notNull())
        .addColumn('slot', 'jsonb', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull())
        .addColumn('tx', sql`xid8`, (c) => c.notNull().defaultTo(sql`pg_current_xact_id()`))
        .addUniqueConstraint('availability_events_once_per_slot', [
          'watch_id',
          'connection_id',
          'slot_id',
        ])
        .execute();
      await sql`create index availability_events_feed on availability_events (client_id, tx, id)`.execute(
        db,
      );
    },
  },
  // Webhooks (`manager/createWebhookDelivery.ts`): the endpoints a client application registered,
  // with their signing secret sealed; one delivery per event and endpoint, with its attempts, its
  // schedule and the lease of the instance sending it; and how far the fan-out of each outbox
  // (reservation events, availability events) to deliveries has got, a row each, locked while an
  // instance fans out.
  '0008_webhooks': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('webhook_endpoints')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('event_types', sql`text[]`)
        .addColumn('secret_sealed', 'text', (c) => c.notNull())
        .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
        .addColumn('disabled_reason', 'text')
        .addColumn('failing_since', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
        .execute();
      await sql`create index webhook_endpoints_by_client on webhook_endpoints (client_id)`.execute(
        db,
      );
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('endpoint_id', 'uuid', (c) =>
          c.notNull().references('webhook_endpoints.id').onDelete('cascade'),
        )
        // The event sent: a reservation's, or a watch's (exactly one of the two).
        .addColumn('event_id', 'bigint', (c) => c.references('reservation_events.id'))
        .addColumn('availability_event_id', 'bigint', (c) => c.references('availability_events.id'))
        // Whose events an endpoint gets in order: the reservation's, or the watch's.
        .addColumn('stream_id', 'uuid', (c) => c.notNull())
        .addColumn('status', 'text', (c) =>
          c.notNull().check(sql`status in ('PENDING','DELIVERED','FAILED')`),
        )
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull())
        .addColumn('lease_until', 'timestamptz')
        .addColumn('last_attempt_at', 'timestamptz')
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull())
        .addColumn('delivered_at', 'timestamptz')
        .addCheckConstraint(
          'webhook_deliveries_one_event',
          sql`(event_id is null) <> (availability_event_id is null)`,
        )
        .execute();
      await sql`create index webhook_deliveries_due on webhook_deliveries (next_attempt_at, id)
        where status = 'PENDING'`.execute(db);
      await sql`create index webhook_deliveries_in_order on webhook_deliveries
        (endpoint_id, stream_id, id) where status = 'PENDING'`.execute(db);
      await sql`create index webhook_deliveries_log on webhook_deliveries (endpoint_id, id desc)`.execute(
        db,
      );
      await db.schema
        .createTable('webhook_fanout')
        // One row per source: 1 reservation events, 2 availability events.
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id in (1, 2)`))
        .addColumn('tx', sql`xid8`, (c) => c.notNull())
        .addColumn('event_id', 'bigint', (c) => c.notNull())
        .execute();
      // Fan-out starts at the present: events written before webhooks existed are in the feed.
      await sql`insert into webhook_fanout (id, tx, event_id)
        select 1, coalesce(max(tx), '0'::xid8), coalesce(max(id), 0) from reservation_events`.execute(
        db,
      );
      await sql`insert into webhook_fanout (id, tx, event_id)
        select 2, coalesce(max(tx), '0'::xid8), coalesce(max(id), 0) from availability_events`.execute(
        db,
      );
    },
  },
  // Where each reservation's story starts in the traces: the W3C traceparent of the span that
  // created it (the hold, the one-step booking, the reschedule), written with the row in its
  // insert. Later spans about it (confirm, cancel, reschedule, reconciliation, clinic changes,
  // webhooks) link to that span. Rows written before have none, and their spans no link.
  '0009_reservation_trace_origin': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('reservations').addColumn('origin_traceparent', 'text').execute();
    },
  },
};
