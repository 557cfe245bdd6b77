import {
  internalSecret,
  jsonListVariable,
  logLevel,
  milliseconds,
  nodeEnv,
  parseEnvironment,
  port,
} from '@booking/server-kit';
import { IANAZone } from 'luxon';
import { z } from 'zod';

/** One SMART Scheduling Links publisher. Onboarding a publisher is this. */
export interface SmartPublisherConfig {
  /** The publisher's key, lower case; the connection id is `smart-<publisher>`. */
  readonly publisher: string;
  /** Display name, e.g. `Vårdbokning Sverige`. */
  readonly name: string;
  /** The publisher's `$bulk-publish` URL. */
  readonly manifestUrl: string;
  /** IANA zone of the publisher's clinics (the spec's Locations have none). Default: `Europe/Stockholm`. */
  readonly timeZone?: string | undefined;
  /** Origins its NDJSON files may come from besides the manifest's (a CDN). Default: none. */
  readonly fileOrigins?: readonly string[] | undefined;
  /** Ask with `_since` for changed files only. Default: true (servers may ignore it). */
  readonly useSince?: boolean | undefined;
  /** How long one call to this connection may take. Default: `PROVIDER_DEADLINE_MS`. */
  readonly deadlineMs?: number | undefined;
}

/** The simulator's two publishers (`simulators/smart`), used when `SMART_PUBLISHERS` is unset outside production. */
export function simulatorPublishers(baseUrl: string): SmartPublisherConfig[] {
  const base = baseUrl.replace(/\/+$/, '');
  return [
    {
      publisher: 'sverige',
      name: 'Vårdbokning Sverige',
      manifestUrl: `${base}/sverige/$bulk-publish`,
      timeZone: 'Europe/Stockholm',
    },
    {
      publisher: 'example',
      name: 'SMART Vaccine Clinic (specification example)',
      manifestUrl: `${base}/example/$bulk-publish`,
      // The example's clinics are in Massachusetts.
      timeZone: 'America/New_York',
    },
  ];
}

export const developmentPublishers: readonly SmartPublisherConfig[] = Object.freeze(
  simulatorPublishers('http://127.0.0.1:4104'),
);

const publisherSchema = z.strictObject({
  publisher: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]*$/,
      'lower-case letters, digits and dashes (it becomes part of an id)',
    ),
  name: z.string().min(1),
  manifestUrl: z.url({ protocol: /^https?$/ }),
  timeZone: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), 'not an IANA time zone')
    .optional(),
  fileOrigins: z
    .array(z.url({ protocol: /^https?$/ }).transform((url) => new URL(url).origin))
    .optional(),
  useSince: z.boolean().optional(),
  deadlineMs: z.number().int().positive().optional(),
});

/** `SMART_PUBLISHERS`: a JSON array of publishers; unset or blank means "not configured". */
const publishersVariable = jsonListVariable(publisherSchema, 'publisher');

/** `source` handles are sent to publishers in every deep link: short and URL-safe. */
const bookingSource = z
  .string()
  .regex(/^[A-Za-z0-9._~-]{1,64}$/, 'letters, digits, `.`, `_`, `~` or `-`, at most 64')
  .default('varden');

const schema = z
  .object({
    NODE_ENV: nodeEnv,
    PORT: port(4013),
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: logLevel,
    INTERNAL_SECRET: internalSecret,
    PROVIDER_DEADLINE_MS: milliseconds(2000),
    SMART_PUBLISHERS: publishersVariable,
    SMART_BOOKING_SOURCE: bookingSource,
    // The spec: no manifest or file more than once a minute. Lower only against a simulator.
    SMART_MIN_POLL_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
    SMART_MAX_POLL_INTERVAL_MS: milliseconds(3_600_000),
    SMART_FULL_SYNC_INTERVAL_MS: milliseconds(900_000),
    SMART_MAX_STALENESS_MS: milliseconds(900_000),
    SMART_POLL_TIMEOUT_MS: milliseconds(60_000),
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.SMART_PUBLISHERS !== undefined, {
    // Production must say which publishers it polls; the simulator's only exist in development.
    message: 'required in production',
    path: ['SMART_PUBLISHERS'],
    when: () => true,
  })
  .refine((env) => env.SMART_MAX_POLL_INTERVAL_MS >= env.SMART_MIN_POLL_INTERVAL_MS, {
    message: 'must not be below SMART_MIN_POLL_INTERVAL_MS',
    path: ['SMART_MAX_POLL_INTERVAL_MS'],
    when: () => true,
  })
  .transform((env) => ({
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    internalSecret: env.INTERNAL_SECRET,
    providerDeadlineMs: env.PROVIDER_DEADLINE_MS,
    bookingSource: env.SMART_BOOKING_SOURCE,
    minPollIntervalMs: env.SMART_MIN_POLL_INTERVAL_MS,
    maxPollIntervalMs: env.SMART_MAX_POLL_INTERVAL_MS,
    fullSyncIntervalMs: env.SMART_FULL_SYNC_INTERVAL_MS,
    maxStalenessMs: env.SMART_MAX_STALENESS_MS,
    pollTimeoutMs: env.SMART_POLL_TIMEOUT_MS,
    publishers: Object.freeze(
      (env.SMART_PUBLISHERS ?? developmentPublishers).map((p) => Object.freeze({ ...p })),
    ),
  }));

/** The service's configuration, parsed once from the environment. */
export type SmartEnvironment = Readonly<z.output<typeof schema>>;

/**
 * Reads and validates the configuration (see README, "Configuration"); throws a
 * `ConfigurationError` listing every problem. The only place that reads `process.env`.
 */
export function loadEnvironment(
  env: Record<string, string | undefined> = process.env,
): SmartEnvironment {
  return parseEnvironment('provider-smart', schema, env);
}
