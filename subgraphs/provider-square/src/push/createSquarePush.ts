import * as kit from '@booking/provider-kit';
import type { Logger } from '@booking/server-kit';
import type { SquareClient } from '../client/createSquareClient.js';
import type { SlotKey } from '../mapping.js';
import { subscribeToBookingEvents } from './subscribeToBookingEvents.js';

/** What the connection last reported of a booking, to order and interpret the next event. */
export interface SeenBooking {
  version: number;
  status: kit.ContractBookingStatus;
  key: SlotKey | null;
}

/** One connection's pushes: where Square sends them, how they are checked, where they go. */
export interface SquarePush {
  /** The exact URL the subscription was made with: the signature covers it. */
  readonly notificationUrl: string;
  /** The connection's change log (`contractChanges`). */
  readonly changes: kit.ChangeLog;
  /** How far an event's `created_at` may be from `now` before it is refused as stale. */
  readonly maxAgeMs: number;
  /** The connection's clock, epoch ms. */
  readonly now: () => number;
  /** The signature keys of the subscription(s); empty until subscribed. */
  signatureKeys(): readonly string[];
  /** What was last reported of a booking, by Square booking id. */
  seen(bookingId: string): SeenBooking | undefined;
  remember(bookingId: string, booking: SeenBooking): void;
  /** Subscribes in the background, trying again (with growing waits) until it has a key. */
  start(): void;
  /** Resolves once subscribed (tests wait for it); never rejects. */
  subscribed(): Promise<void>;
  stop(): Promise<void>;
}

/** Bookings remembered for ordering; the oldest are forgotten first. */
const maxSeen = 10_000;

/**
 * A connection's webhook side. The signature key lives in memory only: a restart finds its
 * subscription again by notification URL and reads the key back (RetrieveWebhookSubscription), so
 * nothing secret is stored, and a key rotated at Square (UpdateWebhookSubscriptionSignatureKey) is
 * taken up by the next restart. Until the key is known, pushes are answered 503, which Square
 * retries.
 */
export function createSquarePush(options: {
  connectionId: string;
  /** `SQUARE_PUSH_BASE_URL`: this subgraph as Square reaches it. */
  baseUrl: string;
  client: SquareClient;
  squareVersion: string;
  changes: kit.ChangeLog;
  maxAgeMs: number;
  deadlineMs: number;
  now: () => number;
  logger: Logger;
  /** First wait before subscribing again after a failure; doubles up to a minute. Default: 1000. */
  retryMs?: number;
}): SquarePush {
  const notificationUrl = `${options.baseUrl.replace(/\/+$/, '')}${kit.pushPath(options.connectionId)}`;
  const logger = options.logger.child({ connection: options.connectionId });
  let keys: string[] = [];
  const seen = new Map<string, SeenBooking>();
  let stopping = new AbortController();
  let running: Promise<void> | null = null;
  let resolveSubscribed: () => void = () => {};
  let subscribed = new Promise<void>((resolve) => {
    resolveSubscribed = resolve;
  });

  async function subscribe(signal: AbortSignal) {
    let waitMs = options.retryMs ?? 1000;
    while (!signal.aborted) {
      try {
        const budget = {
          signal: AbortSignal.any([signal, AbortSignal.timeout(options.deadlineMs)]),
          deadlineAt: Date.now() + options.deadlineMs,
        };
        keys = await subscribeToBookingEvents(
          options.client,
          { notificationUrl, apiVersion: options.squareVersion, name: 'Vården booking platform' },
          budget,
        );
        logger.info({ notificationUrl }, 'subscribed to Square booking events');
        resolveSubscribed();
        return;
      } catch (error) {
        if (signal.aborted) return;
        logger.warn(
          { code: (error as { code?: string }).code, error: (error as Error).message, waitMs },
          'Square webhook subscription failed; trying again',
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      waitMs = Math.min(waitMs * 2, 60_000);
    }
  }

  return {
    notificationUrl,
    changes: options.changes,
    maxAgeMs: options.maxAgeMs,
    now: options.now,
    signatureKeys: () => keys,
    seen: (bookingId) => seen.get(bookingId),
    remember(bookingId, booking) {
      seen.delete(bookingId);
      seen.set(bookingId, booking);
      if (seen.size > maxSeen) seen.delete(seen.keys().next().value as string);
    },
    start() {
      if (running) return;
      stopping = new AbortController();
      running = subscribe(stopping.signal);
    },
    subscribed: () => subscribed,
    async stop() {
      stopping.abort();
      await running;
      running = null;
      subscribed = new Promise<void>((resolve) => {
        resolveSubscribed = resolve;
      });
    },
  };
}
