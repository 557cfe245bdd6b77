import http from 'node:http';
import {
  type ControlConfig,
  closeAtOnce,
  createSimulatorControl,
  listenOn,
  type SimulatorControl,
} from '@booking/simulator-kit';
import { getStatus, notFound, OperationOutcomeError } from '@medplum/core';
import { FhirRouter, type HttpMethod } from '@medplum/fhir-router';
import type { Subscription } from '@medplum/fhirtypes';
import { z } from 'zod';
import {
  type AnotherClientWorld,
  anotherClientTakes,
  anotherClientTouches,
} from './anotherClient.js';
import { answerFhirRequest } from './answerFhirRequest.js';
import { capabilityStatement } from './capabilityStatement.js';
import type { ClinicWorld } from './clinicBookingChanges.js';
import { createMutex } from './createMutex.js';
import { createSubscriptionNotifier, type DeliveryOptions } from './createSubscriptionNotifier.js';
import { type DayNeed, dayNeedsOf } from './dayNeedsOf.js';
import { directoryResources, scheduleId } from './directoryResources.js';
import { fhirJson, outcome, outcomeAnswer, parseFhirBody, send, sendFhir } from './httpAnswer.js';
import { loadFhirDefinitions } from './loadFhirDefinitions.js';
import { routeOwnAdmin } from './routeOwnAdmin.js';
import { SimulatorRepository } from './SimulatorRepository.js';
import { SlotCalendar } from './SlotCalendar.js';
import { defaultOrganizations, type OrganizationSeed } from './seed.js';

export type { DeliveryOptions } from './createSubscriptionNotifier.js';
export { SimulatorRepository } from './SimulatorRepository.js';
export type { OrganizationSeed } from './seed.js';
export { defaultOrganizations } from './seed.js';

/** Where the simulator reports what it does to requests; any object with these two methods. */
export interface FhirSimulatorLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface FhirSimulatorOptions {
  /** Organisations (clinic chains) on this server. Default: `defaultOrganizations`. */
  organizations?: readonly OrganizationSeed[];
  /** Business time: which days are open, `meta.lastUpdated`. Default: `() => new Date()`. */
  clock?: () => Date;
  /** Delay before every FHIR API request is processed, in milliseconds. Default: 0. */
  latencyMs?: number;
  /** Delay between performing a successful write and answering it, in milliseconds. Default: 0. */
  responseDelayMs?: number;
  /** Share of FHIR API requests answered `503` without doing anything, 0..1. Default: 0. */
  faultRate?: number;
  /**
   * When set, every location's book is open for the local days today..today+daysAhead, in place
   * of its own `bookingHorizonDays`. Either way the horizon rolls forward with the clock. Default:
   * unset (each location's own horizon).
   */
  daysAhead?: number;
  /** Seed for which slots are already taken and for fault injection. Default: 1. */
  seed?: number;
  /** When set, the FHIR API requires `Authorization: Bearer <accessToken>`. Default: no authentication. */
  accessToken?: string;
  /** Page size of a search without `_count`. Default: 20 (Medplum's). */
  defaultPageSize?: number;
  /** Largest page a search answers; a larger `_count` is silently lowered. Default: 200. */
  maxPageSize?: number;
  /**
   * How Subscription notifications are delivered: tries, waits between them, the timeout of one
   * POST. Default: 5 tries, 200 ms doubling to at most 5 s, 5 s each.
   */
  subscriptionDelivery?: DeliveryOptions;
  /** Receives a line per injected fault, lost response and admin action. Default: silent. */
  logger?: FhirSimulatorLogger;
}

/** FHIR's own knobs in `/_admin/config`, beside the simulator kit's common ones. */
export interface FhirKnobs extends Record<string, unknown> {
  /**
   * How many more reads of a single Slot (`GET Slot/{id}`) are followed, after the answer is
   * made and before it is sent, by another client booking that slot: the reader's version is
   * then stale and its `If-Match` update fails with 412.
   */
  takeOnRead: number;
  /** Like `takeOnRead`, but the other client only edits the slot (a version bump, still free). */
  touchOnRead: number;
  maxPageSize: number;
}

/** The configuration in effect; `POST /_admin/config` changes it, `POST /_admin/reset` restores it. */
export type SimulatorConfig = ControlConfig<FhirKnobs>;

/**
 * The one connection of the control protocol: every organisation shares the server, and a
 * request does not say which organisation it is for.
 */
export const fhirConnectionId = 'fhir';

