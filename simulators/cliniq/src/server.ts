import { readFile } from 'node:fs/promises';
import http from 'node:http';
import {
  type ControlConfig,
  closeAtOnce,
  createSimulatorControl,
  listenOn,
  type SimulatorControl,
} from '@booking/simulator-kit';
import { z } from 'zod';
import { applyClinicChange } from './applyClinicChange.js';
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

/** Cliniq's own knobs in `/_admin/config`, beside the kit's common ones. */
export interface CliniqKnobs extends Record<string, unknown> {
  holdTtlSeconds: number;
  /** Replaces every clinic's booking horizon when set. */
  daysAhead: number | undefined;
}

/** The configuration in effect; `POST /_admin/config` changes it, `POST /_admin/reset` restores it. */
export type SimulatorConfig = ControlConfig<CliniqKnobs>;

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

/** Cliniq's API as an OpenAPI 3.0 document, which the simulator's answers are tested against. */
export const openApiDocumentUrl = new URL('../openapi.json', import.meta.url);

async function sendDocument(res: http.ServerResponse): Promise<void> {
  const document = await readFile(openApiDocumentUrl, 'utf8');
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(document);
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
  const counters = { BK: 0, HD: 0 };
  const seedStores = (): Map<string, TenantStore> => {
    counters.BK = 0;
    counters.HD = 0;
    return new Map(
      seeds.map((tenant) => [
        tenant.id,
        createTenantStore(tenant, {
          clock,
          seed,
          settings: (): CliniqKnobs => control.config,
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
  const control: SimulatorControl<CliniqKnobs> = createSimulatorControl<CliniqKnobs>({
    connectionsKey: 'tenants',
    connectionIds: () => tenants.keys(),
    defaults: {
      latencyMs: options.latencyMs ?? 0,
      responseDelayMs: options.responseDelayMs ?? 0,
      faultRate: options.faultRate ?? 0,
      rateLimitPerSecond: options.rateLimitPerSecond ?? 50,
    },
    vendorDefaults: () => ({
      holdTtlSeconds: options.holdTtlSeconds ?? 300,
      daysAhead: options.daysAhead,
    }),
    vendorKnobs: { holdTtlSeconds: z.number().int().positive().optional() },
    seed,
    logger,
    onReset: () => {
      tenants = seedStores();
    },
  });

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

  function handleAdmin(req: http.IncomingMessage, action: string, query: URLSearchParams): Answer {
    if (`${req.method} ${action}` === 'GET bookings') return adminBookings(query);
    return errorAnswer(404, 'not_found', 'No such admin endpoint.');
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
    const apiKey = req.headers['x-api-key'];
    if (apiKey !== tenant.apiKey) {
      return send(res, errorAnswer(401, 'unauthorized', 'Missing or invalid X-Api-Key.'));
    }
    const method = req.method ?? 'GET';
    // Every tenant POST and DELETE writes: holds, confirms, bookings, cancellations.
    const access = method === 'POST' || method === 'DELETE' ? 'write' : 'read';
    const body = method === 'POST' ? await readJson(req) : success(200, undefined);
    const admission = await control.admit({ connection: tenantId, access, res });
    if (admission.kind === 'dropped') return;
    if (admission.kind === 'refuse') {
      if (admission.status === 429) {
        return send(res, {
          ...errorAnswer(429, 'rate_limited', 'Too many requests.'),
          headers: { 'retry-after': String(admission.retryAfterSeconds ?? 1) },
        });
      }
      return send(
        res,
        errorAnswer(admission.status, 'unavailable', 'Service temporarily unavailable.'),
      );
    }
    if (!body.ok) return send(res, toAnswer(body));
    // Looked up again after the awaits: a reset in between replaces the stores.
    const store = tenants.get(tenantId);
    if (!store) return send(res, errorAnswer(404, 'not_found', `Unknown tenant ${tenantId}.`));
    const outcome = routeTenantApi(store, { method, segments, query, body: body.body });
    if (
      !(await control.beforeAnswer({ connection: tenantId, access, res, succeeded: outcome.ok }))
    ) {
      return;
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
    if (req.method === 'GET' && first === 'openapi.json' && second === undefined) {
      return sendDocument(res);
    }
    if (await control.handleAdmin(req, res)) return;
    if (req.method === 'POST' && first === '_admin' && second === 'clinic-changes' && !third) {
      const body = await readJson(req);
      // Looked up after the body is read: a reset in between replaces the stores.
      return send(res, toAnswer(body.ok ? applyClinicChange(tenants, body.body) : body));
    }
    if (first === '_admin' && second !== undefined && third === undefined) {
      return send(res, handleAdmin(req, second, requestUrl.searchParams));
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
      return { config: control.config, tenants };
    },
    async listen(port, host = '127.0.0.1') {
      ({ url } = await listenOn(server, port, host));
      return url;
    },
    async close() {
      await closeAtOnce(server);
    },
  };
}
