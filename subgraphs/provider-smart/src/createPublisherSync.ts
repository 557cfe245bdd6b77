import {
  abortable,
  type ChangeLog,
  type ContractChange,
  ProviderError,
  ProviderErrorCode,
} from '@booking/provider-kit';
import type { Logger } from '@booking/server-kit';
import type { Dispatcher } from 'undici';
import {
  buildPublicationIndex,
  type IndexCounts,
  type IngestedFile,
  type PublicationIndex,
} from './buildPublicationIndex.js';
import { describeUrl, fetchPublished } from './client/fetchPublished.js';
import { parseManifest } from './client/parseManifest.js';
import { parseNdjson } from './client/parseNdjson.js';
import { isResourceType, type Manifest, type ResourceType } from './client/schemas.js';
import { diffOpenSlots } from './diffOpenSlots.js';
import { mapLimited } from './mapLimited.js';

export interface PublisherSyncOptions {
  /** The publisher's `$bulk-publish` URL. */
  readonly manifestUrl: string;
  /** IANA zone of the publisher's clinics. */
  readonly timeZone: string;
  /** `source` parameter added to booking deep links. */
  readonly bookingSource: string;
  /** Origins NDJSON files may come from besides the manifest's own (e.g. a CDN). Default: none. */
  readonly fileOrigins?: readonly string[];
  readonly dispatcher: Dispatcher;
  /** The connection's logger (the kit's carries its id). */
  readonly logger: Logger;
  /** Epoch ms. Default: `Date.now`. */
  readonly now?: () => number;
  /** Least time between two polls, whatever `max-age` says; the spec asks for a minute. Default: 60 000. */
  readonly minIntervalMs?: number;
  /** Most time between two polls, capping a long `max-age`. Default: 3 600 000. */
  readonly maxIntervalMs?: number;
  /** Send `_since` (the last `transactionTime`) to ask for changed files only. Default: true. */
  readonly useSince?: boolean;
  /** How often a full manifest is read anyway, to notice files that were withdrawn. Default: 900 000. */
  readonly fullSyncIntervalMs?: number;
  /** How long one poll (manifest and its files) may take. Default: 60 000. */
  readonly pollTimeoutMs?: number;
  /** How long data is served after polls start failing, before the connection counts as down. Default: 900 000. */
  readonly maxStalenessMs?: number;
  /** Largest manifest or file accepted, in bytes. Default: 64 MiB. */
  readonly maxFileBytes?: number;
  /** Files fetched at once. Default: 4. */
  readonly fileConcurrency?: number;
  /**
   * Where the slots that opened or closed between two ingests go (`diffOpenSlots`), as
   * `contractChanges` serves them. The first ingest is the baseline and reports nothing. Default:
   * none (not compared).
   */
  readonly changes?: ChangeLog;
}

/** Counters of one publisher's ingest, for readiness, logs and tests. */
export interface SyncStatus {
  /** True once the first poll has ended, in success or failure. */
  readonly settled: boolean;
  readonly polls: number;
  /** Polls answered `304 Not Modified`. */
  readonly notModified: number;
  readonly lastAttemptAt: number | null;
  readonly lastSuccessAt: number | null;
  /** Why the last poll failed; null when it succeeded. */
  readonly lastError: string | null;
  /** The publisher's `transactionTime` of the data indexed. */
  readonly transactionTime: string | null;
  readonly nextPollAt: number;
  readonly files: number;
  /** Lines skipped over all files: not JSON, of another type, or failing their schema. */
  readonly malformedLines: number;
  readonly wrongTypeLines: number;
  readonly invalidLines: number;
  /** Manifest entries of types the adapter does not read (e.g. PractitionerRole). */
  readonly ignoredOutputs: number;
  /** Manifest entries pointing at origins not allowed, or not http(s). */
  readonly refusedOutputs: number;
  /** File downloads that failed in the last poll (their previous copy is kept). */
  readonly fileFailures: number;
  readonly index: Readonly<IndexCounts> | null;
}

