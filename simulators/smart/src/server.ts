import http from 'node:http';
import {
  type ControlConfig,
  closeAtOnce,
  createSimulatorControl,
  listenOn,
  type SimulatorControl,
} from '@booking/simulator-kit';
import { z } from 'zod';
import { answerPortal } from './answerPortal.js';
import { createPublisher, type Publisher } from './createPublisher.js';
import { generateSwedishPublication, stockholm } from './generateSwedishPublication.js';
import { type Answer, dropped, error, RawBody, send, sendAnswer } from './httpAnswer.js';
import { etagOf, ifNoneMatchMatches, notModifiedSince } from './httpCaching.js';
import { loadSpecExample } from './loadSpecExample.js';
import { type PublisherId, publisherIds } from './publisherIds.js';
import { routeOwnAdmin } from './routeOwnAdmin.js';
import { defaultStandardsDirectory } from './standardsDirectory.js';

export type { Mutation, PortalBooking, Publication, Publisher } from './createPublisher.js';
export { extensionUrls, stockholm } from './generateSwedishPublication.js';
export { type PublisherId, publisherIds } from './publisherIds.js';
export { defaultStandardsDirectory } from './standardsDirectory.js';

/** Where the simulator reports what it does to requests; any object with these two methods. */
export interface SmartLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface SmartSimulatorOptions {
  /** Business time: which slots exist, `transactionTime`, portal bookings. Default: `() => new Date()`. */
  clock?: () => Date;
  /** Delay before every publisher request (manifest, file, portal) is answered, in ms. Default: 0. */
  latencyMs?: number;
  /** Share of publisher requests answered `503`, 0..1. Default: 0. */
  faultRate?: number;
  /** `Cache-Control: max-age` of manifests and files, in seconds. Default: 60. */
  maxAgeSeconds?: number;
  /**
   * Overrides every Swedish clinic's booking horizon: all have slots for today..today+`daysAhead`
   * (local days). Default: each clinic's own `bookingHorizonDays` (`swedishSeed.ts`).
   */
  daysAhead?: number;
  /** Seed for the Swedish slots other patients have booked and for injected faults. Default: 1. */
  seed?: number;
  /** The SMART Scheduling Links standards folder. Default: `defaultStandardsDirectory()`. */
  standardsDirectory?: string;
  /** Base URL written into manifests and deep links. Default: the URL it listens on. */
  publicUrl?: string;
  /** Receives a line per injected fault and configuration change. Default: silent. */
  logger?: SmartLogger;
}

/** SMART's own knob in `/_admin/config`, beside the simulator kit's common ones. */
export interface SmartKnobs extends Record<string, unknown> {
  /** `Cache-Control: max-age` of manifests and files, in seconds; also per publisher. */
  maxAgeSeconds: number;
}

/** The configuration in effect; `POST /_admin/config` changes it, `POST /_admin/reset` restores it. */
export type SimulatorConfig = ControlConfig<SmartKnobs>;

/** What one publisher was asked, for tests that prove how often a client polls. */
export interface PublisherStats {
  manifestRequests: number;
  /** Manifest requests answered `304 Not Modified`. */
  manifestNotModified: number;
  /** Manifest requests that carried `_since`. */
  manifestSinceRequests: number;
  fileRequests: number;
  fileNotModified: number;
  /** Requests answered `503` (publisher down or injected fault). */
  faults: number;
  portalVisits: number;
  /** Portal visits by the deep link's `source` parameter (`(none)` without one). */
  portalVisitsBySource: Record<string, number>;
  portalBookings: number;
  portalConflicts: number;
}

export interface SmartSimulator {
  /** Starts listening; resolves with the base URL, e.g. `http://127.0.0.1:4104`. */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
  /** The base URL once listening, else an empty string. */
  readonly url: string;
  /** Live state, for tests that want to look behind the protocol. */
  readonly state: {
    readonly config: SimulatorConfig;
    readonly publishers: ReadonlyMap<PublisherId, Publisher>;
    readonly stats: Readonly<Record<PublisherId, PublisherStats>>;
  };
}

const silentLogger: SmartLogger = { info: () => {}, warn: () => {} };
const manifestName = '$bulk-publish';
const portalPath = ['portal', 'boka'];

const maxAgeSeconds = z.number().int().min(0).max(86_400);

/** FHIR `instant` as the specification requires it for `_since`: seconds and an offset. */
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

