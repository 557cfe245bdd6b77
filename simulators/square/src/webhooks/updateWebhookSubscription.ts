import { invalid } from '../errors.js';
import { type Operation, ok } from '../operation.js';
import { asObject } from '../readFields.js';
import { formatTime } from '../time.js';
import { findSubscription, readSubscriptionFields, shown } from './readSubscription.js';

/**
 * `PUT /v2/webhooks/subscriptions/{subscription_id}` [UpdateWebhookSubscription]: the fields given
 * in `subscription` (`name`, `enabled`, `event_types`, `notification_url`, `api_version`) replace
 * the stored ones; the signature key stays (UpdateWebhookSubscriptionSignatureKey replaces it).
 */
export const updateWebhookSubscription: Operation = (store, { params, body }) => {
  const subscription = findSubscription(store, params[0]);
  const request = asObject(body ?? {}, '');
  const patch = readSubscriptionFields(asObject(request.subscription ?? {}, 'subscription'));
  if (patch.event_types?.length === 0) {
    throw invalid('INVALID_VALUE', 'event_types must not be empty.', 'subscription.event_types');
  }
  Object.assign(subscription, patch, { updated_at: formatTime(store.clock().getTime()) });
  return ok({ subscription: shown(subscription, false) });
};