/** One publisher kept in sync: a poller and the in-memory index it maintains. */
export interface PublisherSync {
  /**
   * Polls now if a poll is due: never sooner than `minIntervalMs` after the previous one began,
   * nor before the publisher's `max-age` has passed. Otherwise, or while a poll runs, it joins
   * that. Never throws: failures are recorded and reported by `index`.
   */
  sync(): Promise<void>;
  /**
   * The index to answer from. Waits for the first poll; throws PROVIDER_UNAVAILABLE when nothing
   * was ever ingested, or when polls have failed for longer than `maxStalenessMs`.
   */
  index(signal: AbortSignal): Promise<PublicationIndex>;
  status(): SyncStatus;
  /** Polls now and then every `tickMs` whenever due. */
  start(tickMs?: number): void;
  /** Stops polling and abandons a poll in flight. */
  stop(): Promise<void>;
}

interface FileState extends IngestedFile {
  readonly url: string;
  readonly etag: string | undefined;
  readonly malformedLines: number;
  readonly wrongTypeLines: number;
  readonly invalidLines: number;
}

const manifestMaxBytes = 4 * 1024 * 1024;

/**
 * Keeps one SMART Scheduling Links publisher's data in memory. Polls its `$bulk-publish` manifest
 * as the spec asks (at most once a minute, honouring `Cache-Control: max-age`, with
 * `If-None-Match`), asks with `_since` for changed files only, and downloads just the files whose
 * copy is not current (`If-None-Match` again): an unchanged file costs a 304. A file's new content
 * replaces its old content as a whole. Malformed lines, unknown extensions and dangling references
 * are counted and skipped; a failing poll keeps the previous data.
 */
