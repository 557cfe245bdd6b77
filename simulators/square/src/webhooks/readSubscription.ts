import type { SellerStore } from '../createSellerStore.js';
import { invalid, notFound } from '../errors.js';
import { type Fields, optionalString } from '../readFields.js';
import { bookingEventTypes, type WebhookSubscription } from './createSellerWebhooks.js';

const apiVersion = /^\d{4}-\d{2}-\d{2}$/;

/** The subscription named by the path, or Square's 404 NOT_FOUND. */
export function findSubscription(store: SellerStore, id: string | undefined): WebhookSubscription {
  const found = id === undefined ? undefined : store.webhooks.subscriptions.get(id);
  if (!found) throw notFound(`Subscription ${id ?? ''} was not found.`, 'subscription_id');
  return found;
}

/** A subscription as Square answers it; lists leave the signature key out. */
export function shown(subscription: WebhookSubscription, withKey: boolean) {
  const { signature_key, ...rest } = subscription;
  return withKey ? { ...rest, signature_key } : rest;
}

/**
 * The writable fields of a `WebhookSubscription` in a create or update (`subscription.…`); the
 * read-only ones (`id`, `signature_key`, timestamps) are ignored, as Square ignores them. Square
 * wants an HTTPS notification URL; the simulator also takes `http:`, since it runs beside
 * development servers without certificates.
 */
export function readSubscriptionFields(fields: Fields) {
  const name = optionalString(fields, 'name', 'subscription.name', 64);
  const url = optionalString(fields, 'notification_url', 'subscription.notification_url', 2048);
  if (url !== undefined && !isWebUrl(url)) {
    throw invalid(
      'INVALID_VALUE',
      'The notification URL must be an absolute HTTPS URL.',
      'subscription.notification_url',
    );
  }
  const version = optionalString(fields, 'api_version', 'subscription.api_version', 10);
  if (version !== undefined && !apiVersion.test(version)) {
    throw invalid('INVALID_VALUE', 'api_version must be YYYY-MM-DD.', 'subscription.api_version');
  }
  const enabled = fields.enabled;
  if (enabled !== undefined && enabled !== null && typeof enabled !== 'boolean') {
    throw invalid('EXPECTED_BOOLEAN', 'Expected a boolean.', 'subscription.enabled');
  }
  const types = fields.event_types;
  let eventTypes: string[] | undefined;
  if (types !== undefined && types !== null) {
    if (!Array.isArray(types)) {
      throw invalid('EXPECTED_ARRAY', 'Expected an array.', 'subscription.event_types');
    }
    eventTypes = types.map((type, i) => {
      const field = `subscription.event_types[${i}]`;
      if (typeof type !== 'string') throw invalid('EXPECTED_STRING', 'Expected a string.', field);
      if (!(bookingEventTypes as readonly string[]).includes(type)) {
        throw invalid('INVALID_VALUE', `Event type ${type} is not supported.`, field);
      }
      return type;
    });
  }
  return {
    ...(name !== undefined && { name }),
    ...(url !== undefined && { notification_url: url }),
    ...(version !== undefined && { api_version: version }),
    ...(typeof enabled === 'boolean' && { enabled }),
    ...(eventTypes !== undefined && { event_types: [...new Set(eventTypes)] }),
  };
}

function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hash === '';
  } catch {
    return false;
  }
}
