import type { RequestBudget } from '@booking/provider-kit';
import { type FhirClient, type TransactionEntry, unexpected } from '../client/createFhirClient.js';
import type { FhirResource } from '../client/schemas.js';
import { reservationSystem } from '../mapping.js';

/**
 * What a connection subscribes to: the platform's own Appointments (by the identifier system of
 * its reservation ids; the server matches `system|` against any value) and every Slot, since a
 * Slot names only its schedule and R4 criteria cannot follow a schedule to its clinic. Both
 * organisations on one server each get every Slot change and keep their own schedules'.
 */
const subscriptionCriteria = [`Appointment?identifier=${reservationSystem}|`, 'Slot'] as const;

/** The payload asked for: the resource itself, so no read back is needed. */
const subscriptionPayload = 'application/fhir+json';

export interface SubscriptionTarget {
  /** Where the server POSTs: this connection's push URL, `…/push/<connection id>`. */
  readonly endpoint: string;
  /** Sent back on every notification as `Authorization: Bearer <secret>`. */
  readonly secret: string;
}

type Subscription = FhirResource<'Subscription'>;

function wanted(target: SubscriptionTarget, criteria: string) {
  return {
    resourceType: 'Subscription',
    status: 'requested',
    reason: 'Booking platform: changes at the clinic (cancellations, moves, no-shows, new times)',
    criteria,
    channel: {
      type: 'rest-hook',
      endpoint: target.endpoint,
      payload: subscriptionPayload,
      header: [`Authorization: Bearer ${target.secret}`],
    },
  };
}

/** Whether a stored Subscription is the one wanted and still served: nothing to write. */
function inForce(existing: Subscription, target: SubscriptionTarget): boolean {
  return (
    existing.status === 'active' &&
    existing.channel.type === 'rest-hook' &&
    existing.channel.payload === subscriptionPayload &&
    existing.channel.header?.length === 1 &&
    existing.channel.header[0] === `Authorization: Bearer ${target.secret}`
  );
}

/**
 * Makes the server serve this connection's Subscriptions: the ones already at its endpoint are
 * reused (one per criteria, brought up to date: this run's secret, and `requested` again if the
 * server set one to `error` after failed deliveries or someone turned it `off`), missing ones
 * created, and any other at the endpoint turned off, all in one transaction. Safe to call again
 * and again: when all is as wanted it is one search. Answers how many it wrote.
 */
export async function ensureSubscriptions(
  client: FhirClient,
  target: SubscriptionTarget,
  budget: RequestBudget,
): Promise<number> {
  const existing = await client.search('Subscription', { url: target.endpoint }, budget);
  const writes: TransactionEntry[] = [];
  const put = (resource: TransactionEntry['resource'] & { id: string }) =>
    writes.push({ resource, request: { method: 'PUT', url: `Subscription/${resource.id}` } });
  const kept = subscriptionCriteria.map((criteria) =>
    existing.find((s) => s.criteria === criteria),
  );
  for (const [index, criteria] of subscriptionCriteria.entries()) {
    const found = kept[index];
    const resource = wanted(target, criteria);
    if (!found) writes.push({ resource, request: { method: 'POST', url: 'Subscription' } });
    else if (!inForce(found, target)) put({ ...found, ...resource });
  }
  // Duplicates, and Subscriptions of criteria no longer wanted.
  for (const other of existing) {
    if (!kept.includes(other) && other.status !== 'off') put({ ...other, status: 'off' });
  }
  if (writes.length > 0) {
    const answer = await client.transaction(writes, budget);
    if (!answer.ok) unexpected('transaction of Subscriptions', answer);
  }
  return writes.length;
}
