import type { ReservationStatus } from './reservationRules.js';

/** The event types an endpoint can take; an endpoint without a list takes every one. */
export const webhookEventTypes = [
  'reservation.held',
  'reservation.confirmed',
  'reservation.cancelled',
  'reservation.expired',
  'reservation.failed',
  'reservation.moved',
  'reservation.no_show',
  'availability.slot_opened',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const isWebhookEventType = (type: string): type is WebhookEventType =>
  (webhookEventTypes as readonly string[]).includes(type);

/** How deliveries are retried, and when an endpoint that keeps failing is disabled. */
export interface RetryPolicy {
  /** The wait before the second attempt; each later wait doubles. */
  firstRetryMs: number;
  /** The longest wait between two attempts. */
  maxRetryMs: number;
  /** Attempts in all; the delivery FAILED after the last (redeliver or replay it). */
  maxAttempts: number;
  /** An endpoint every delivery to which failed for this long is disabled. */
  disableAfterMs: number;
}

/** 5 s, 10 s, 20 s … doubling to 4 h, 20 attempts: about a day and a half of trying. */
export const defaultRetryPolicy: RetryPolicy = {
  firstRetryMs: 5_000,
  maxRetryMs: 4 * 3600_000,
  maxAttempts: 20,
  disableAfterMs: 3 * 24 * 3600_000,
};

/**
 * When to try a delivery again after its `attempts`-th attempt failed, or null when that was the
 * last: exponential backoff, with jitter (a random share of up to half of the wait taken off) so
 * that the deliveries an outage held back do not all come back at the same moment.
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  attempts: number,
  nowMs: number,
  random: () => number = Math.random,
): Date | null {
  if (attempts >= policy.maxAttempts) return null;
  const wait = Math.min(policy.maxRetryMs, policy.firstRetryMs * 2 ** Math.min(attempts - 1, 30));
  return new Date(nowMs + Math.round(wait * (1 - random() / 2)));
}

/** Whether an endpoint failing since `failingSinceMs` is to be disabled now. */
export const failedTooLong = (policy: RetryPolicy, failingSinceMs: number | null, nowMs: number) =>
  failingSinceMs !== null && nowMs - failingSinceMs >= policy.disableAfterMs;

/** A slot as a webhook tells it: public ids and instants. */
export interface WebhookSlot {
  id: string;
  providerId: string;
  clinicId: string;
  start: string;
  end: string;
}

/** What a watch's webhook says: a slot it waited for opened (`availability.slot_opened`). */
export interface SlotOpenedWebhook {
  type: 'availability.slot_opened';
  timestamp: string;
  data: {
    /** The event's public id, as in `availabilityEvents`; the `webhook-id` header. */
    id: string;
    watchId: string;
    slot: WebhookSlot & { treatmentIds: string[] };
  };
}

/** What a reservation event's webhook says (Standard Webhooks: `type`, `timestamp`, `data`). */
export interface ReservationWebhook {
  type: string;
  timestamp: string;
  data: {
    /** The event's public id: the same as the `webhook-id` header, to de-duplicate by. */
    id: string;
    status: Exclude<ReservationStatus, 'PENDING'>;
    previousStatus: ReservationStatus | null;
    source: 'CLIENT' | 'PROVIDER' | 'PLATFORM';
    reservation: {
      id: string;
      status: ReservationStatus;
      cancelledBy: 'CLIENT' | 'PROVIDER' | null;
      providerReference: string | null;
      slot: WebhookSlot;
      createdAt: string;
      updatedAt: string;
    };
  };
}