export interface FhirSimulator {
  /** Starts listening; resolves with the base URL, e.g. `http://127.0.0.1:4102` (FHIR base: `/fhir/R4`). */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
  /** The base URL once listening, else an empty string. */
  readonly url: string;
  /** Live state, for tests that want to look behind the API. */
  readonly state: {
    readonly config: SimulatorConfig;
    readonly repository: SimulatorRepository;
    /**
     * The (location, local day) books whose slots are loaded, as `<location id>/<yyyy-MM-dd>`,
     * sorted: slots are made when a request first needs their day, not at start.
     */
    readonly loadedDays: readonly string[];
  };
  /** Resolves once every Subscription notification queued so far is delivered or given up. */
  notificationsSettled(): Promise<void>;
}

/** Path of the FHIR API below the simulator's URL. */
export const fhirBasePath = '/fhir/R4';

const silentLogger: FhirSimulatorLogger = { info: () => {}, warn: () => {} };

/**
 * A real FHIR R4 server for development and tests: Medplum's FHIR router over its in-memory
 * repository (made atomic and validating, see `SimulatorRepository`), served at `/fhir/R4` as
 * `application/fhir+json`, seeded with Swedish clinics and schedules, with slots for each
 * location's booking horizon relative to the injected clock (made day by day as requests need
 * them, see `SlotCalendar`), and with operator knobs under `/_admin/` for latency, faults and races.
 */