const emptyStats = (): PublisherStats => ({
  manifestRequests: 0,
  manifestNotModified: 0,
  manifestSinceRequests: 0,
  fileRequests: 0,
  fileNotModified: 0,
  faults: 0,
  portalVisits: 0,
  portalVisitsBySource: {},
  portalBookings: 0,
  portalConflicts: 0,
});

/**
 * A SMART Scheduling Links publisher as real ones run it: `GET /{publisher}/$bulk-publish` answers
 * a manifest listing NDJSON files of Locations, Schedules and Slots, all cacheable (ETag,
 * `Cache-Control: max-age`, `Last-Modified`), with `_since` narrowing the manifest to files
 * changed since. Booking happens on the publisher's own portal, which the slots' deep links point
 * at (`/{publisher}/portal/boka?slot=…`). Operator knobs: latency, faults, a publisher going
 * down, changes to the data (`/_admin/mutate`), and request counters (`/_admin/stats`).
 */
export function createSmartSimulator(options: SmartSimulatorOptions = {}): SmartSimulator {
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const seed = options.seed ?? 1;
  let url = '';
  const publicUrl = () => (options.publicUrl ?? url).replace(/\/+$/, '');
  const baseOf = (id: PublisherId) => `${publicUrl()}/${id}/`;

  const example = loadSpecExample(options.standardsDirectory ?? defaultStandardsDirectory());
  const publishers = new Map<PublisherId, Publisher>([
    [
      'example',
      createPublisher({
        id: 'example',
        // The specification's example clinics are in Massachusetts.
        timeZone: 'America/New_York',
        clock,
        baseUrl: () => baseOf('example'),
        source: {
          key: () => 'static',
          render: () => example.files,
          initialTransactionTime: example.transactionTime,
        },
      }),
    ],
    [
      'sverige',
      createPublisher({
        id: 'sverige',
        timeZone: stockholm,
        clock,
        baseUrl: () => baseOf('sverige'),
        source: {
          // Rolls over at local midnight: yesterday's slots go, a new day's come.
          key: (now) => now.toLocaleDateString('sv-SE', { timeZone: stockholm }),
          render: (now, baseUrl) =>
            generateSwedishPublication({ now, baseUrl, daysAhead: options.daysAhead, seed }),
        },
      }),
    ],
  ]);
  let stats = Object.fromEntries(publisherIds.map((id) => [id, emptyStats()])) as Record<
    PublisherId,
    PublisherStats
  >;

  const control: SimulatorControl<SmartKnobs> = createSimulatorControl<SmartKnobs>({
    connectionsKey: 'publishers',
    connectionIds: () => publisherIds,
    defaults: { latencyMs: options.latencyMs ?? 0, faultRate: options.faultRate ?? 0 },
    vendorDefaults: () => ({ maxAgeSeconds: options.maxAgeSeconds ?? 60 }),
    vendorKnobs: { maxAgeSeconds: maxAgeSeconds.optional() },
    vendorConnectionKnobs: { maxAgeSeconds: maxAgeSeconds.nullable().optional() },
    seed,
    logger,
    onReset: () => {
      for (const publisher of publishers.values()) publisher.reset();
      stats = Object.fromEntries(publisherIds.map((id) => [id, emptyStats()])) as typeof stats;
    },
  });
  const maxAgeOf = (id: PublisherId): number =>
    (control.config.connections[id]?.maxAgeSeconds as number | undefined) ??
    control.config.maxAgeSeconds;

  function cachingHeaders(id: PublisherId, etag: string, lastModified: number) {
    return {
      etag,
      'cache-control': `public, max-age=${maxAgeOf(id)}`,
      'last-modified': new Date(lastModified).toUTCString(),
    };
  }

  function manifest(id: PublisherId, req: http.IncomingMessage, query: URLSearchParams): Answer {
    const publisher = publishers.get(id)!;
    const publication = publisher.current();
    const since = query.get('_since');
    // Servers are free to ignore `_since`; this one honours it when it is a valid instant.
    const sinceMs = since !== null && instantPattern.test(since) ? Date.parse(since) : Number.NaN;
    if (since !== null) stats[id].manifestSinceRequests += 1;
    const files = Number.isNaN(sinceMs)
      ? publication.files
      : publication.files.filter((file) => file.lastModified > sinceMs);
    const body = {
      transactionTime: new Date(publication.transactionTime).toISOString(),
      request: new URL(req.url ?? '', publicUrl()).toString(),
      output: files.map((file) => ({
        type: file.type,
        url: new URL(encodeURIComponent(file.name), baseOf(id)).toString(),
        ...(file.extension && { extension: file.extension }),
      })),
      error: [],
    };
    const text = JSON.stringify(body, null, 2);
    return conditional(id, req, text, publication.transactionTime, 'application/json', 'manifest');
  }

  function conditional(
    id: PublisherId,
    req: http.IncomingMessage,
    body: string,
    lastModified: number,
    contentType: string,
    kind: 'manifest' | 'file',
    knownEtag?: string,
  ): Answer {
    const etag = knownEtag ?? etagOf(body);
    const headers = cachingHeaders(id, etag, lastModified);
    const ifNoneMatch = req.headers['if-none-match'];
    const fresh =
      ifNoneMatch !== undefined
        ? ifNoneMatchMatches(ifNoneMatch, etag)
        : notModifiedSince(req.headers['if-modified-since'], lastModified);
    if (fresh) {
      if (kind === 'manifest') stats[id].manifestNotModified += 1;
      else stats[id].fileNotModified += 1;
      return { status: 304, headers };
    }
    return { status: 200, body: new RawBody(body, contentType), headers };
  }

  function file(id: PublisherId, name: string, req: http.IncomingMessage): Answer {
    const found = publishers
      .get(id)!
      .current()
      .files.find((f) => f.name === name);
    if (!found) return error(404, 'not_found', `No file ${name}.`);
    return conditional(
      id,
      req,
      found.body,
      found.lastModified,
      'application/fhir+ndjson',
      'file',
      found.etag,
    );
  }

  async function handlePublisher(
    id: PublisherId,
    rest: string[],
    req: http.IncomingMessage,
    res: http.ServerResponse,
    query: URLSearchParams,
  ): Promise<Answer> {
    const isPortal = rest.length === 2 && rest[0] === portalPath[0] && rest[1] === portalPath[1];
    const name = rest.length === 1 ? rest[0] : undefined;
    if (!isPortal && name === undefined) return error(404, 'not_found', 'No such resource.');
    if (!isPortal && req.method !== 'GET' && req.method !== 'HEAD') {
      return error(405, 'method_not_allowed', 'Publications are read-only: GET.');
    }
    if (name === manifestName) stats[id].manifestRequests += 1;
    else if (!isPortal) stats[id].fileRequests += 1;
    const access = isPortal && req.method === 'POST' ? 'write' : 'read';
    const admission = await control.admit({ connection: id, access, res });
    if (admission.kind === 'dropped') return dropped;
    if (admission.kind === 'refuse') {
      if (admission.status !== 429) stats[id].faults += 1;
      const retryAfter = admission.reason === 'down' ? 60 : admission.retryAfterSeconds;
      return {
        status: admission.status,
        body: admission.status === 429 ? 'Too Many Requests' : 'Service Unavailable',
        ...(retryAfter !== undefined && { headers: { 'retry-after': String(retryAfter) } }),
      };
    }
    if (isPortal) {
      const answer = await answerPortal(publishers.get(id)!, () => stats[id], logger, req, query);
      const succeeded = answer.status < 300;
      return (await control.beforeAnswer({ connection: id, access, res, succeeded }))
        ? answer
        : dropped;
    }
    if (name === manifestName) return manifest(id, req, query);
    return file(id, name!, req);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', 'http://smart.invalid');
    let segments: string[];
    try {
      segments = requestUrl.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return send(res, error(400, 'invalid_request', 'Malformed path.'));
    }
    const [first, second, ...rest] = segments;
    if (first === 'health' && (second === 'live' || second === 'ready') && rest.length === 0) {
      return send(res, { status: 200, body: { ok: true } });
    }
    if (await control.handleAdmin(req, res)) return;
    if (first === '_admin' && rest.length === 0)
      return send(res, await routeOwnAdmin(publishers, stats, logger, req, second, clock));
    if ((publisherIds as readonly string[]).includes(first ?? '')) {
      const answer = await handlePublisher(
        first as PublisherId,
        second === undefined ? [] : [second, ...rest],
        req,
        res,
        requestUrl.searchParams,
      );
      if (answer === dropped) return;
      if (req.method === 'HEAD') return send(res, { ...answer, body: undefined });
      return sendAnswer(res, answer);
    }
    send(res, error(404, 'not_found', 'No such resource.'));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((failure: unknown) => {
      logger.warn('request failed', { path: req.url?.split('?')[0], error: String(failure) });
      if (res.headersSent) res.destroy();
      else send(res, error(500, 'internal', 'Internal error.'));
    });
  });

  return {
    get url() {
      return url;
    },
    get state() {
      return { config: control.config, publishers, stats };
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
