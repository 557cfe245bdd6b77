import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { ReservationActor, ReservationStatus } from './__generated__/graphql.js';

/**
 * What the platform POSTs to a webhook endpoint (Standard Webhooks: `type`, `timestamp`, `data`).
 * `data.id` is the event's id, the same as the `webhook-id` header and as `reservationEvents`'
 * `id`: a receiver keeps the ids it has handled and skips a repeat (delivery is at least once).
 */
export interface ReservationWebhook {
  type:
    | 'reservation.held'
    | 'reservation.confirmed'
    | 'reservation.cancelled'
    | 'reservation.expired'
    | 'reservation.failed'
    | 'reservation.moved'
    | 'reservation.no_show';
  /** When the event happened, RFC 3339. */
  timestamp: string;
  data: {
    id: string;
    status: Exclude<ReservationStatus, 'PENDING'>;
    previousStatus: ReservationStatus | null;
    /** Who made the change: `PROVIDER` is the clinic, in its own system. */
    source: ReservationActor;
    reservation: {
      id: string;
      status: ReservationStatus;
      cancelledBy: Exclude<ReservationActor, 'PLATFORM'> | null;
      providerReference: string | null;
      slot: { id: string; providerId: string; clinicId: string; start: string; end: string };
      createdAt: string;
      updatedAt: string;
    };
  };
}

/** A slot a watch waited for opened (`availability.slot_opened`). */
export interface SlotOpenedWebhook {
  type: 'availability.slot_opened';
  timestamp: string;
  data: {
    /** The event's id, as `availabilityEvents`' `id`: de-duplicate by it. */
    id: string;
    watchId: string;
    slot: {
      id: string;
      providerId: string;
      clinicId: string;
      start: string;
      end: string;
      treatmentIds: string[];
    };
  };
}

/** Whatever the platform sends: a reservation's event, or a slot a watch saw open. */
export type BookingWebhook = ReservationWebhook | SlotOpenedWebhook;

/** A webhook that is not from the platform, was altered, or is too old (a replay). */
export class WebhookSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

/**
 * Checks a webhook the platform sent and answers its content: the `webhook-signature` over the
 * raw body with the endpoint's secret (`whsec_…`), and a `webhook-timestamp` within five minutes
 * of now, which refuses a replayed request. Pass the body exactly as received (a string or bytes),
 * not re-serialised JSON. Throws `WebhookSignatureError` otherwise.
 */
export function verifyWebhook(
  body: string | Uint8Array,
  headers: Record<string, string | string[] | undefined> | Headers,
  secret: string,
): BookingWebhook {
  const header = (name: string) => {
    const value = headers instanceof Headers ? headers.get(name) : headers[name];
    return Array.isArray(value) ? value[0] : (value ?? undefined);
  };
  const wanted = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;
  const given = Object.fromEntries(wanted.map((name) => [name, header(name) ?? '']));
  try {
    return new Webhook(secret).verify(body, given) as BookingWebhook;
  } catch (error) {
    if (error instanceof WebhookVerificationError) throw new WebhookSignatureError(error.message);
    throw error;
  }
}
