import { createHash, randomUUID } from 'node:crypto';
import type * as kit from '@booking/provider-kit';
import * as square from '../__generated__/client.gen.js';
import type { SquareClient } from '../client/createSquareClient.js';

/** The events a connection subscribes to: every booking created or changed, from any channel. */
export const subscribedEvents = ['booking.created', 'booking.updated'];

/** Names this process's create requests: a retry after a lost answer makes no second subscription. */
const run = randomUUID();

/**
 * Makes sure the seller has an enabled webhook subscription for `notificationUrl` with the booking
 * events, and answers the signature keys of every subscription with that URL (normally one; more
 * when an earlier create's answer was lost and it was made again). An existing subscription is
 * reused — enabled and given the booking events if it lacks them — and its key read back
 * (RetrieveWebhookSubscription: lists leave keys out); otherwise one is created, whose answer
 * carries the key.
 * @link https://developer.squareup.com/reference/square/webhook-subscriptions-api
 */
export async function subscribeToBookingEvents(
  client: SquareClient,
  options: { notificationUrl: string; apiVersion: string; name: string },
  budget: kit.RequestBudget,
): Promise<string[]> {
  const { notificationUrl } = options;
  const listed = await client.all(
    (cursor) => square.ListWebhookSubscriptions({ query: { include_disabled: true, cursor } }),
    (page) => page.subscriptions,
    budget,
  );
  const mine = listed.filter((s) => s.notification_url === notificationUrl && s.id);
  if (mine.length === 0) {
    const idempotency_key = createHash('sha256')
      .update(`${run}|${notificationUrl}`)
      .digest('base64url')
      .slice(0, 45);
    const subscription = {
      name: options.name.slice(0, 64),
      event_types: subscribedEvents,
      notification_url: notificationUrl,
      api_version: options.apiVersion,
    };
    const request = square.CreateWebhookSubscription({ body: { idempotency_key, subscription } });
    const created = await client.value(request, budget);
    const key = created.subscription?.signature_key;
    if (!key) throw new Error('Square answered a subscription without a signature key');
    return [key];
  }
  return Promise.all(
    mine.map(async (found) => {
      const path = { subscription_id: found.id as string };
      const types = found.event_types ?? [];
      if (found.enabled !== true || subscribedEvents.some((t) => !types.includes(t))) {
        const event_types = [...new Set([...types, ...subscribedEvents])];
        const body = { subscription: { enabled: true, event_types } };
        await client.value(square.UpdateWebhookSubscription({ path, body }), budget);
      }
      const read = await client.value(square.RetrieveWebhookSubscription({ path }), budget);
      const key = read.subscription?.signature_key;
      if (!key) throw new Error('Square answered a subscription without a signature key');
      return key;
    }),
  );
}
