import { squareVersion } from '../answerSquareApi.js';
import { invalid } from '../errors.js';
import { idempotent } from '../idempotent.js';
import { type Operation, ok } from '../operation.js';
import { asObject, optionalString, requireValue } from '../readFields.js';
import { formatTime } from '../time.js';
import type { WebhookSubscription } from './createSellerWebhooks.js';
import { readSubscriptionFields, shown } from './readSubscription.js';

/**
 * `POST /v2/webhooks/subscriptions` [CreateWebhookSubscription]: `subscription.notification_url`
 * and a non-empty `subscription.event_types` are required; the answer carries the new
 * `signature_key`, with which every notification to the subscription is signed. Enabled unless
 * `enabled: false`. Idempotent by `idempotency_key` (at most 45 characters).
 */
export const createWebhookSubscription: Operation = (store, { body }) => {
  const request = asObject(body ?? {}, '');
  const key = optionalString(request, 'idempotency_key', 'idempotency_key', 45);
  const fields = asObject(requireValue(request, 'subscription', 'subscription'), 'subscription');
  const patch = readSubscriptionFields(fields);
  if (patch.notification_url === undefined) {
    throw invalid(
      'MISSING_REQUIRED_PARAMETER',
      'Missing required parameter subscription.notification_url.',
      'subscription.notification_url',
    );
  }
  if (!patch.event_types?.length) {
    throw invalid(
      'MISSING_REQUIRED_PARAMETER',
      'Missing required parameter subscription.event_types.',
      'subscription.event_types',
    );
  }
  const { notification_url, event_types } = patch;
  return idempotent(store, 'CreateWebhookSubscription', key, request, () => {
    const now = formatTime(store.clock().getTime());
    const subscription: WebhookSubscription = {
      id: store.webhooks.newId(),
      ...(patch.name !== undefined && { name: patch.name }),
      enabled: patch.enabled ?? true,
      event_types,
      notification_url,
      api_version: patch.api_version ?? squareVersion,
      signature_key: store.webhooks.newSignatureKey(),
      created_at: now,
      updated_at: now,
    };
    store.webhooks.subscriptions.set(subscription.id, subscription);
    return ok({ subscription: shown(subscription, true) });
  });
};
