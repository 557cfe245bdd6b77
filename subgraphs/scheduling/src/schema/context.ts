import type { IncomingHttpHeaders } from 'node:http';
import { identityHeaders, parseScopes, type Scope } from '@booking/server-kit';
import type { AvailabilityWatches } from '../manager/createAvailabilityWatches.js';
import type { ReservationManager } from '../manager/createReservationManager.js';
import type { SchedulingManager } from '../manager/createSchedulingManager.js';
import type { WebhookManager } from '../manager/createWebhookManager.js';
import type { Caller } from '../manager/models.js';

/** The GraphQL context of one scheduling request. */
export interface SchedulingContext {
  manager: SchedulingManager;
  reservations: ReservationManager;
  webhooks: WebhookManager;
  watches: AvailabilityWatches;
  /** Who the request acts for; reservations are visible only to their owners. */
  caller: Caller;
  /** What the gateway authenticated the client for; checked again here, where the data lives. */
  scopes: ReadonlySet<Scope>;
}

/** Who a request acts for, as the gateway's identity headers say. */
export interface RequestIdentity {
  clientId: string;
  subject: string | null;
  scopes: Set<Scope>;
}

const single = (value: string | string[] | undefined) =>
  typeof value === 'string' && value.length > 0 ? value : null;

/**
 * Reads the identity headers the gateway sets. They are trusted only because the HTTP service
 * answers nothing but calls that carry the internal secret (server-kit's `createHttpService`).
 */
export function identityFromHeaders(headers: IncomingHttpHeaders): RequestIdentity {
  return {
    clientId: single(headers[identityHeaders.clientId]) ?? 'anonymous',
    subject: single(headers[identityHeaders.subject]),
    scopes: parseScopes(single(headers[identityHeaders.scopes])),
  };
}
