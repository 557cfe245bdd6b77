import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureBookable } from './bookingRules.js';
import { createRateLimiter } from './createRateLimiter.js';
import { type Booking, createSellerStore, type SellerStore } from './createSellerStore.js';
import {
  type Answer,
  invalid,
  notFound,
  rateLimited,
  SquareFailure,
  unauthorized,
} from './errors.js';
import { routeSquareApi } from './routeSquareApi.js';
import { catalogVersion, defaultSellers, type SellerSeed } from './seed.js';
import { formatTime, parseTime } from './time.js';

export type { Booking, BookingOrigin, BookingRecord } from './createSellerStore.js';
export type {
  LocationSeed,
  SellerSeed,
  ServiceSeed,
  TeamMemberSeed,
  VariationSeed,
} from './seed.js';
export { catalogVersion, defaultSellers } from './seed.js';

/** The seeded sellers as a client is configured with them: token, merchant and location ids. */
export const seededSellers = defaultSellers.map((seller) => ({
  merchantId: seller.merchantId,
  businessName: seller.businessName,
  accessToken: seller.accessToken,
  locationIds: seller.locations.map((location) => location.id),
}));

/** The Square-Version answered when a request sends none: the version of standards/square-connect. */
export const squareVersion = '2025-08-20';

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
  /** Seed of the other customers' bookings. Default: 1. */
  seed?: number;
  /** Share of grid positions other customers have booked, 0..1. Default: 0.25. */
  bookedShare?: number;
  /** Requests per second allowed per access token before `429`. Default: 50. */
  rateLimitPerSecond?: number;
  /** Receives a line per unexpected failure. Default: silent. */
  logger?: SquareLogger;
}

/** A booking made by another client of the seller, as `bookElsewhere` takes it. */
export interface ElsewhereBooking {
  /** The seller's access token. */
  accessToken: string;
  locationId: string;
  teamMemberId: string;
  serviceVariationId: string;
  /** RFC 3339, e.g. `2026-03-30T07:00:00Z`. */
  startAt: string;
}

export interface SquareSimulator {
  /** Starts listening; resolves with the base URL, e.g. `http://127.0.0.1:4105`. */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
  /** The base URL once listening, else an empty string. */
  readonly url: string;
  /** Each seller's live state by access token, for tests that look behind the API. */
  readonly sellers: ReadonlyMap<string, SellerStore>;
  /**
   * Books a slot as another client would (the seller's own online booking site): the slot is
   * taken at once, under the same rules as `POST /v2/bookings`. Throws a `SquareFailure` when the
   * time is not bookable.
   */
  bookElsewhere(booking: ElsewhereBooking): Booking;
  /** Back to the seed state: no customers, no bookings but the seeded ones, no kept idempotency keys. */
  reset(): void;
}

const maxBodyBytes = 64 * 1024;
const silentLogger: SquareLogger = { info: () => {}, warn: () => {} };
const versionFormat = /^\d{4}-\d{2}-\d{2}$/;

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) {
      throw new SquareFailure(413, {
        category: 'INVALID_REQUEST_ERROR',
        code: 'REQUEST_ENTITY_TOO_LARGE',
        detail: 'The request body is too large.',
      });
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw invalid('EXPECTED_JSON_BODY', 'The request body is not valid JSON.');
  }
}

function send(res: http.ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}

/**
 * A stateful stand-in for Square's Bookings API (and the Locations, Catalog and Customers calls
 * a booking client needs), speaking Square's wire format: snake_case JSON, RFC 3339 times, and
 * `{ errors: [{ category, code, detail, field }] }`. Each access token is one seller.
 */
