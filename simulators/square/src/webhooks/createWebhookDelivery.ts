import { signatureHeader, signNotification } from './signNotification.js';

/** Why an attempt did not count as delivered, as Square's `square-retry-reason` names it. */
export type RetryReason = 'http_error' | 'http_timeout' | 'connection_error';

/** One attempt to deliver an event notification. */
export interface DeliveryAttempt {
  /** 1 for the first delivery, 2 for the first retry, … */
  number: number;
  /** When it was sent, RFC 3339 (real time, not the business clock). */
  at: string;
  /** The receiver's HTTP status; null when there was none (timeout, connection refused). */
  status: number | null;
  /** Set when the attempt failed. */
  reason?: RetryReason;
  /** How long the receiver took to answer, or to fail. */
  ms: number;
}

/** One event notification to one subscription, and what became of it. */
export interface DeliveryRecord {
  event_id: string;
  type: string;
  merchant_id: string;
  subscription_id: string;
  notification_url: string;
  /** The booking the event is about. */
  booking_id: string;
  /** `pending` while attempts remain, `delivered` on a 2xx, `failed` when all attempts failed. */
  state: 'pending' | 'delivered' | 'failed';
  attempts: DeliveryAttempt[];
}

/** The subscription an event goes to, as it was when the event was published. */
export interface DeliveryTarget {
  id: string;
  notification_url: string;
  signature_key: string;
}

export interface WebhookDeliveryOptions {
  /** Attempts per notification, the first delivery included. Default: 5. */
  attempts?: number;
  /** Wait before the first retry; each later wait doubles. Default: 1000 ms. */
  retryDelayMs?: number;
  /** How long the receiver may take to answer one attempt (Square: 10 s). Default: 10000 ms. */
  timeoutMs?: number;
  /** Deliveries recorded (`deliveries()`), the oldest forgotten first. Default: 1000. */
  capacity?: number;
  logger?: { warn(message: string, fields?: Record<string, unknown>): void };
}

export interface WebhookDelivery {
  /** Sends an event to a subscription, asynchronously: the answer of the API call does not wait. */
  send(target: DeliveryTarget, event: BookingEventLike): void;
  /** The recorded deliveries, oldest first. */
  deliveries(): readonly DeliveryRecord[];
  /** Resolves when no delivery is pending (every one delivered or given up). */
  idle(): Promise<void>;
  /** Gives up every pending delivery and forgets the records (a reset). */
  clear(): void;
  /** As `clear`, for shutdown: nothing is sent after it. */
  close(): void;
}

/** What the engine reads of an event; the body sent is the whole event, as JSON. */
export interface BookingEventLike {
  merchant_id: string;
  type: string;
  event_id: string;
  data: { object: { booking: { id: string } } };
}

/**
 * Square's delivery of event notifications: a signed POST of the event to the subscription's
 * notification URL, retried on a non-2xx answer, a timeout or a refused connection, with waits
 * that double, until `attempts` have been made. At least once: a retry is the same body, so the
 * same `event_id` and signature, with `square-retry-number` and `square-retry-reason` set as
 * Square sets them.
 * @link https://developer.squareup.com/docs/webhooks/step2subscribe
 */
export function createWebhookDelivery(options: WebhookDeliveryOptions = {}): WebhookDelivery {
  const attempts = options.attempts ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const capacity = options.capacity ?? 1000;
  const records: DeliveryRecord[] = [];
  const pending = new Set<Promise<void>>();
  /** Bumped by `clear`: a delivery of an older generation stops at its next step. */
  let generation = 0;
  let closed = false;
  const stoppers = new Set<() => void>();

  /** Waits `ms`, or less when the delivery is given up; false then. */
  function wait(ms: number, live: () => boolean): Promise<boolean> {
    return new Promise((resolve) => {
      const stop = () => {
        clearTimeout(timer);
        stoppers.delete(stop);
        resolve(false);
      };
      const timer = setTimeout(() => {
        stoppers.delete(stop);
        resolve(live());
      }, ms);
      stoppers.add(stop);
    });
  }

  async function attempt(
    record: DeliveryRecord,
    body: string,
    signature: string,
    firstAt: string,
  ): Promise<boolean> {
    const number = record.attempts.length + 1;
    const previous = record.attempts.at(-1);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Square Connect v2 (simulator)',
      [signatureHeader]: signature,
      'square-environment': 'Sandbox',
      'square-initial-delivery-timestamp': firstAt,
      ...(previous && {
        'square-retry-number': String(number - 1),
        'square-retry-reason': previous.reason ?? 'http_error',
      }),
    };
    const abort = new AbortController();
    const stop = () => abort.abort();
    stoppers.add(stop);
    const started = Date.now();
    const at = new Date(started).toISOString();
    let status: number | null = null;
    let reason: RetryReason | undefined;
    try {
      const answer = await fetch(record.notification_url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.any([abort.signal, AbortSignal.timeout(timeoutMs)]),
      });
      status = answer.status;
      await answer.arrayBuffer().catch(() => undefined);
      if (status < 200 || status >= 300) reason = 'http_error';
    } catch (error) {
      const name = (error as Error).name;
      reason =
        name === 'TimeoutError' || name === 'AbortError' ? 'http_timeout' : 'connection_error';
    } finally {
      stoppers.delete(stop);
    }
    record.attempts.push({
      number,
      at,
      status,
      ...(reason && { reason }),
      ms: Date.now() - started,
    });
    return reason === undefined;
  }

  async function deliver(record: DeliveryRecord, target: DeliveryTarget, body: string) {
    const mine = generation;
    const live = () => !closed && mine === generation;
    const signature = signNotification(target.signature_key, target.notification_url, body);
    const firstAt = new Date().toISOString();
    // Asynchronous from the start: the API call that caused the event answers first.
    if (!(await wait(0, live))) return;
    for (let n = 1; n <= attempts; n += 1) {
      if (await attempt(record, body, signature, firstAt)) {
        record.state = 'delivered';
        return;
      }
      if (!live()) return;
      if (n < attempts && !(await wait(retryDelayMs * 2 ** (n - 1), live))) return;
    }
    record.state = 'failed';
    options.logger?.warn('webhook delivery failed', {
      event_id: record.event_id,
      subscription_id: record.subscription_id,
      attempts: record.attempts.length,
    });
  }

  function forget() {
    generation += 1;
    for (const stop of [...stoppers]) stop();
    records.length = 0;
  }

  return {
    send(target, event) {
      if (closed) return;
      const record: DeliveryRecord = {
        event_id: event.event_id,
        type: event.type,
        merchant_id: event.merchant_id,
        subscription_id: target.id,
        notification_url: target.notification_url,
        booking_id: event.data.object.booking.id,
        state: 'pending',
        attempts: [],
      };
      records.push(record);
      if (records.length > capacity) records.shift();
      const done: Promise<void> = deliver(record, target, JSON.stringify(event))
        .catch((error: unknown) => {
          options.logger?.warn('webhook delivery crashed', { error: String(error) });
        })
        .finally(() => pending.delete(done));
      pending.add(done);
    },
    deliveries: () => records,
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    clear: forget,
    close() {
      closed = true;
      forget();
    },
  };
}
