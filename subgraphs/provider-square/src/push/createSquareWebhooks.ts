import * as kit from '@booking/provider-kit';
import type { SquareClient } from '../client/createSquareClient.js';
import type { SlotKey } from '../mapping.js';
import type { SquareSettings } from '../provider.js';
import { subscribeToBookingEvents } from './subscribeToBookingEvents.js';

/**
 * A connection's webhook side, when the kit gives it a push URL (`SQUARE_PUSH_BASE_URL`); else
 * undefined, and the connection reports no changes. Asking for the change log gives the connection
 * the CHANGES capability. The subscription is made in the background, tried again until it
 * succeeds. Its signature keys live in memory only: a restart finds the subscription again by its
 * URL and reads the key back, so nothing secret is stored, and a key rotated at Square
 * (UpdateWebhookSubscriptionSignatureKey) is taken up by the next restart. Until a key is known,
 * pushes are answered 503, which Square retries.
 */
export function createSquareWebhooks(
  client: SquareClient,
  /** The `Square-Version` events are written in: the connection's. */
  apiVersion: string,
  context: kit.ConnectContext<SquareSettings>,
) {
  const notificationUrl = context.pushUrl;
  if (notificationUrl === undefined) return undefined;
  let keys: readonly string[] = [];
  const subscription = context.background({
    label: 'Square webhook subscription',
    async run(budget) {
      keys = await subscribeToBookingEvents(client, { notificationUrl, apiVersion }, budget);
      context.logger.info('subscribed to Square booking events');
    },
  });
  return {
    notificationUrl,
    subscription,
    signatureKeys: () => keys,
    changes: context.changeLog(),
    // What was last reported of each booking: to order its events and tell a move.
    versions: kit.createVersionMemory<kit.BookingState<SlotKey> & { version: number }>(),
    maxAgeMs: context.settings.SQUARE_PUSH_MAX_AGE_MS,
    now: context.now,
  };
}