export function createSquareSimulator(options: SquareSimulatorOptions = {}): SquareSimulator {
  const seeds = options.sellers ?? defaultSellers;
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const limiter = createRateLimiter({ perSecond: () => options.rateLimitPerSecond ?? 50 });
  let counter = 0;
  // Square's shapes: booking ids are 14 lower-case characters, customer ids 26 upper-case ones.
  const nextId = (prefix: string) => {
    counter += 1;
    return prefix === 'booking'
      ? `bk${counter.toString(36).padStart(12, '0')}`
      : `C${counter.toString(36).toUpperCase().padStart(25, '0')}`;
  };
  const seedStores = () => {
    counter = 0;
    return new Map(
      seeds.map((seller) => [
        seller.accessToken,
        createSellerStore(seller, {
          clock,
          seed: options.seed ?? 1,
          bookedShare: options.bookedShare ?? 0.25,
          nextId,
        }),
      ]),
    );
  };
  let stores = seedStores();
  let url = '';

  async function answerApi(req: http.IncomingMessage, segments: string[], query: URLSearchParams) {
    const version = req.headers['square-version'];
    const echoed = typeof version === 'string' && version !== '' ? version : squareVersion;
    const headers = { 'square-version': echoed };
    try {
      if (!versionFormat.test(echoed)) {
        throw invalid(
          'INVALID_SQUARE_VERSION_FORMAT',
          `Invalid Square-Version ${echoed}: expected YYYY-MM-DD.`,
        );
      }
      const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
      const token = match?.[1];
      if (!token || !stores.has(token)) throw unauthorized();
      const decision = limiter.take(token);
      if (!decision.ok) {
        const answer = rateLimited().toAnswer();
        return {
          ...answer,
          headers: { ...headers, 'retry-after': String(decision.retryAfterSeconds) },
        };
      }
      const method = req.method ?? 'GET';
      const route = routeSquareApi(method, segments);
      if (!route) throw notFound(`No ${method} /${segments.join('/')} in this API.`);
      const body = method === 'POST' || method === 'PUT' ? await readBody(req) : undefined;
      // Looked up after the await: a reset in between replaces the stores.
      const store = stores.get(token);
      if (!store) throw unauthorized();
      return { ...route.operation(store, { query, body, params: route.params }), headers };
    } catch (error) {
      if (error instanceof SquareFailure) return { ...error.toAnswer(), headers };
      throw error;
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', 'http://square.invalid');
    let segments: string[];
    try {
      segments = requestUrl.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return send(res, invalid('BAD_REQUEST', 'Malformed path.').toAnswer());
    }
    const [first, second] = segments;
    if (req.method === 'GET' && first === 'health' && (second === 'live' || second === 'ready')) {
      return send(res, { status: 200, body: { ok: true } });
    }
    if (first === 'v2') return send(res, await answerApi(req, segments, requestUrl.searchParams));
    send(res, notFound('No such resource.').toAnswer());
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.warn('request failed', { path: req.url, error: String(error) });
      if (res.headersSent) {
        res.destroy();
        return;
      }
      send(res, {
        status: 500,
        body: {
          errors: [
            { category: 'API_ERROR', code: 'INTERNAL_SERVER_ERROR', detail: 'Internal error.' },
          ],
        },
      });
    });
  });

  return {
    get url() {
      return url;
    },
    get sellers() {
      return stores;
    },
    bookElsewhere(input) {
      const store = stores.get(input.accessToken);
      if (!store) throw unauthorized();
      const variation = store.variations.get(input.serviceVariationId)?.variation;
      if (!variation)
        throw invalid('INVALID_VALUE', 'Unknown service variation.', 'service_variation_id');
      const member = store.teamMembers.get(input.teamMemberId);
      if (
        member?.locationId !== input.locationId ||
        !variation.teamMemberIds.includes(input.teamMemberId)
      ) {
        throw invalid(
          'INVALID_VALUE',
          'The team member does not provide this service here.',
          'team_member_id',
        );
      }
      const startMs = parseTime(input.startAt, 'start_at');
      const segments = [
        {
          duration_minutes: variation.durationMinutes,
          service_variation_id: variation.id,
          team_member_id: input.teamMemberId,
          service_variation_version: catalogVersion,
          intermission_minutes: 0,
          any_team_member: false,
        },
      ];
      ensureBookable(store, startMs, segments);
      const now = formatTime(clock().getTime());
      const booking: Booking = {
        id: nextId('booking'),
        version: 0,
        status: 'ACCEPTED',
        created_at: now,
        updated_at: now,
        start_at: formatTime(startMs),
        location_id: input.locationId,
        appointment_segments: segments,
        transition_time_minutes: 0,
        all_day: false,
        location_type: 'BUSINESS_LOCATION',
        source: 'FIRST_PARTY_BUYER',
      };
      store.put({ booking, startMs, origin: 'elsewhere' });
      return structuredClone(booking);
    },
    reset() {
      limiter.reset();
      stores = seedStores();
    },
    async listen(port, host = '127.0.0.1') {
      server.listen(port, host);
      await once(server, 'listening');
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      url = `http://${shownHost}:${address.port}`;
      return url;
    },
    async close() {
      if (!server.listening) return;
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
