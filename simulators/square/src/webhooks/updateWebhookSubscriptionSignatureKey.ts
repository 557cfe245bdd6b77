import { idempotent } from '../idempotent.js';
import { type Operation, ok } from '../operation.js';
import { asObject, optionalString } from '../readFields.js';
import { formatTime } from '../time.js';
import { findSubscription } from './readSubscription.js';

/**
 * `POST /v2/webhooks/subscriptions/{subscription_id}/signature-key`
 * [UpdateWebhookSubscriptionSignatureKey]: a new signature key, answered once; notifications
 * published from then on are signed with it (those already on their way keep the old one).
 */
export const updateWebhookSubscriptionSignatureKey: Operation = (store, { params, body }) => {
  const subscription = findSubscription(store, params[0]);
  const request = asObject(body ?? {}, '');
  const key = optionalString(request, 'idempotency_key', 'idempotency_key', 45);
  return idempotent(
    store,
    `UpdateWebhookSubscriptionSignatureKey|${subscription.id}`,
    key,
    request,
    () => {
      subscription.signature_key = store.webhooks.newSignatureKey();
      subscription.updated_at = formatTime(store.clock().getTime());
      return ok({ signature_key: subscription.signature_key });
    },
  );
};
