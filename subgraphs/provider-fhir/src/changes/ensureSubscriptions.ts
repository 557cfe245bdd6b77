import { type RequestBudget, unexpectedOutcome } from '@booking/provider-kit';
import { type FhirClient, issueCodes } from '../client/createFhirClient.js';
import { type FhirSubscription, subscriptionSchema } from '../client/schemas.js';
import { reservationSystem } from '../mapping.js';

/**
 * What a connection subscribes to: the platform's own Appointments (by the identifier system of
 * its reservation ids; the server matches `system|` against any value) and every Slot, since a
 * Slot names only its schedule and R4 criteria cannot follow a schedule to its clinic. Both
 * organisations on one server each get every Slot change and keep their own schedules'.
 */
export const subscriptionCriteria = [
  `Appointment?identifier=${reservationSystem}|`,
  'Slot',
] as const;

/** The payload asked for: the resource itself, so no read back is needed. */
export const subscriptionPayload = 'application/fhir+json';

export interface SubscriptionTarget {
  /** Where the server POSTs: this subgraph's `/push/<connection id>`. */
  readonly endpoint: string;
  /** Sent back on every notification as `Authorization: Bearer <secret>`. */
  readonly secret: string;
}

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
function inForce(existing: FhirSubscription, target: SubscriptionTarget): boolean {
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
 * created, and any other at the endpoint turned off. Safe to call again and again: when all is
 * as wanted it is one search. Answers how many it wrote.
 */
export async function ensureSubscriptions(
  client: FhirClient,
  target: SubscriptionTarget,
  budget: RequestBudget,
): Promise<number> {
  const existing = await client.search(
    'Subscription',
    { url: target.endpoint },
    subscriptionSchema,
    budget,
  );
  const writes: Promise<unknown>[] = [];
  const write = (resource: Record<string, unknown> & { resourceType: string; id?: string }) =>
    writes.push(
      client.write(resource, subscriptionSchema, budget).then((answer) => {
        if (!answer.ok) unexpectedOutcome('FHIR write Subscription', answer, issueCodes);
      }),
    );
  for (const criteria of subscriptionCriteria) {
    const [kept, ...duplicates] = existing.filter((s) => s.criteria === criteria);
    if (!kept) write(wanted(target, criteria));
    else if (!inForce(kept, target)) write({ ...kept, ...wanted(target, criteria), id: kept.id });
    for (const duplicate of duplicates)
      if (duplicate.status !== 'off') write({ ...duplicate, status: 'off' });
  }
  for (const other of existing) {
    const ours = (subscriptionCriteria as readonly string[]).includes(other.criteria);
    if (!ours && other.status !== 'off') write({ ...other, status: 'off' });
  }
  await Promise.all(writes);
  return writes.length;
}
