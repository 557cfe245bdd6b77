import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRandom, hashString } from '@booking/simulator-kit';
import { z } from 'zod';
import { createRateLimiter } from './createRateLimiter.js';
import { createTenantStore, type TenantStore } from './createTenantStore.js';
import { type ErrorBody, failure, type Outcome, success } from './errors.js';
import { routeTenantApi } from './routeTenantApi.js';
import { defaultTenants, type TenantSeed } from './seed.js';

export type { TenantSeed } from './seed.js';
export { defaultTenants } from './seed.js';

/** Where the simulator reports what it does to requests; any object with these two methods. */
export interface CliniqLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface CliniqSimulatorOptions {
  /** Tenants (clinic chains) served, each under `/t/{id}/api/v1`. Default: `defaultTenants`. */
  tenants?: readonly TenantSeed[];
  /** Business time: "today", past slots, hold expiry, cancel cut-off. Default: `() => new Date()`. */
  clock?: () => Date;
  /** Delay added before every tenant API request is processed, in milliseconds. Default: 0. */
  latencyMs?: number;
  /**
   * Delay between performing a successful booking write and answering it, in milliseconds:
   * the write is visible at once, only its answer waits. Default: 0.
   */
  responseDelayMs?: number;
  /** Share of tenant API requests answered `503 unavailable`, 0..1. Default: 0. */
  faultRate?: number;
  /** Requests per second allowed per API key before `429`. Default: 50. */
  rateLimitPerSecond?: number;
  /** How long a hold keeps its slot, in seconds. Default: 300. */
  holdTtlSeconds?: number;
  /**
   * When set, every clinic's book is open for the local days today..today+daysAhead, in place of
   * each clinic's own booking horizon (`ClinicSeed.bookingHorizonDays`). Default: unset.
   */
  daysAhead?: number | undefined;
  /** Seed for the other patients' bookings and for fault injection. Default: 1. */
  seed?: number;
  /** Receives a line per injected fault, lost response and abandoned delayed response. Default: silent. */
  logger?: CliniqLogger;
}

/** Per-tenant overrides set through `POST /_admin/config`. */
export interface TenantOverride {
  latencyMs?: number;
  responseDelayMs?: number;
  faultRate?: number;
  /** When true the tenant answers `503` to everything. */
  down?: boolean;
}

/** The configuration in effect; `POST /_admin/config` changes it, `POST /_admin/reset` restores it. */
export interface SimulatorConfig {
  latencyMs: number;
  /** How long the answer to a successful booking write waits after the write. */
  responseDelayMs: number;
  faultRate: number;
  rateLimitPerSecond: number;
  holdTtlSeconds: number;
  /** Replaces every clinic's booking horizon when set. */
  daysAhead: number | undefined;
  /** How many more successful booking writes lose their response. */
  lostResponses: number;
  tenants: Record<string, TenantOverride>;
}

/** Tenant API requests since start or reset: received, answered `429`, failed on purpose. */
export interface TenantTraffic {
  requests: number;
  rateLimited: number;
  faults: number;
}

export interface SimulatorState {
  readonly config: SimulatorConfig;
  readonly tenants: ReadonlyMap<string, TenantStore>;
}

export interface CliniqSimulator {
  /** Starts listening; resolves with the base URL, e.g. `http://127.0.0.1:4101`. */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
  /** The base URL once listening, else an empty string. */
  readonly url: string;
  /** Live state, for tests that want to look behind the API. */
  readonly state: SimulatorState;
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

const maxBodyBytes = 64 * 1024;
const silentLogger: CliniqLogger = { info: () => {}, warn: () => {} };

const nullableOverride = <T extends z.ZodType>(schema: T) => schema.nullable().optional();
const configPatch = z.strictObject({
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  responseDelayMs: z.number().int().min(0).max(60_000).optional(),
  faultRate: z.number().min(0).max(1).optional(),
  rateLimitPerSecond: z.number().positive().optional(),
  holdTtlSeconds: z.number().int().positive().optional(),
  lostResponses: z.number().int().min(0).optional(),
  tenants: z
    .record(
      z.string(),
      z.strictObject({
        latencyMs: nullableOverride(z.number().int().min(0).max(60_000)),
        responseDelayMs: nullableOverride(z.number().int().min(0).max(60_000)),
        faultRate: nullableOverride(z.number().min(0).max(1)),
        down: z.boolean().optional(),
      }),
    )
    .optional(),
});

function toAnswer(outcome: Outcome<unknown>): Answer {
  return { status: outcome.status, body: outcome.body };
}

function errorAnswer(status: number, error: ErrorBody['error'], message: string): Answer {
  return toAnswer(failure(status, error, message));
}

function send(res: http.ServerResponse, answer: Answer): void {
  if (answer.status === 204) {
    res.writeHead(204, answer.headers);
    res.end();
    return;
  }
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    ...answer.headers,
  });
  res.end(JSON.stringify(answer.body));
}

