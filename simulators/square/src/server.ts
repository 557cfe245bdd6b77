import http from 'node:http';
import {
  closeAtOnce,
  createSimulatorControl,
  listenOn,
  type SimulatorControl,
} from '@booking/simulator-kit';
import { answerSquareApi } from './answerSquareApi.js';
import { bookElsewhere, type ElsewhereBooking } from './bookElsewhere.js';
import { type Booking, createSellerStore, type SellerStore } from './createSellerStore.js';
import { type Answer, notFound, SquareFailure, unauthorized } from './errors.js';
import { routeOwnAdmin } from './routeOwnAdmin.js';
import { defaultSellers, type SellerSeed } from './seed.js';
import { createSellerWebhooks, type WebhookSubscription } from './webhooks/createSellerWebhooks.js';
import { createWebhookDelivery, type DeliveryRecord } from './webhooks/createWebhookDelivery.js';

export { squareVersion } from './answerSquareApi.js';
export type { ElsewhereBooking } from './bookElsewhere.js';
export type { Booking, BookingOrigin, BookingRecord, SellerStore } from './createSellerStore.js';
export { SquareFailure } from './errors.js';
export type {
  LocationSeed,
  SellerSeed,
  ServiceSeed,
  TeamMemberSeed,
  VariationSeed,
} from './seed.js';
export { catalogVersion, defaultSellers } from './seed.js';
export type { BookingEvent, WebhookSubscription } from './webhooks/createSellerWebhooks.js';
export type { DeliveryAttempt, DeliveryRecord } from './webhooks/createWebhookDelivery.js';
export { signatureHeader, signNotification } from './webhooks/signNotification.js';

/** The seeded sellers as a client is configured with them: token, merchant and location ids. */
export const seededSellers = defaultSellers.map((seller) => ({
  merchantId: seller.merchantId,
  businessName: seller.businessName,
  accessToken: seller.accessToken,
  locationIds: seller.locations.map((location) => location.id),
}));

/** Where the simulator reports what it does; any object with these two methods. */
export interface SquareLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface SquareSimulatorOptions {
  /** Sellers served, one access token each. Default: `defaultSellers`. */
  sellers?: readonly SellerSeed[];
  /** Business time: what is past, `created_at`, the default ListBookings window. Default: `() => new Date()`. */
  clock?: () => Date;
  /** Seed of the other customers' bookings and of the fault streams. Default: 1. */
  seed?: number;
  /** Share of grid positions other customers have booked, 0..1. Default: 0.25. */
  bookedShare?: number;
  /** Requests per second allowed per seller (access token) before `429`. Default: 50. */
  rateLimitPerSecond?: number;
  /** Delay before every API request is processed, in milliseconds. Default: 0. */
  latencyMs?: number;
  /** Delay between a successful write and its answer, in milliseconds. Default: 0. */
  responseDelayMs?: number;
  /** Share of API requests answered `503 SERVICE_UNAVAILABLE`, 0..1. Default: 0. */
  faultRate?: number;
  /** Receives a line per injected fault, configuration change and unexpected failure. Default: silent. */
  logger?: SquareLogger;
  /** How event notifications are delivered to webhook subscriptions. */
  webhooks?: {
    /** Attempts per notification, the first included. Default: 5. */
    attempts?: number;
    /** Wait before the first retry; each later one doubles. Default: 1000 ms. */
    retryDelayMs?: number;
    /** How long a receiver may take to answer (Square: 10 s). Default: 10000 ms. */
    timeoutMs?: number;
  };
}

/** The webhooks side of the simulator, for tests in-process (`/_admin/webhook-…` over HTTP). */
export interface SquareWebhooks {
  /** A seller's subscriptions, with their signature keys. */
  subscriptions(merchantId: string): readonly WebhookSubscription[];
  /** Every event notification sent (the last 1000), oldest first, with its attempts. */
  deliveries(): readonly DeliveryRecord[];
  /** Resolves when no notification is waiting to be delivered or retried. */
  idle(): Promise<void>;
}

export interface SquareSimulator {
  /** Starts listening; resolves with the base URL, e.g. `http://127.0.0.1:4105`. */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
  /** The base URL once listening, else an empty string. */
  readonly url: string;
  /** Each seller's live state by merchant id (the control protocol's connection ids). */
  readonly sellers: ReadonlyMap<string, SellerStore>;
  /** The `/_admin/` control protocol, for tests that set knobs or fault rules in-process. */
  readonly control: SimulatorControl<Record<never, never>>;
  /**
   * Books a slot as another client would (the seller's own online booking site): the slot is
   * taken at once, under the same rules as `POST /v2/bookings`. Throws a `SquareFailure` (409
   * CONFLICT) when the time is not bookable.
   */
  bookElsewhere(booking: ElsewhereBooking & { accessToken: string }): Booking;
  /** Back to the seed state and the start-up knobs (as `POST /_admin/reset`). */
  reset(): Promise<void>;
  /** Webhook subscriptions and the notifications sent to them. */
  readonly webhooks: SquareWebhooks;
}

