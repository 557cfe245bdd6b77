import { invalid } from '../errors.js';
import { type Operation, ok } from '../operation.js';
import { page } from '../paging.js';
import { queryBoolean, queryInteger } from '../readFields.js';
import { shown } from './readSubscription.js';

/**
 * `GET /v2/webhooks/subscriptions` [ListWebhookSubscriptions]: the enabled subscriptions (all with
 * `include_disabled=true`), by creation (`sort_order` ASC, the default, or DESC); `limit` 1..100
 * (default 100) and `cursor`. Without signature keys: RetrieveWebhookSubscription gives one.
 */
export const listWebhookSubscriptions: Operation = (store, { query }) => {
  const limit = queryInteger(query, 'limit', 1, 100) ?? 100;
  const includeDisabled = queryBoolean(query, 'include_disabled') ?? false;
  const order = query.get('sort_order') || 'ASC';
  if (order !== 'ASC' && order !== 'DESC') {
    throw invalid('INVALID_ENUM_VALUE', `Invalid sort_order ${order}.`, 'sort_order');
  }
  const all = [...store.webhooks.subscriptions.values()].filter(
    (s) => includeDisabled || s.enabled,
  );
  if (order === 'DESC') all.reverse();
  const { items, cursor } = page(all, query.get('cursor'), limit);
  return ok({ subscriptions: items.map((s) => shown(s, false)), ...(cursor ? { cursor } : {}) });
};
