import {
  type ConnectionConfig,
  defineProvider,
  type EntryOf,
  ianaTimeZone,
} from '@booking/provider-kit';
import { milliseconds } from '@booking/server-kit';
import { z } from 'zod';
import { createPublisherSync, type PublisherSync } from './createPublisherSync.js';
import { createSmartAdapter } from './createSmartAdapter.js';

/** One SMART Scheduling Links publisher as a contract connection. */
export interface SmartConnection extends ConnectionConfig {
  /** Keeps the publisher's index: polled in the background and when a search arrives. */
  readonly sync: PublisherSync;
}

/** Zone of a publisher's clinics unless its entry says otherwise: SMART Locations carry none. */
const defaultTimeZone = 'Europe/Stockholm';

/** A `SMART_CONNECTIONS` entry's own fields: where one publisher publishes, and how to read it. */
const connectionFields = {
  /** The publisher's `$bulk-publish` URL. */
  manifestUrl: z.url({ protocol: /^https?$/ }),
  /** IANA zone of the publisher's clinics. Default: `Europe/Stockholm`. */
  timeZone: ianaTimeZone.optional(),
  /** Origins its NDJSON files may come from besides the manifest's (a CDN), reduced to origins. */
  fileOrigins: z
    .array(z.url({ protocol: /^https?$/ }).transform((url) => new URL(url).origin))
    .optional(),
  /** Ask with `_since` for changed files only. Default: true (servers may ignore it). */
  useSince: z.boolean().optional(),
};

/** One `SMART_CONNECTIONS` entry. Onboarding a publisher is one more of these. */
export type SmartConnectionEntry = EntryOf<typeof connectionFields>;

/**
 * SMART's system-wide variables: the deep links' `source` and the polling rhythm, the same for
 * every publisher. The maximum poll interval must not be below the minimum; that rule runs even
 * when another variable is wrong, so every problem is reported at once. `parse({})` gives the
 * defaults, for services built without the environment (tests).
 */
export const smartSettings = z
  .object({
    // Sent to publishers in every deep link: short and URL-safe.
    SMART_BOOKING_SOURCE: z
      .string()
      .regex(/^[A-Za-z0-9._~-]{1,64}$/, 'letters, digits, `.`, `_`, `~` or `-`, at most 64')
      .default('varden'),
    // The spec: no manifest or file more than once a minute. Lower only against a simulator.
    SMART_MIN_POLL_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
    SMART_MAX_POLL_INTERVAL_MS: milliseconds(3_600_000),
    SMART_FULL_SYNC_INTERVAL_MS: milliseconds(900_000),
    SMART_MAX_STALENESS_MS: milliseconds(900_000),
    SMART_POLL_TIMEOUT_MS: milliseconds(60_000),
  })
  // Written as "not below" so that an interval that is not a number (NaN, reported on its own)
  // does not also fail this rule.
  .refine((env) => !(env.SMART_MAX_POLL_INTERVAL_MS < env.SMART_MIN_POLL_INTERVAL_MS), {
    message: 'must not be below SMART_MIN_POLL_INTERVAL_MS',
    path: ['SMART_MAX_POLL_INTERVAL_MS'],
    when: () => true,
  })
  .transform((env) => ({
    /** The `source` parameter set on every booking deep link. */
    bookingSource: env.SMART_BOOKING_SOURCE,
    /** Least time between two polls of one publisher. */
    minPollIntervalMs: env.SMART_MIN_POLL_INTERVAL_MS,
    /** Most time between two polls, capping a long `max-age`. */
    maxPollIntervalMs: env.SMART_MAX_POLL_INTERVAL_MS,
    /** How often a full manifest is read although `_since` is in use. */
    fullSyncIntervalMs: env.SMART_FULL_SYNC_INTERVAL_MS,
    /** How long data is served after polls start failing. */
    maxStalenessMs: env.SMART_MAX_STALENESS_MS,
    /** How long one poll (manifest and files) may take. */
    pollTimeoutMs: env.SMART_POLL_TIMEOUT_MS,
  }));

/** The simulator's two publishers (`simulators/smart`) at `baseUrl`. */
export function simulatorConnections(baseUrl: string): SmartConnectionEntry[] {
  const base = baseUrl.replace(/\/+$/, '');
  return [
    {
      id: 'sverige',
      name: 'Vårdbokning Sverige',
      manifestUrl: `${base}/sverige/$bulk-publish`,
      timeZone: 'Europe/Stockholm',
    },
    {
      id: 'example',
      name: 'SMART Vaccine Clinic (specification example)',
      manifestUrl: `${base}/example/$bulk-publish`,
      // The example's clinics are in Massachusetts.
      timeZone: 'America/New_York',
    },
  ];
}

/**
 * Ready once the first poll has ended, successfully or not: a publisher that never answered is
 * its connection's `unavailableReason`, not a reason to keep the other publishers out of rotation.
 */
function readinessOf({ sync }: SmartConnection): { ok: boolean; message: string } {
  const status = sync.status();
  if (!status.settled) return { ok: false, message: 'first poll in progress' };
  if (status.lastError) return { ok: true, message: `last poll failed: ${status.lastError}` };
  const openSlots = status.index?.openSlots ?? 0;
  return { ok: true, message: `ingested ${openSlots} open slots as of ${status.transactionTime}` };
}

/**
 * SMART Scheduling Links, read-only `$bulk-publish` publications booked by deep link: one
 * connection per publisher, each polled in the background into an in-memory index that answers
 * every search (`createPublisherSync`), mapped to the contract by the adapter.
 */
export const smartProvider = defineProvider({
  system: 'smart',
  port: 4013,
  connectionFields,
  developmentConnections: simulatorConnections('http://127.0.0.1:4104'),
  settings: smartSettings,
  connect: (
    entry,
    { id, deadlineMs, dispatcher, settings, logger, now, changeLog },
  ): SmartConnection =>
    Object.freeze({
      id,
      name: entry.name,
      deadlineMs,
      sync: createPublisherSync({
        manifestUrl: entry.manifestUrl,
        timeZone: entry.timeZone ?? defaultTimeZone,
        fileOrigins: entry.fileOrigins,
        useSince: entry.useSince,
        bookingSource: settings.bookingSource,
        minIntervalMs: settings.minPollIntervalMs,
        maxIntervalMs: settings.maxPollIntervalMs,
        fullSyncIntervalMs: settings.fullSyncIntervalMs,
        maxStalenessMs: settings.maxStalenessMs,
        pollTimeoutMs: settings.pollTimeoutMs,
        dispatcher,
        logger,
        now,
        // Slots opened or closed at the publisher's clinics, found by comparing polls: CHANGES.
        changes: changeLog(),
      }),
    }),
  adapter: (connections) => createSmartAdapter({ connections }),
  readiness: readinessOf,
  start: (connection) => connection.sync.start(),
  stop: (connection) => connection.sync.stop(),
});
