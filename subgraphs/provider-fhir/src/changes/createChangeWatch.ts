import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  type ChangeLog,
  type PushAnswer,
  type PushRequest,
  pushPath,
  type RequestBudget,
} from '@booking/provider-kit';
import type { Logger } from '@booking/server-kit';
import type { FhirClient } from '../client/createFhirClient.js';
import { appointmentSchema, slotSchema } from '../client/schemas.js';
import type { FhirCatalogueCache } from '../loadFhirCatalogue.js';
import { reservationSystem } from '../mapping.js';
import { createChangeRecorder } from './createChangeRecorder.js';
import { ensureSubscriptions } from './ensureSubscriptions.js';

export interface ChangeWatchOptions {
  readonly connectionId: string;
  readonly client: FhirClient;
  readonly catalogue: FhirCatalogueCache;
  readonly log: ChangeLog;
  /** This subgraph's base URL as the FHIR server reaches it; unset: no Subscriptions, poll only. */
  readonly pushBaseUrl: string | undefined;
  /** Milliseconds between two catch-up polls. */
  readonly pollIntervalMs: number;
  /**
   * A secret every replica of this subgraph shares (`FHIR_PUSH_SECRET`): the Subscriptions'
   * channel secret is derived from it, so any replica checks any notification. Unset: a random
   * secret per run, for one replica (each run takes the Subscriptions over).
   */
  readonly sharedSecret?: string | undefined;
  /** What one poll (its searches, and the Subscription check) may take. */
  readonly deadlineMs: number;
  readonly logger: Logger;
  readonly now: () => number;
}

export interface ChangeWatch {
  /** Subscribes (when pushes can reach this subgraph) and polls once now, then every interval. */
  start(): void;
  /** Stops the polling; a poll under way is abandoned. */
  stop(): Promise<void>;
  /** A Subscription notification for this connection (`POST /push/<connection id>`). */
  receive(push: PushRequest): Promise<PushAnswer>;
  /** One catch-up poll now (tests; also what an empty notification asks for). */
  poll(): Promise<void>;
}

/**
 * How far each catch-up poll reaches back before the newest change it has seen: a server stamps
 * `meta.lastUpdated` when a write starts, so a write committed a little after a later one could
 * otherwise fall behind the watermark. What it finds again has the same change ids: left out.
 */
const pollOverlapMs = 5_000;

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Change detection for one organisation: R4 rest-hook Subscriptions on Appointment and Slot whose
 * notifications arrive as pushes, and a catch-up poll (`_lastUpdated=gt…`) for what a lost
 * notification would miss. Both record into the connection's change log with ids per resource
 * version, so what both find is recorded once.
 */
export function createChangeWatch(options: ChangeWatchOptions): ChangeWatch {
  const { client, catalogue, logger, now } = options;
  const recorder = createChangeRecorder(options.log, now);
  const secret = options.sharedSecret
    ? createHmac('sha256', options.sharedSecret)
        .update(`fhir-subscription:${options.connectionId}`)
        .digest('base64url')
    : randomBytes(32).toString('base64url');
  const expectedAuthorization = digest(`Bearer ${secret}`);
  const endpoint = options.pushBaseUrl
    ? `${options.pushBaseUrl.replace(/\/+$/, '')}${pushPath(options.connectionId)}`
    : undefined;
  let startedAt = 0;
  /** Newest `meta.lastUpdated` a poll has found, in ms. */
  let newestSeen = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let controller = new AbortController();
  let stopped = false;

  const budget = (): RequestBudget => ({
    signal: AbortSignal.any([controller.signal, AbortSignal.timeout(options.deadlineMs)]),
    deadlineAt: Date.now() + options.deadlineMs,
  });

  async function pollOnce(): Promise<void> {
    const request = budget();
    if (endpoint) {
      const written = await ensureSubscriptions(client, { endpoint, secret }, request);
      if (written > 0) logger.info({ endpoint, written }, 'FHIR Subscriptions (re)requested');
    }
    const directory = await catalogue.get(request.signal);
    const since = new Date(Math.max(startedAt, newestSeen - pollOverlapMs)).toISOString();
    const [appointments, slots] = await Promise.all([
      client.search(
        'Appointment',
        { _lastUpdated: `gt${since}`, identifier: `${reservationSystem}|` },
        appointmentSchema,
        request,
      ),
      client.search('Slot', { _lastUpdated: `gt${since}` }, slotSchema, request),
    ]);
    for (const resource of [...appointments, ...slots]) {
      await recorder.record(resource, directory, 'POLL');
      const at = Date.parse(resource.meta.lastUpdated ?? '');
      if (at > newestSeen) newestSeen = at;
    }
  }

  /** One poll at a time: a poll asked for while one runs shares it. */
  function poll(): Promise<void> {
    running ??= pollOnce()
      .catch((error: unknown) => {
        if (!stopped)
          logger.warn({ error: String(error) }, 'FHIR change poll failed; next poll retries');
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      void poll().then(schedule);
    }, options.pollIntervalMs);
    timer.unref();
  }

  function authorised(push: PushRequest): boolean {
    const given = push.headers.authorization;
    return typeof given === 'string' && timingSafeEqual(digest(given), expectedAuthorization);
  }

  return {
    start() {
      stopped = false;
      controller = new AbortController();
      startedAt = now();
      void poll().then(schedule);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
      await running;
    },
    poll,
    async receive(push) {
      if (!endpoint || !authorised(push)) {
        return { status: 401, message: 'missing or wrong bearer secret' };
      }
      // R4: a notification without payload says only that something matched; go and look.
      if (push.body.length === 0) {
        void poll();
        return { status: 200, message: 'polling' };
      }
      let json: unknown;
      try {
        json = JSON.parse(push.body.toString('utf8'));
      } catch {
        return { status: 400, message: 'body is not JSON' };
      }
      const type = (json as { resourceType?: unknown } | null)?.resourceType;
      const parsed =
        type === 'Appointment'
          ? appointmentSchema.safeParse(json)
          : type === 'Slot'
            ? slotSchema.safeParse(json)
            : undefined;
      if (!parsed?.success) {
        return { status: 400, message: 'body is not a valid Appointment or Slot' };
      }
      let directory: Awaited<ReturnType<FhirCatalogueCache['get']>>;
      try {
        directory = await catalogue.get(AbortSignal.timeout(options.deadlineMs));
      } catch {
        // Not taken: the server delivers it again, or the poll finds it.
        return { status: 503, message: 'directory unavailable' };
      }
      await recorder.record(parsed.data, directory, 'PUSH');
      return { status: 200 };
    },
  };
}