async function readJson(req: http.IncomingMessage): Promise<Outcome<unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return failure(413, 'payload_too_large', 'Body over 64 KiB.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return success(200, undefined);
  try {
    return success(200, JSON.parse(text));
  } catch {
    return failure(400, 'invalid_request', 'Body is not valid JSON.');
  }
}

function decodeSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/**
 * A stateful stand-in for Cliniq, the booking system of several Swedish clinic chains: one
 * process serves every tenant, with the vendor's quirks (offset-less local times, 1-based
 * pagination, holds, idempotency by `externalRef`) and operator knobs for latency and failures.
 */
export function createCliniqSimulator(options: CliniqSimulatorOptions = {}): CliniqSimulator {
  const seeds = options.tenants ?? defaultTenants;
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const seed = options.seed ?? 1;
  const initialConfig = (): SimulatorConfig => ({
    latencyMs: options.latencyMs ?? 0,
    responseDelayMs: options.responseDelayMs ?? 0,
    faultRate: options.faultRate ?? 0,
    rateLimitPerSecond: options.rateLimitPerSecond ?? 50,
    holdTtlSeconds: options.holdTtlSeconds ?? 300,
    daysAhead: options.daysAhead,
    lostResponses: 0,
    tenants: {},
  });

  let config = initialConfig();
  /** One fault stream per tenant: a tenant's faults repeat run to run whatever the others do. */
  let faultStreams = new Map<string, () => number>();
  const faultDraw = (tenantId: string): number => {
    let stream = faultStreams.get(tenantId);
    if (!stream) {
      stream = createRandom(seed ^ hashString(`faults:${tenantId}`));
      faultStreams.set(tenantId, stream);
    }
    return stream();
  };
  const limiter = createRateLimiter({ perSecond: () => config.rateLimitPerSecond });
  const counters = { BK: 0, HD: 0 };
  const seedStores = () => {
    counters.BK = 0;
    counters.HD = 0;
    return new Map(
      seeds.map((tenant) => [
        tenant.id,
        createTenantStore(tenant, {
          clock,
          seed,
          settings: () => config,
          nextId: (prefix) => {
            counters[prefix] += 1;
            return `${prefix}-${String(counters[prefix]).padStart(6, '0')}`;
          },
        }),
      ]),
    );
  };
  let tenants = seedStores();
  let url = '';
  /** Tenant API requests received since start or reset, for operators measuring client behaviour. */
  let traffic = new Map<string, TenantTraffic>();

  function reset(): void {
    config = initialConfig();
    faultStreams = new Map();
    limiter.reset();
    tenants = seedStores();
    traffic = new Map();
  }

  function count(tenantId: string): TenantTraffic {
    let counts = traffic.get(tenantId);
    if (!counts) {
      counts = { requests: 0, rateLimited: 0, faults: 0 };
      traffic.set(tenantId, counts);
    }
    return counts;
  }

  function applyConfig(body: unknown): Answer {
    const parsed = configPatch.safeParse(body ?? {});
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (i) => `${i.path.join('.') || 'body'}: ${i.message}`,
      );
      return errorAnswer(400, 'invalid_request', problems.join('; '));
    }
    const { tenants: overrides = {}, ...global } = parsed.data;
    const unknown = Object.keys(overrides).filter((id) => !tenants.has(id));
    if (unknown.length > 0) {
      return errorAnswer(400, 'invalid_request', `Unknown tenants: ${unknown.join(', ')}`);
    }
    const merged = { ...config.tenants };
    for (const [id, patch] of Object.entries(overrides)) {
      const next: Record<string, unknown> = { ...merged[id] };
      // `null` clears an override so the tenant follows the global value again.
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) delete next[key];
        else if (value !== undefined) next[key] = value;
      }
      merged[id] = next as TenantOverride;
    }
    const definedGlobals = Object.fromEntries(
      Object.entries(global).filter(([, value]) => value !== undefined),
    );
    config = { ...config, ...definedGlobals, tenants: merged };
    logger.info('config changed', { config });
    return { status: 200, body: config };
  }

  function adminBookings(query: URLSearchParams): Answer {
    const wanted = query.get('tenant');
    if (wanted !== null && !tenants.has(wanted)) {
      return errorAnswer(404, 'not_found', `Unknown tenant ${wanted}.`);
    }
    const bookings: unknown[] = [];
    const holds: unknown[] = [];
    for (const [id, store] of tenants) {
      if (wanted !== null && id !== wanted) continue;
      const snapshot = store.snapshot();
      bookings.push(...snapshot.bookings.map((b) => ({ tenant: id, ...b })));
      holds.push(...snapshot.holds.map((h) => ({ tenant: id, ...h })));
    }
    return { status: 200, body: { bookings, holds } };
  }

  async function handleAdmin(
    req: http.IncomingMessage,
    action: string | undefined,
    query: URLSearchParams,
  ): Promise<Answer> {
    const route = `${req.method} ${action ?? ''}`;
    switch (route) {
      case 'GET health':
        return { status: 200, body: { ok: true } };
      case 'GET config':
        return { status: 200, body: config };
      case 'POST config': {
        const body = await readJson(req);
        return body.ok ? applyConfig(body.body) : toAnswer(body);
      }
      case 'POST reset':
        reset();
        logger.info('reset to seed state');
        return { status: 200, body: config };
      case 'GET bookings':
        return adminBookings(query);
      case 'GET traffic':
        return { status: 200, body: { tenants: Object.fromEntries(traffic) } };
      default:
        return errorAnswer(404, 'not_found', 'No such admin endpoint.');
    }
  }

  async function handleTenant(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    tenantId: string,
    segments: string[],
    query: URLSearchParams,
  ): Promise<void> {
    const tenant = tenants.get(tenantId)?.tenant;
    if (!tenant) return send(res, errorAnswer(404, 'not_found', `Unknown tenant ${tenantId}.`));
    const counts = count(tenantId);
    counts.requests += 1;
    const override = () => config.tenants[tenantId] ?? {};
    if (override().down) {
      return send(res, errorAnswer(503, 'unavailable', 'Service temporarily unavailable.'));
    }
    const apiKey = req.headers['x-api-key'];
    if (apiKey !== tenant.apiKey) {
      return send(res, errorAnswer(401, 'unauthorized', 'Missing or invalid X-Api-Key.'));
    }
    const decision = limiter.take(apiKey);
    if (!decision.ok) {
      counts.rateLimited += 1;
      return send(res, {
        ...errorAnswer(429, 'rate_limited', 'Too many requests.'),
        headers: { 'retry-after': String(decision.retryAfterSeconds) },
      });
    }
    const method = req.method ?? 'GET';
    const body = method === 'POST' ? await readJson(req) : success(200, undefined);
    const latencyMs = override().latencyMs ?? config.latencyMs;
    if (latencyMs > 0) await sleep(latencyMs);
    if (faultDraw(tenantId) < (override().faultRate ?? config.faultRate)) {
      counts.faults += 1;
      logger.info('injected fault', { tenant: tenantId, method, path: req.url });
      return send(res, errorAnswer(503, 'unavailable', 'Service temporarily unavailable.'));
    }
    if (!body.ok) return send(res, toAnswer(body));
    // Looked up again after the awaits: a reset in between replaces the stores.
    const store = tenants.get(tenantId);
    if (!store) return send(res, errorAnswer(404, 'not_found', `Unknown tenant ${tenantId}.`));
    const outcome = routeTenantApi(store, { method, segments, query, body: body.body });
    // Every tenant POST is a booking write: holds, confirms and bookings.
    if (outcome.ok && method === 'POST' && config.lostResponses > 0) {
      config.lostResponses -= 1;
      logger.warn('dropped response after a booking write', { tenant: tenantId, path: req.url });
      res.destroy();
      return;
    }
    // Every tenant POST and DELETE writes. Delaying only the answer opens a window in which
    // the booking exists here but the caller has not heard of it, for crash tests to hit.
    const responseDelayMs = override().responseDelayMs ?? config.responseDelayMs;
    if (outcome.ok && (method === 'POST' || method === 'DELETE') && responseDelayMs > 0) {
      await sleep(responseDelayMs);
      // The caller may have gone (killed, or timed out) while it waited; nobody to answer.
      if (res.destroyed) {
        logger.info('caller left before a delayed response', { tenant: tenantId, path: req.url });
        return;
      }
    }
    send(res, toAnswer(outcome));
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', 'http://cliniq.invalid');
    const segments = decodeSegments(requestUrl.pathname);
    if (!segments) return send(res, errorAnswer(400, 'invalid_request', 'Malformed path.'));
    const [first, second, third, fourth, ...rest] = segments;
    if (req.method === 'GET' && first === 'health' && (second === 'live' || second === 'ready')) {
      return send(res, { status: 200, body: { ok: true } });
    }
    if (first === '_admin' && third === undefined) {
      return send(res, await handleAdmin(req, second, requestUrl.searchParams));
    }
    if (first === 't' && second !== undefined && third === 'api' && fourth === 'v1') {
      return handleTenant(req, res, second, rest, requestUrl.searchParams);
    }
    send(res, errorAnswer(404, 'not_found', 'No such resource.'));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.warn('request failed', { path: req.url, error: String(error) });
      if (res.headersSent) res.destroy();
      else send(res, errorAnswer(500, 'internal', 'Internal error.'));
    });
  });

  return {
    get url() {
      return url;
    },
    get state() {
      return { config, tenants };
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
