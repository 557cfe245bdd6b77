import { resourceMatchesSubscriptionCriteria } from '@medplum/core';
import type { Resource, Subscription } from '@medplum/fhirtypes';
import type { CommittedWrite } from './SimulatorRepository.js';
import { payloadMediaType } from './subscriptionRules.js';

/** How notifications are delivered; every field has a default. */
export interface DeliveryOptions {
  /** Tries of one notification before the subscription is set to `error`. Default: 5. */
  attempts?: number;
  /** Wait before the first retry, doubled before each further one. Default: 200 ms. */
  retryMs?: number;
  /** Longest wait between two tries. Default: 5000 ms. */
  maxRetryMs?: number;
  /** How long one POST to the endpoint may take. Default: 5000 ms. */
  timeoutMs?: number;
}

/** What the notifier needs of the server around it. */
export interface NotifierContext {
  /** The active Subscriptions now, as stored. Called when a write commits. */
  activeSubscriptions(): readonly Subscription[];
  /**
   * The subscription as stored now if it is still active, read under the server's mutex: a
   * notification goes to the endpoint and headers in force when it is sent (its client may have
   * changed them, or turned it off, while the notification waited).
   */
  currentSubscription(id: string): Promise<Subscription | undefined>;
  /** Sets the subscription's status to `error` with `text` (R4 `Subscription.error`), under the mutex. */
  markError(id: string, text: string): Promise<void>;
  readonly logger: {
    info(message: string, fields?: Record<string, unknown>): void;
    warn(message: string, fields?: Record<string, unknown>): void;
  };
}

export interface SubscriptionNotifier {
  /** The repository's `onCommit`: queues a notification per write and matching subscription. */
  committed(writes: readonly CommittedWrite[]): void;
  /** Forgets every queued notification and stops every retry (a reset, a shutdown). */
  clear(): void;
  /** Resolves once every queued notification has been delivered or given up (tests). */
  idle(): Promise<void>;
}

interface Notification {
  readonly subscriptionId: string;
  readonly resource: Resource;
}

/** `Name: value` lines of `channel.header` as fetch headers. */
function headersOf(subscription: Subscription): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of subscription.channel.header ?? []) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * R4 rest-hook notifications (https://hl7.org/fhir/R4/subscription.html#channels): after every
 * committed create or update that matches an active Subscription's criteria (Medplum's own
 * matching, `resourceMatchesSubscriptionCriteria`), a POST to its endpoint with its headers, whose
 * body is the resource in the `payload` type, or empty without one. Each subscription has its own
 * queue, delivered in commit order and off the request path; a failed POST (no answer, or not
 * 2xx) is tried again after a doubling wait, and one that fails every try sets the subscription
 * to `error` with the reason in `error` and drops what it still had queued, as R4 says a server
 * stops notifying a subscription in error until its client requests it again.
 */
export function createSubscriptionNotifier(
  context: NotifierContext,
  options: DeliveryOptions = {},
): SubscriptionNotifier {
  const attempts = options.attempts ?? 5;
  const retryMs = options.retryMs ?? 200;
  const maxRetryMs = options.maxRetryMs ?? 5000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const queues = new Map<string, Notification[]>();
  const running = new Map<string, Promise<void>>();
  const waits = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  const aborts = new Set<AbortController>();
  /** Bumped by `clear`: a delivery of an earlier generation stops at its next step. */
  let generation = 0;
  /** Matching is asynchronous in Medplum's API; one chain keeps notifications in commit order. */
  let matching: Promise<void> = Promise.resolve();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wait = { timer: setTimeout(() => done(), ms), wake: () => done() };
      const done = () => {
        clearTimeout(wait.timer);
        waits.delete(wait);
        resolve();
      };
      waits.add(wait);
    });

  /** One POST; the failure's reason, or undefined when the endpoint took it (2xx). */
  async function post(subscription: Subscription, resource: Resource): Promise<string | undefined> {
    const payload = subscription.channel.payload;
    const controller = new AbortController();
    aborts.add(controller);
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetch(subscription.channel.endpoint ?? '', {
        method: 'POST',
        headers: {
          ...headersOf(subscription),
          ...(payload && { 'content-type': payloadMediaType(payload) }),
        },
        ...(payload && { body: JSON.stringify(resource) }),
        signal: controller.signal,
      });
      await response.body?.cancel();
      return response.ok ? undefined : `HTTP ${response.status}`;
    } catch (error) {
      return controller.signal.aborted ? `no answer within ${timeoutMs} ms` : String(error);
    } finally {
      clearTimeout(timer);
      aborts.delete(controller);
    }
  }

  /** Tries one notification; false when every try failed and the subscription is now `error`. */
  async function deliver(notification: Notification, started: number): Promise<boolean> {
    const id = notification.subscriptionId;
    let reason = '';
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      const subscription = await context.currentSubscription(id);
      // Turned off, or reset: nothing is owed any more.
      if (!subscription || generation !== started) return true;
      const failure = await post(subscription, notification.resource);
      if (failure === undefined) return true;
      reason = failure;
      if (attempt < attempts) await sleep(Math.min(retryMs * 2 ** (attempt - 1), maxRetryMs));
    }
    if (generation !== started) return true;
    context.logger.warn('subscription set to error', { subscriptionId: id, reason });
    await context.markError(id, `Delivery failed ${attempts} times, the last: ${reason}`);
    return false;
  }

  /** Delivers one subscription's queue in order until it is empty. */
  async function drain(id: string, started: number): Promise<void> {
    const queue = queues.get(id);
    while (queue && queue.length > 0 && generation === started) {
      const delivered = await deliver(queue[0]!, started);
      if (!delivered) {
        queues.delete(id);
        return;
      }
      queue.shift();
    }
    if (queues.get(id)?.length === 0) queues.delete(id);
  }

  function enqueue(notification: Notification): void {
    const id = notification.subscriptionId;
    const queue = queues.get(id) ?? [];
    queue.push(notification);
    queues.set(id, queue);
    if (running.has(id)) return;
    const started = generation;
    const run = drain(id, started)
      .catch((error: unknown) => {
        context.logger.warn('notification failed', { subscriptionId: id, error: String(error) });
      })
      .finally(() => {
        running.delete(id);
        // Queued while the last delivery settled.
        if (generation === started && (queues.get(id)?.length ?? 0) > 0) {
          const again = queues.get(id)!.splice(0);
          queues.delete(id);
          for (const item of again) enqueue(item);
        }
      });
    running.set(id, run);
  }

  async function match(writes: readonly CommittedWrite[], subscriptions: readonly Subscription[]) {
    for (const write of writes) {
      for (const subscription of subscriptions) {
        const matches = await resourceMatchesSubscriptionCriteria({
          resource: write.resource,
          subscription,
          context: { interaction: write.interaction },
          getPreviousResource: async () => write.previous,
        });
        if (matches) enqueue({ subscriptionId: subscription.id ?? '', resource: write.resource });
      }
    }
  }

  return {
    committed(writes) {
      // The subscriptions active when the write committed, not when its matching runs.
      const subscriptions = context.activeSubscriptions();
      if (subscriptions.length === 0) return;
      const started = generation;
      matching = matching
        .then(() => (generation === started ? match(writes, subscriptions) : undefined))
        .catch((error: unknown) => {
          context.logger.warn('subscription matching failed', { error: String(error) });
        });
    },
    clear() {
      generation += 1;
      queues.clear();
      for (const wait of [...waits]) wait.wake();
      for (const controller of [...aborts]) controller.abort();
    },
    async idle() {
      await matching;
      while (running.size > 0) await Promise.all([...running.values()]);
    },
  };
}
