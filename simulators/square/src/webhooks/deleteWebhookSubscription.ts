import { type Operation, ok } from '../operation.js';
import { findSubscription } from './readSubscription.js';

/** `DELETE /v2/webhooks/subscriptions/{subscription_id}` [DeleteWebhookSubscription]: `{}`. */
export const deleteWebhookSubscription: Operation = (store, { params }) => {
  const subscription = findSubscription(store, params[0]);
  store.webhooks.subscriptions.delete(subscription.id);
  return ok({});
};
