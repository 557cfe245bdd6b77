import { createHash, randomUUID } from 'node:crypto';
import * as kit from '@booking/provider-kit';
import { z } from 'zod';
import * as square from '../__generated__/client.gen.js';
import type { SquareClient } from '../client/createSquareClient.js';
import { bookingEventTypes } from './bookingEvent.js';

/** Names this process's create requests: a retry after a lost answer makes no second subscription. */
const run = randomUUID();

/** The signature key Square answers a subscription's create and retrieve with. */
const keyOf = (answer: { subscription?: { signature_key?: string } | undefined }) =>
  kit.parseVendorValue(
    z.string().min(1),
    answer.subscription?.signature_key,
    'Square subscription key',
  );

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
  options: {
    /** This connection's push URL (`ConnectContext.pushUrl`): Square signs it with every event. */
    notificationUrl: string;
    /** The `Square-Version` the events are written in. */
    apiVersion: string;
  },
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
    // 43 characters of the 45 Square takes.
    const idempotency_key = createHash('sha256')
      .update(`${run}|${notificationUrl}`)
      .digest('base64url');
    const subscription = {
      name: 'Vården booking platform',
      event_types: bookingEventTypes,
      notification_url: notificationUrl,
      api_version: options.apiVersion,
    };
    const request = square.CreateWebhookSubscription({ body: { idempotency_key, subscription } });
    return [keyOf(await client.value(request, budget))];
  }
  return Promise.all(
    mine.map(async (found) => {
      const path = { subscription_id: found.id as string };
      const types = found.event_types ?? [];
      if (found.enabled !== true || bookingEventTypes.some((t) => !types.includes(t))) {
        const event_types = [...new Set([...types, ...bookingEventTypes])];
        const body = { subscription: { enabled: true, event_types } };
        await client.value(square.UpdateWebhookSubscription({ path, body }), budget);
      }
      return keyOf(await client.value(square.RetrieveWebhookSubscription({ path }), budget));
    }),
  );
}