export function createFhirSimulator(options: FhirSimulatorOptions = {}): FhirSimulator {
  loadFhirDefinitions();
  const organizations = options.organizations ?? defaultOrganizations;
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const seed = options.seed ?? 1;
  const defaultPageSize = options.defaultPageSize ?? 20;
  const router = new FhirRouter();
  const mutex = createMutex();
  const organizationOfSchedule = new Map<string, string>(
    organizations.flatMap((organization) =>
      organization.locations.flatMap((location) =>
        location.practitioners.map((p) => [`Schedule/${scheduleId(p)}`, organization.id] as const),
      ),
    ),
  );
  const calendar = new SlotCalendar(organizations, { daysAhead: options.daysAhead, seed, clock });

  const isActive = (subscription: Subscription) =>
    subscription.status === 'active' &&
    (subscription.end === undefined || Date.parse(subscription.end) > clock().getTime());
  const notifier = createSubscriptionNotifier(
    {
      // Called as a write commits, already under the mutex.
      activeSubscriptions: () => repository.all<Subscription>('Subscription').filter(isActive),
      currentSubscription: (id) =>
        mutex.run(async () =>
          repository.all<Subscription>('Subscription').find((s) => s.id === id && isActive(s)),
        ),
      markError: (id, text) =>
        mutex.run(async () => {
          const current = repository.all<Subscription>('Subscription').find((s) => s.id === id);
          if (current?.status !== 'active') return;
          await repository.updateResource<Subscription>({
            ...current,
            status: 'error',
            error: text,
          });
        }),
      logger,
    },
    options.subscriptionDelivery,
  );
  const newRepository = () => new SimulatorRepository(clock, { onCommit: notifier.committed });

  let repository = newRepository();
  let url = '';

  /** The directory only: slots are loaded day by day as requests need them (`materialise`). */
  async function seedRepository(): Promise<void> {
    notifier.clear();
    repository = newRepository();
    calendar.reset();
    await repository.load(directoryResources(organizations));
  }

  /** Loads the open days `needs` name that are not loaded yet; call under the mutex. */
  async function materialise(needs: readonly DayNeed[]): Promise<void> {
    await calendar.materialise(repository, needs);
  }

  const ready = mutex.run(seedRepository);
  const control: SimulatorControl<FhirKnobs> = createSimulatorControl<FhirKnobs>({
    connectionsKey: 'servers',
    connectionIds: () => [fhirConnectionId],
    defaults: {
      latencyMs: options.latencyMs ?? 0,
      responseDelayMs: options.responseDelayMs ?? 0,
      faultRate: options.faultRate ?? 0,
    },
    vendorDefaults: () => ({
      takeOnRead: 0,
      touchOnRead: 0,
      maxPageSize: options.maxPageSize ?? 200,
    }),
    vendorKnobs: {
      takeOnRead: z.number().int().min(0).optional(),
      touchOnRead: z.number().int().min(0).optional(),
      maxPageSize: z.number().int().min(1).max(1000).optional(),
    },
    seed,
    logger,
    onReset: () => mutex.run(seedRepository),
  });
  const config = () => control.config;

  async function internal(method: HttpMethod, path: string, body?: unknown) {
    return answerFhirRequest(
      { router, repository, baseUrl: `${url}${fhirBasePath}`, defaultPageSize, maxPageSize: 100 },
      { method, path, query: new URLSearchParams(), body, headers: {} },
    );
  }

  /** Another client of the server, for races and `/_admin/take-slot`. */
  const world: AnotherClientWorld = {
    get repository() {
      return repository;
    },
    clock,
    organizationOfSchedule,
    internal,
  };
  /** The clinic's own staff, for `/_admin/clinic-changes`. */
  const clinicWorld: ClinicWorld = {
    get repository() {
      return repository;
    },
    clock,
    organizationOfSchedule,
    internal,
    materialise,
  };

  async function handleFhir(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
    query: URLSearchParams,
  ): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase() as HttpMethod;
    const baseUrl = `http://${req.headers.host ?? new URL(url).host}${fhirBasePath}`;
    if (method === 'GET' && path === 'metadata') {
      return send(res, 200, capabilityStatement(baseUrl, clock()), { 'content-type': fhirJson });
    }
    if (options.accessToken && req.headers.authorization !== `Bearer ${options.accessToken}`) {
      return sendFhir(
        res,
        outcomeAnswer(401, outcome('error', 'login', 'Unauthorized'), {
          'www-authenticate': 'Bearer realm="fhir"',
        }),
      );
    }
    const body = await parseFhirBody(req, method);
    if (!body.ok) return sendFhir(res, body.answer);
    const isWrite = method !== 'GET';
    const access = isWrite ? 'write' : 'read';
    const admission = await control.admit({ connection: fhirConnectionId, access, res });
    if (admission.kind === 'dropped') return;
    if (admission.kind === 'refuse') {
      const throttled = admission.status === 429;
      return sendFhir(
        res,
        outcomeAnswer(
          admission.status,
          outcome('error', throttled ? 'throttled' : 'transient', 'Service unavailable'),
          admission.retryAfterSeconds === undefined
            ? {}
            : { 'retry-after': String(admission.retryAfterSeconds) },
        ),
      );
    }
    const slotRead = method === 'GET' ? /^Slot\/([^/]+)$/.exec(path)?.[1] : undefined;
    const call = { method, path, query, body: body.body, headers: req.headers };
    const answer = await mutex.run(async () => {
      // Every request, every page of a search: the days it may see are loaded before it runs.
      await materialise(dayNeedsOf(call, repository.seededAt.getTime()));
      const endpoint = {
        router,
        repository,
        baseUrl,
        defaultPageSize,
        maxPageSize: config().maxPageSize,
      };
      const result = await answerFhirRequest(endpoint, call);
      // The race a careless client loses: another write lands between its read and its update.
      if (
        slotRead &&
        result.status === 200 &&
        (config().takeOnRead > 0 || config().touchOnRead > 0)
      ) {
        if (config().takeOnRead > 0) {
          config().takeOnRead -= 1;
          const taken = await anotherClientTakes(world, slotRead, 'busy');
          logger.info('another client took the slot just read', {
            slotId: slotRead,
            status: taken.status,
          });
        } else {
          config().touchOnRead -= 1;
          await anotherClientTouches(world, slotRead);
          logger.info('another client edited the slot just read', { slotId: slotRead });
        }
      }
      return result;
    });
    const succeeded = answer.status < 300;
    const connection = fhirConnectionId;
    if (!(await control.beforeAnswer({ connection, access, res, succeeded }))) return;
    sendFhir(res, answer);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    await ready;
    const requestUrl = new URL(req.url ?? '/', 'http://fhir.invalid');
    let segments: string[];
    try {
      segments = requestUrl.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return send(res, 400, { error: 'invalid_request', message: 'Malformed path' });
    }
    const [first, second] = segments;
    if (req.method === 'GET' && first === 'health' && (second === 'live' || second === 'ready')) {
      return send(res, 200, { ok: true });
    }
    if (await control.handleAdmin(req, res)) return;
    if (first === '_admin') {
      const clinicChanges = {
        world: clinicWorld,
        mutex,
        organizations,
        connections: [fhirConnectionId],
        logger,
      };
      const context = { world, mutex, materialise, logger, clinicChanges };
      return routeOwnAdmin(context, req, res, segments.slice(1), requestUrl.searchParams);
    }
    if (
      requestUrl.pathname === fhirBasePath ||
      requestUrl.pathname.startsWith(`${fhirBasePath}/`)
    ) {
      const path = segments.slice(2).join('/');
      return handleFhir(req, res, path, requestUrl.searchParams);
    }
    sendFhir(res, outcomeAnswer(404, notFound));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.warn('request failed', { path: req.url?.split('?')[0], error: String(error) });
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const body =
        error instanceof OperationOutcomeError
          ? error.outcome
          : outcome('error', 'exception', 'Internal server error');
      sendFhir(
        res,
        outcomeAnswer(error instanceof OperationOutcomeError ? getStatus(body) : 500, body),
      );
    });
  });

  return {
    get url() {
      return url;
    },
    get state() {
      return { config: control.config, repository, loadedDays: calendar.loadedDays };
    },
    notificationsSettled: () => notifier.idle(),
    async listen(port, host = '127.0.0.1') {
      await ready;
      ({ url } = await listenOn(server, port, host));
      return url;
    },
    async close() {
      notifier.clear();
      await closeAtOnce(server);
    },
  };
}