export function createPublisherSync(options: PublisherSyncOptions): PublisherSync {
  const now = options.now ?? Date.now;
  const minIntervalMs = options.minIntervalMs ?? 60_000;
  const maxIntervalMs = Math.max(minIntervalMs, options.maxIntervalMs ?? 3_600_000);
  const useSince = options.useSince ?? true;
  const fullSyncIntervalMs = options.fullSyncIntervalMs ?? 900_000;
  const pollTimeoutMs = options.pollTimeoutMs ?? 60_000;
  const maxStalenessMs = options.maxStalenessMs ?? 900_000;
  const maxFileBytes = options.maxFileBytes ?? 64 * 1024 * 1024;
  const fileConcurrency = options.fileConcurrency ?? 4;
  const manifestUrl = new URL(options.manifestUrl);
  const allowedOrigins = new Set([manifestUrl.origin, ...(options.fileOrigins ?? [])]);
  const { logger } = options;

  let files = new Map<string, FileState>();
  let index: PublicationIndex | null = null;
  let manifestEtag: { url: string; etag: string } | undefined;
  let transactionTime: string | null = null;
  let lastFullSyncAt = Number.NEGATIVE_INFINITY;
  let nextPollAt = Number.NEGATIVE_INFINITY;
  let lastAttemptAt: number | null = null;
  let lastSuccessAt: number | null = null;
  let lastError: string | null = null;
  let polls = 0;
  let notModified = 0;
  let ignoredOutputs = 0;
  let refusedOutputs = 0;
  let fileFailures = 0;
  let inFlight: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  const stopping = new AbortController();
  let settled = false;

  function scheduleNext(startedAt: number, maxAgeSeconds: number | undefined): void {
    const wanted = Math.max(minIntervalMs, (maxAgeSeconds ?? 0) * 1000);
    nextPollAt = startedAt + Math.min(wanted, maxIntervalMs);
  }

  /** The manifest's entries the adapter reads, resolved against the manifest URL. */
  function entriesOf(manifest: Manifest): { url: URL; type: ResourceType }[] {
    const entries: { url: URL; type: ResourceType }[] = [];
    for (const output of manifest.output) {
      if (!isResourceType(output.type)) {
        // The spec: clients ignore output types they do not use.
        ignoredOutputs += 1;
        continue;
      }
      const url = URL.canParse(output.url, manifestUrl.href)
        ? new URL(output.url, manifestUrl)
        : null;
      if (!url || !/^https?:$/.test(url.protocol) || !allowedOrigins.has(url.origin)) {
        // A manifest must not send us anywhere it likes: only its own origin and configured ones.
        refusedOutputs += 1;
        logger.warn({ type: output.type }, 'manifest entry refused: origin not allowed');
        continue;
      }
      entries.push({ url, type: output.type });
    }
    return entries;
  }

  async function fetchFile(
    entry: { url: URL; type: ResourceType },
    signal: AbortSignal,
  ): Promise<FileState | 'not-modified' | Error> {
    const held = files.get(entry.url.href);
    try {
      const response = await fetchPublished({
        url: entry.url,
        etag: held?.type === entry.type ? held.etag : undefined,
        dispatcher: options.dispatcher,
        signal,
        maxBytes: maxFileBytes,
        accept: 'application/fhir+ndjson',
      });
      if (response.notModified) return 'not-modified';
      const parsed = parseNdjson(response.body, entry.type);
      for (const problem of parsed.problems) {
        // Position and rule only: a line may hold anything, personal data included.
        logger.warn(
          { file: describeUrl(entry.url), line: problem.line, reason: problem.reason },
          'line skipped',
        );
      }
      return {
        url: entry.url.href,
        type: entry.type,
        etag: response.etag,
        resources: parsed.resources,
        malformedLines: parsed.malformedLines,
        wrongTypeLines: parsed.wrongTypeLines,
        invalidLines: parsed.invalidLines,
      };
    } catch (error) {
      if (signal.aborted) throw error;
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  async function poll(): Promise<void> {
    const startedAt = now();
    lastAttemptAt = startedAt;
    polls += 1;
    // A failed poll waits the minimum interval too: a publisher that is down is not hammered.
    scheduleNext(startedAt, undefined);
    const signal = AbortSignal.any([stopping.signal, AbortSignal.timeout(pollTimeoutMs)]);
    try {
      const full =
        !useSince || transactionTime === null || startedAt - lastFullSyncAt >= fullSyncIntervalMs;
      const url = new URL(manifestUrl);
      if (!full && transactionTime !== null) url.searchParams.set('_since', transactionTime);
      const response = await fetchPublished({
        url,
        etag: manifestEtag?.url === url.href ? manifestEtag.etag : undefined,
        dispatcher: options.dispatcher,
        signal,
        maxBytes: manifestMaxBytes,
        accept: 'application/json',
      });
      scheduleNext(startedAt, response.maxAgeSeconds);
      if (response.notModified) {
        notModified += 1;
        if (full) lastFullSyncAt = startedAt;
        lastSuccessAt = now();
        lastError = null;
        logger.debug('manifest not modified');
        return;
      }
      const manifest = parseManifest(response.body);
      ignoredOutputs = 0;
      refusedOutputs = 0;
      const entries = entriesOf(manifest);
      const fetched = await mapLimited(entries, fileConcurrency, (entry) =>
        fetchFile(entry, signal),
      );

      // A full manifest lists every file: files it no longer lists are gone. A `_since`
      // manifest lists changed files only (or everything, from a server that ignores `_since`).
      const next = new Map<string, FileState>(full ? [] : files);
      let downloaded = 0;
      fileFailures = 0;
      for (const [position, entry] of entries.entries()) {
        const outcome = fetched[position];
        const held = files.get(entry.url.href);
        if (outcome instanceof Error) {
          fileFailures += 1;
          logger.warn({ file: describeUrl(entry.url), err: outcome.message }, 'file not fetched');
          if (held) next.set(entry.url.href, held);
        } else if (outcome === 'not-modified') {
          if (held) next.set(entry.url.href, held);
        } else if (outcome) {
          downloaded += 1;
          next.set(entry.url.href, outcome);
        }
      }
      files = next;
      const previous = index;
      index = buildPublicationIndex(files.values(), {
        timeZone: options.timeZone,
        bookingSource: options.bookingSource,
      });
      const found = previous
        ? await record(
            diffOpenSlots(previous, index, {
              transactionTime: manifest.transactionTime,
              learntAt: now(),
            }),
          )
        : { opened: 0, closed: 0 };
      // After a failed file, ask again next time as if nothing had been seen since the last
      // complete ingest, and never accept a 304 for this manifest.
      if (fileFailures === 0) {
        transactionTime = manifest.transactionTime;
        manifestEtag = response.etag ? { url: url.href, etag: response.etag } : undefined;
        if (full) lastFullSyncAt = startedAt;
        lastError = null;
      } else {
        manifestEtag = undefined;
        lastError = `${fileFailures} of ${entries.length} files could not be fetched`;
      }
      lastSuccessAt = now();
      const status = snapshot();
      logger.info(
        {
          transactionTime: manifest.transactionTime,
          since: !full,
          listed: entries.length,
          downloaded,
          notModified: entries.length - downloaded - fileFailures,
          fileFailures,
          ignoredOutputs,
          refusedOutputs,
          malformedLines: status.malformedLines,
          wrongTypeLines: status.wrongTypeLines,
          invalidLines: status.invalidLines,
          slotsOpened: found.opened,
          slotsClosed: found.closed,
          ...index.counts,
        },
        'publication ingested',
      );
    } catch (error) {
      if (stopping.signal.aborted) return;
      lastError = signal.aborted
        ? `poll timed out after ${pollTimeoutMs} ms`
        : error instanceof Error
          ? error.message
          : String(error);
      logger.warn({ err: lastError }, 'poll failed');
    }
  }

  /** Appends the changes an ingest found to the change log, and counts them for the log line. */
  async function record(
    found: readonly ContractChange[],
  ): Promise<{ opened: number; closed: number }> {
    let opened = 0;
    for (const change of found) {
      if (change.kind === 'SLOT_OPENED') opened += 1;
      await options.changes?.append(change);
    }
    return { opened, closed: found.length - opened };
  }

  function snapshot(): SyncStatus {
    let malformedLines = 0;
    let wrongTypeLines = 0;
    let invalidLines = 0;
    for (const file of files.values()) {
      malformedLines += file.malformedLines;
      wrongTypeLines += file.wrongTypeLines;
      invalidLines += file.invalidLines;
    }
    return {
      settled,
      polls,
      notModified,
      lastAttemptAt,
      lastSuccessAt,
      lastError,
      transactionTime,
      nextPollAt,
      files: files.size,
      malformedLines,
      wrongTypeLines,
      invalidLines,
      ignoredOutputs,
      refusedOutputs,
      fileFailures,
      index: index?.counts ?? null,
    };
  }

  function sync(): Promise<void> {
    if (inFlight) return inFlight;
    if (stopping.signal.aborted || now() < nextPollAt) return Promise.resolve();
    inFlight = poll().finally(() => {
      inFlight = null;
      settled = true;
    });
    return inFlight;
  }

  return {
    sync,
    status: snapshot,

    async index(signal) {
      // A search is also a reason to look: still at most one poll per interval.
      const polling = sync();
      // Nothing to serve yet: wait for the poll in flight (the first one, or a retry now due).
      if (!settled || index === null) await abortable(polling, signal);
      if (index === null) {
        throw new ProviderError(
          ProviderErrorCode.Unavailable,
          `publisher not ingested yet: ${lastError ?? 'no answer'}`,
        );
      }
      if (lastError !== null && lastSuccessAt !== null && now() - lastSuccessAt > maxStalenessMs) {
        throw new ProviderError(
          ProviderErrorCode.Unavailable,
          `publisher data is stale since ${new Date(lastSuccessAt).toISOString()}: ${lastError}`,
        );
      }
      return index;
    },

    start(tickMs = 1000) {
      if (timer) return;
      void sync();
      timer = setInterval(() => void sync(), tickMs);
      timer.unref();
    },

    async stop() {
      clearInterval(timer);
      stopping.abort(new Error('stopped'));
      await inFlight;
    },
  };
}
