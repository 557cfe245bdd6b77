import { type Operation, ok } from '../operation.js';
import { bookingEventsSince, bookingEventTypes } from './createSellerWebhooks.js';

/** `GET /v2/webhooks/event-types` [ListWebhookEventTypes]: the event types the simulator publishes. */
export const listWebhookEventTypes: Operation = () =>
  ok({
    event_types: [...bookingEventTypes],
    metadata: bookingEventTypes.map((event_type) => ({
      event_type,
      api_version_introduced: bookingEventsSince,
      release_status: 'PUBLIC',
    })),
  });