const silentLogger: SquareLogger = { info: () => {}, warn: () => {} };

function send(res: http.ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}

async function readAdminBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A stateful stand-in for Square's Bookings API (and the Locations, Catalog and Customers calls
 * a booking client needs), speaking Square's wire format: snake_case JSON, RFC 3339 times, and
 * `{ errors: [{ category, code, detail, field }] }`. Each access token is one seller; the kit's
 * control protocol at `/_admin/` knows the sellers by merchant id.
 */
export function createSquareSimulator(options: SquareSimulatorOptions = {}): SquareSimulator {
  const seeds = options.sellers ?? defaultSellers;
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const seed = options.seed ?? 1;
  const tokens = new Map(seeds.map((s) => [s.accessToken, s.merchantId]));
  let counter = 0;
  // Square's shapes: booking ids are 14 lower-case characters, customer ids 26 upper-case ones.
  const nextId = (prefix: string) => {
    counter += 1;
    return prefix === 'booking'
      ? `bk${counter.toString(36).padStart(12, '0')}`
      : `C${counter.toString(36).toUpperCase().padStart(25, '0')}`;
  };
  const delivery = createWebhookDelivery({ ...options.webhooks, logger });
  // The client's configuration, not the seller's calendar: kept across resets.
  const webhooks = new Map(
    seeds.map((s) => [s.merchantId, createSellerWebhooks(s.merchantId, { clock, delivery })]),
  );
  const seedStores = () => {
    counter = 0;
    const bookedShare = options.bookedShare ?? 0.25;
    return new Map(
      seeds.map((s) => [
        s.merchantId,
        createSellerStore(s, {
          clock,
          seed,
          bookedShare,
          nextId,
          webhooks: webhooks.get(s.merchantId)!,
        }),
      ]),
    );
  };
  let stores = seedStores();
  let url = '';
  const sellerOf = (token: string) => stores.get(tokens.get(token) ?? '');

  const control = createSimulatorControl({
    connectionsKey: 'sellers',
    connectionIds: () => stores.keys(),
    defaults: {
      latencyMs: options.latencyMs ?? 0,
      responseDelayMs: options.responseDelayMs ?? 0,
      faultRate: options.faultRate ?? 0,
      rateLimitPerSecond: options.rateLimitPerSecond ?? 50,
    },
    seed,
    logger,
    onReset: () => {
      // Notifications of the bookings being forgotten are given up with them.
      delivery.clear();
      stores = seedStores();
    },
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', 'http://square.invalid');
    let segments: string[];
    try {
      segments = requestUrl.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return send(res, notFound('Malformed path.').toAnswer());
    }
    const [first, second, third] = segments;
    if (req.method === 'GET' && first === 'health' && (second === 'live' || second === 'ready')) {
      return send(res, { status: 200, body: { ok: true } });
    }
    if (await control.handleAdmin(req, res)) return;
    if (first === '_admin' && second !== undefined && third === undefined) {
      const body = req.method === 'POST' ? await readAdminBody(req) : undefined;
      return send(
        res,
        routeOwnAdmin(
          { sellers: stores, deliveries: delivery.deliveries },
          req.method ?? 'GET',
          second,
          requestUrl.searchParams,
          body,
        ),
      );
    }
    if (first === 'v2') {
      const answer = await answerSquareApi(
        { sellerOf, control },
        req,
        res,
        segments,
        requestUrl.searchParams,
      );
      if (answer) send(res, answer);
      return;
    }
    send(res, notFound('No such resource.').toAnswer());
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.warn('request failed', { path: req.url, error: String(error) });
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const failure = new SquareFailure(500, {
        category: 'API_ERROR',
        code: 'INTERNAL_SERVER_ERROR',
        detail: 'Internal error.',
      });
      send(res, failure.toAnswer());
    });
  });

  return {
    get url() {
      return url;
    },
    get sellers() {
      return stores;
    },
    control,
    bookElsewhere({ accessToken, ...booking }) {
      const store = sellerOf(accessToken);
      if (!store) throw unauthorized();
      return bookElsewhere(store, booking);
    },
    reset: () => control.reset(),
    webhooks: {
      subscriptions: (merchantId) => [...(webhooks.get(merchantId)?.subscriptions.values() ?? [])],
      deliveries: delivery.deliveries,
      idle: delivery.idle,
    },
    async listen(port, host = '127.0.0.1') {
      ({ url } = await listenOn(server, port, host));
      return url;
    },
    async close() {
      delivery.close();
      await closeAtOnce(server);
    },
  };
}
