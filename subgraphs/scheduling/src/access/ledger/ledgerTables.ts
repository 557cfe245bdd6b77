import type { ColumnType, Generated } from 'kysely';

import type {
  CancelledBy,
  HoldKind,
  PendingOperation,
  ReservationStatus,
} from '../../engines/reservationRules.js';

export type { CancelledBy, HoldKind, PendingOperation, ReservationStatus };

/** What the platform knows of the slot a reservation is for; providers stop listing booked slots. */
export interface SlotSnapshot {
  clinicId: string;
  start: string;
  end: string;
  treatmentIds: string[];
  requestedTreatmentId: string | null;
  practitioner: { id: string; name: string } | null;
}

type Timestamp = ColumnType<Date, Date, Date>;

export interface ReservationsTable {
  id: string;
  /** The client application that made it. */
  client_id: string;
  /** The end user it was made for; null when made by a backend client (or before subjects). */
  subject: string | null;
  connection_id: string;
  slot_id: string;
  status: ReservationStatus;
  pending_operation: PendingOperation | null;
  /** Where a PENDING reservation goes back to when its provider call definitely did nothing. */
  resume_status: ReservationStatus | null;
  hold_kind: HoldKind | null;
  expires_at: Timestamp | null;
  provider_reference: string | null;
  start_at: Timestamp;
  slot_snapshot: ColumnType<SlotSnapshot, string, string>;
  /** The patient, encrypted (AES-256-GCM); needed to book again when rescheduling. */
  patient_sealed: string | null;
  rescheduled_from: string | null;
  failure_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
  /** Reconciliation look-ups of this PENDING reservation so far; 0 after every transition. */
  attempts: Generated<number>;
  /** While PENDING: when the reconciler may claim it next (its lease and backoff); else null. */
  next_attempt_at: Timestamp | null;
  /** Set when CANCELLED at the clinic (`PROVIDER`); null for the client's own cancellations. */
  cancelled_by: Generated<CancelledBy | null>;
  /** When the clinic last changed it (the provider's time): older changes are out of order. */
  clinic_changed_at: Generated<Date | null>;
  /** When the sweep last looked it up at its provider (null: not yet; its last change counts). */
  checked_at: Generated<Date | null>;
  /**
   * The W3C traceparent of the span that created it, which later spans about it link to; null
   * when nothing was traced (or it was written before this column).
   */
  origin_traceparent: Generated<string | null>;
}

/** Every change a provider reported, once per (connection, change id), and what came of it. */
export interface ProviderChangesTable {
  connection_id: string;
  change_id: string;
  kind: string;
  /** `PUSH` or `POLL` as the provider says; `LOOKUP` for one the sweep found. */
  source: string;
  occurred_at: Timestamp;
  recorded_at: Timestamp;
  reservation_id: string | null;
  /** `APPLIED`, `CURRENT` (nothing to change), `OUT_OF_ORDER`, `UNKNOWN_RESERVATION`, … */
  outcome: string;
  /** Never patient data: statuses, times, slot ids. */
  detail: ColumnType<Record<string, unknown>, string, string>;
}

/** Where scheduling is in a connection's change feed, and which instance reads it until when. */
export interface ChangeFeedPositionsTable {
  connection_id: string;
  cursor: string | null;
  reader: string | null;
  lease_until: Timestamp | null;
  updated_at: Timestamp;
}

export interface ReservationEventsTable {
  id: Generated<string>;
  reservation_id: string;
  from_status: ReservationStatus | null;
  to_status: ReservationStatus;
  operation: string;
  /** Never patient data: codes, references and reasons only. */
  detail: ColumnType<Record<string, unknown>, string, string>;
  at: Timestamp;
  /** The reservation's owner, as on `reservations`: the event feed reads by it. */
  client_id: string;
  subject: string | null;
  /**
   * The status a client saw before this event: `from_status`, or while that was PENDING the status
   * the reservation resumes to (null for a new one). An event to the same status is no change.
   */
  previous_status: ReservationStatus | null;
  /** The transaction that wrote it (`pg_current_xact_id()`, as text): the feed's commit order. */
  tx: Generated<string>;
}

export interface IdempotencyKeysTable {
  client_id: string;
  /** The caller's end user; `''` for a backend client. */
  subject: string;
  key: string;
  operation: string;
  request_fingerprint: string;
  reservation_id: string | null;
  outcome: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  created_at: Timestamp;
  /** The instance running the key's call; null on claims older than leases. */
  claimed_by: string | null;
  /** Until when that instance holds the claim; it renews the lease while the call runs. */
  lease_until: Timestamp | null;
}

/** An endpoint a client application registered for webhooks. */
export interface WebhookEndpointsTable {
  id: string;
  client_id: string;
  url: string;
  description: string | null;
  /** The event types it takes (`reservation.cancelled`, …); null takes every type. */
  event_types: string[] | null;
  /** The signing secret (`whsec_…`), sealed with the data key. */
  secret_sealed: string;
  enabled: Generated<boolean>;
  /** Why it was disabled: by its owner, or because it failed for too long. */
  disabled_reason: string | null;
  /** Since when every delivery to it has failed; null while it answers. */
  failing_since: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A patient's standing request: tell me when a slot like this opens before a time. */
export interface AvailabilityWatchesTable {
  id: string;
  client_id: string;
  subject: string | null;
  /** Platform treatment id; null: any. */
  treatment_id: string | null;
  /** Provider connections; null: any. */
  connection_ids: string[] | null;
  /** `<connection id>|<clinic id>`; null: any. */
  clinic_keys: string[] | null;
  near_latitude: number | null;
  near_longitude: number | null;
  radius_km: number | null;
  /** Slots starting in [from_at, before_at) match. */
  from_at: Timestamp;
  before_at: Timestamp;
  expires_at: Timestamp;
  cancelled_at: Timestamp | null;
  created_at: Timestamp;
}

/** A slot that opened for a watch: once per (watch, slot); the feed and the webhooks' outbox. */
export interface AvailabilityEventsTable {
  id: Generated<string>;
  watch_id: string;
  client_id: string;
  subject: string | null;
  connection_id: string;
  slot_id: string;
  slot: ColumnType<SlotSnapshot, string, string>;
  at: Timestamp;
  tx: Generated<string>;
}

/** One event to one endpoint: its attempts, its schedule, and who is sending it. */
export interface WebhookDeliveriesTable {
  id: Generated<string>;
  endpoint_id: string;
  /** A reservation event's id, or null for an availability event. */
  event_id: string | null;
  availability_event_id: string | null;
  /** The reservation or watch whose events an endpoint gets in order. */
  stream_id: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  /** Until when the instance that claimed it is sending it; another takes it over after. */
  lease_until: Timestamp | null;
  last_attempt_at: Timestamp | null;
  /** The endpoint's HTTP status at the last attempt; null when it did not answer. */
  last_status: number | null;
  /** Why the last attempt failed: a status, a timeout, a refused connection. */
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
}

/**
 * How far an outbox was fanned out to deliveries (row 1: reservation events, 2: availability
 * events): after event `event_id` of transaction `tx`.
 */
export interface WebhookFanoutTable {
  id: number;
  tx: string;
  event_id: string;
}

export interface LedgerTables {
  reservations: ReservationsTable;
  reservation_events: ReservationEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  provider_changes: ProviderChangesTable;
  change_feed_positions: ChangeFeedPositionsTable;
  availability_watches: AvailabilityWatchesTable;
  availability_events: AvailabilityEventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_fanout: WebhookFanoutTable;
}
