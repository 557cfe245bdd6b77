import { type Operation, ok } from '../operation.js';
import { findSubscription, shown } from './readSubscription.js';

/** `GET /v2/webhooks/subscriptions/{subscription_id}` [RetrieveWebhookSubscription], with its signature key. */
export const retrieveWebhookSubscription: Operation = (store, { params }) =>
  ok({ subscription: shown(findSubscription(store, params[0]), true) });
