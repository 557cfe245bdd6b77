import { randomBytes } from 'node:crypto';
import type {
  WebhookDeliveryRecord,
  WebhookEndpointRecord,
  WebhookStore,
} from '../access/webhooks/createWebhookStore.js';
import { isInternalAddress } from '../access/webhooks/publicAddressesOnly.js';
import type { PatientCipher } from '../engines/createPatientCipher.js';
import type { Cursors } from '../engines/cursors.js';
import { decodeGlobalId, encodeGlobalId } from '../engines/globalId.js';
import { resolvePageSize } from '../engines/paginate.js';
import { isWebhookEventType, webhookEventTypes } from '../engines/webhookRules.js';
import { forbidden, invalidInput } from '../errors.js';
import type { Caller } from './models.js';

/** An endpoint as the API shows it (its secret never, after it was created). */
export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[] | null;
  enabled: boolean;
  disabledReason: string | null;
  failingSince: string | null;
  createdAt: string;
}

/** A delivery as the API's delivery log shows it. */
export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  status: WebhookDeliveryRecord['status'];
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface WebhookManagerOptions {
  store: WebhookStore;
  cipher: PatientCipher;
  cursors: (scope: readonly string[]) => Cursors;
  /** In production an endpoint must be HTTPS; elsewhere plain HTTP to this machine is allowed too. */
  production: boolean;
  /** Wakes the delivery worker (a redelivery or replay is due at once). */
  wake: () => void;
  /** The clock. */
  now: () => number;
}

const endpointSpace = 'webhooks';
/** How far back a replay reaches: one request never queues an application's whole history. */
const maxReplayMs = 31 * 24 * 3600_000;
const iso = (date: Date | null) => (date ? date.toISOString() : null);
const loopback = new Set(['localhost', '127.0.0.1', '[::1]']);

const toEndpointView = (row: WebhookEndpointRecord): WebhookEndpointView => ({
  id: encodeGlobalId('WebhookEndpoint', endpointSpace, row.id),
  url: row.url,
  description: row.description,
  eventTypes: row.event_types,
  enabled: row.enabled,
  disabledReason: row.disabled_reason,
  failingSince: iso(row.failing_since),
  createdAt: row.created_at.toISOString(),
});

/**
 * Webhook endpoints and their delivery log, for a client application's backend (the
 * `webhooks:manage` scope, and no end user: an application's webhooks carry every reservation of
 * the application).
 */
