import { randomBytes, randomUUID } from 'node:crypto';
import type { Booking } from '../createSellerStore.js';
import { formatTime } from '../time.js';
import type { WebhookDelivery } from './createWebhookDelivery.js';

/** The event types the simulator publishes (the Bookings API's), with the version they came in. */
export const bookingEventTypes = ['booking.created', 'booking.updated'] as const;
export type BookingEventType = (typeof bookingEventTypes)[number];
export const bookingEventsSince = '2020-12-16';

/** Square's `WebhookSubscription`, as the simulator keeps it (with its signature key). */
export interface WebhookSubscription {
  id: string;
  name?: string;
  enabled: boolean;
  event_types: string[];
  notification_url: string;
  api_version: string;
  signature_key: string;
  created_at: string;
  updated_at: string;
}

/** Square's `BookingCreatedEvent` / `BookingUpdatedEvent`. */
export interface BookingEvent {
  merchant_id: string;
  type: BookingEventType;
  event_id: string;
  created_at: string;
  data: { type: 'booking'; id: string; object: { booking: Booking } };
}

/** One seller's webhook subscriptions, and the publishing of its booking events to them. */
export interface SellerWebhooks {
  readonly merchantId: string;
  /** By id, in the order they were made. */
  readonly subscriptions: Map<string, WebhookSubscription>;
  /** A new subscription id (`wbhk_` and 32 hex digits, as Square's). */
  newId(): string;
  /** A new signature key (22 URL-safe characters, as Square's). */
  newSignatureKey(): string;
  /**
   * A booking was created or changed: the event goes to every enabled subscription of the seller
   * that takes its type, each delivered on its own. Answers the event.
   */
  publish(type: BookingEventType, booking: Booking): BookingEvent;
}

/**
 * A seller's webhooks. Square keeps subscriptions per application; the simulator has no
 * application apart from the seller's token, so a subscription belongs to the seller whose token
 * made it and gets that seller's events. They outlive `/_admin/reset` (they are the client's
 * configuration, not the seller's calendar).
 */
export function createSellerWebhooks(
  merchantId: string,
  options: { clock: () => Date; delivery: WebhookDelivery },
): SellerWebhooks {
  const subscriptions = new Map<string, WebhookSubscription>();
  return {
    merchantId,
    subscriptions,
    newId: () => `wbhk_${randomUUID().replaceAll('-', '')}`,
    newSignatureKey: () => randomBytes(16).toString('base64url'),
    publish(type, booking) {
      const event: BookingEvent = {
        merchant_id: merchantId,
        type,
        event_id: randomUUID(),
        created_at: formatTime(options.clock().getTime()),
        // Square's examples name the data object by booking id and version.
        data: {
          type: 'booking',
          id: `${booking.id}:${booking.version}`,
          object: { booking: structuredClone(booking) },
        },
      };
      for (const subscription of subscriptions.values()) {
        if (!subscription.enabled || !subscription.event_types.includes(type)) continue;
        options.delivery.send(subscription, event);
      }
      return event;
    },
  };
}