export function createWebhookManager(options: WebhookManagerOptions) {
  const { store, cipher } = options;

  /**
   * The application whose webhooks these are (the scope is checked where the request comes in);
   * refuses an end user's token.
   */
  function applicationOf(caller: Caller): string {
    if (caller.subject !== null) {
      throw forbidden('webhooks:manage of a backend client (not an end user)');
    }
    return caller.clientId;
  }

  function checkUrl(value: string): string {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw invalidInput('url', 'is not an absolute URL');
    }
    const plainLocal =
      url.protocol === 'http:' && loopback.has(url.hostname) && !options.production;
    if (url.protocol !== 'https:' && !plainLocal) {
      throw invalidInput(
        'url',
        'must be https (plain http only to this machine, outside production)',
      );
    }
    if (url.username || url.password) throw invalidInput('url', 'must not carry credentials');
    // Names are checked again at every connection (`publicAddressesOnly`); a literal, here too.
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (options.production && (loopback.has(url.hostname) || isInternalAddress(host))) {
      throw invalidInput('url', 'must be a public address');
    }
    if (value.length > 2048) throw invalidInput('url', 'is longer than 2048 characters');
    return url.toString();
  }

  function checkEventTypes(types: readonly string[] | null | undefined): string[] | null {
    if (types === null || types === undefined) return null;
    const unknown = types.filter((type) => !isWebhookEventType(type));
    if (unknown.length > 0 || types.length === 0) {
      throw invalidInput(
        'eventTypes',
        `must be some of ${webhookEventTypes.join(', ')} (or left out for every type)`,
      );
    }
    return [...new Set(types)];
  }

  function checkDescription(description: string | null | undefined): string | null {
    if (description && description.length > 200) {
      throw invalidInput('description', 'is longer than 200 characters');
    }
    return description ?? null;
  }

  function endpointIdOf(id: string, field: string): string {
    const localId = decodeGlobalId('WebhookEndpoint', id, field).localId ?? '';
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(localId)) {
      throw invalidInput(field, 'is not a webhook endpoint of this application');
    }
    return localId;
  }

  async function ownEndpoint(clientId: string, id: string, field: string) {
    const endpoint = await store.endpoint(clientId, endpointIdOf(id, field));
    if (!endpoint) throw invalidInput(field, 'is not a webhook endpoint of this application');
    return endpoint;
  }

  /** A new signing secret: `whsec_` and 32 random bytes in base64, as Standard Webhooks has it. */
  const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

  return {
    async list(caller: Caller): Promise<WebhookEndpointView[]> {
      return (await store.endpointsOf(applicationOf(caller))).map(toEndpointView);
    },

    /** Registers an endpoint; its secret is in this answer only. */
    async create(
      caller: Caller,
      input: { url: string; description?: string | null; eventTypes?: readonly string[] | null },
    ): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
      const clientId = applicationOf(caller);
      const secret = newSecret();
      const row = await store.createEndpoint({
        clientId,
        url: checkUrl(input.url),
        description: checkDescription(input.description),
        eventTypes: checkEventTypes(input.eventTypes),
        secretSealed: cipher.encrypt(secret),
      });
      return { endpoint: toEndpointView(row), secret };
    },

    /** Changes an endpoint; `rotateSecret` answers a new secret, which signs from now on. */
    async update(
      caller: Caller,
      input: {
        id: string;
        url?: string | null;
        description?: string | null;
        eventTypes?: readonly string[] | null;
        enabled?: boolean | null;
        rotateSecret?: boolean | null;
      },
    ): Promise<{ endpoint: WebhookEndpointView; secret: string | null }> {
      const clientId = applicationOf(caller);
      const id = endpointIdOf(input.id, 'id');
      const secret = input.rotateSecret ? newSecret() : null;
      const row = await store.updateEndpoint(clientId, id, {
        ...(input.url != null && { url: checkUrl(input.url) }),
        ...(input.description !== undefined && {
          description: checkDescription(input.description),
        }),
        ...(input.eventTypes !== undefined && { eventTypes: checkEventTypes(input.eventTypes) }),
        ...(input.enabled != null && { enabled: input.enabled }),
        ...(secret && { secretSealed: cipher.encrypt(secret) }),
      });
      if (!row) throw invalidInput('id', 'is not a webhook endpoint of this application');
      return { endpoint: toEndpointView(row), secret };
    },

    async remove(caller: Caller, id: string): Promise<boolean> {
      const clientId = applicationOf(caller);
      if (!(await store.deleteEndpoint(clientId, endpointIdOf(id, 'id')))) {
        throw invalidInput('id', 'is not a webhook endpoint of this application');
      }
      return true;
    },

    /** An endpoint's delivery log, newest first. */
    async deliveries(
      caller: Caller,
      endpointId: string,
      first: number | null | undefined,
      after: string | null | undefined,
    ) {
      const clientId = applicationOf(caller);
      const endpoint = await ownEndpoint(clientId, endpointId, 'endpointId');
      const size = resolvePageSize(first);
      const cursors = options.cursors(['webhookDeliveries', endpoint.id]);
      let before: string | null = null;
      if (after) {
        const [id, ...rest] = cursors.decode(after);
        if (typeof id !== 'string' || rest.length > 0) {
          throw invalidInput('after', 'is not a cursor returned by this API');
        }
        before = id;
      }
      const rows = await store.deliveriesOf(clientId, endpoint.id, size + 1, before);
      const edges = rows.slice(0, size).map((row) => ({
        cursor: cursors.encode([String(row.id)]),
        node: {
          id: encodeGlobalId('WebhookDelivery', endpointSpace, String(row.id)),
          eventId: encodeGlobalId('ReservationEvent', row.connection_id, String(row.event_id)),
          eventType: row.event_type,
          status: row.status,
          attempts: row.attempts,
          nextAttemptAt: row.status === 'PENDING' ? iso(row.next_attempt_at) : null,
          lastAttemptAt: iso(row.last_attempt_at),
          lastResponseStatus: row.last_status,
          lastError: row.last_error,
          deliveredAt: iso(row.delivered_at),
          createdAt: row.created_at.toISOString(),
        } satisfies WebhookDeliveryView,
      }));
      return {
        edges,
        pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
      };
    },

    /** Sends one delivery again at once (also one that FAILED for good). */
    async redeliver(caller: Caller, deliveryId: string): Promise<boolean> {
      const clientId = applicationOf(caller);
      const id = decodeGlobalId('WebhookDelivery', deliveryId, 'deliveryId').localId ?? '';
      if (!/^\d{1,18}$/.test(id) || !(await store.redeliver(clientId, id))) {
        throw invalidInput('deliveryId', 'is not a webhook delivery of this application');
      }
      options.wake();
      return true;
    },

    /** Queues every event since `since` to the endpoint again; answers how many. */
    async replay(caller: Caller, input: { endpointId: string; since: string }) {
      const clientId = applicationOf(caller);
      const endpoint = await ownEndpoint(clientId, input.endpointId, 'endpointId');
      const since = new Date(input.since);
      if (Number.isNaN(since.getTime())) throw invalidInput('since', 'is not a date-time');
      if (options.now() - since.getTime() > maxReplayMs) {
        throw invalidInput(
          'since',
          'is more than 31 days ago; the feed (reservationEvents) has the rest',
        );
      }
      const queued = await store.replay(endpoint, since);
      options.wake();
      return { endpoint: toEndpointView(endpoint), queued };
    },
  };
}

export type WebhookManager = ReturnType<typeof createWebhookManager>;
