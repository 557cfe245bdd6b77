import { fileURLToPath } from 'node:url';
import {
  developmentSecret,
  environmentReader,
  internalSecret,
  keyValueList,
  logLevel,
  milliseconds,
  nodeEnv,
  port,
} from '@booking/server-kit';
import { z } from 'zod';

/** The patient-data key `npm start` uses. Public, so only for development: production refuses it. */
export const developmentPatientDataKey = 'ZGV2ZWxvcG1lbnQtb25seS1wYXRpZW50LWtleS0wMDA=';

const defaultLedgerDir = fileURLToPath(new URL('../../../.data/ledger', import.meta.url));

/** A cache duration: 0 turns that use of the cache off. */
const cacheDuration = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

/** The scheduling subgraph's variables, by their own names. */
export const environmentSchema = z
  .object({
    NODE_ENV: nodeEnv,
    PORT: port(4001),
    HOST: z.string().default('127.0.0.1'),
    LOG_LEVEL: logLevel,
    PROVIDER_SUBGRAPHS: keyValueList(z.url()).refine((map) => Object.keys(map).length > 0, {
      message:
        'name at least one provider subgraph, e.g. provider-cliniq=http://127.0.0.1:4010/graphql',
    }),
    PROVIDER_DEADLINE_MS: milliseconds(2000),
    PROVIDER_DEADLINES: keyValueList(z.coerce.number().int().positive()).default({}),
    CATALOGUE_REFRESH_MS: milliseconds(5 * 60_000),
    CATALOGUE_RETRY_MS: milliseconds(5_000),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    LEDGER_DATA_DIR: z.string().min(1).default(defaultLedgerDir),
    PATIENT_DATA_KEY: developmentSecret(developmentPatientDataKey).refine(
      (key) => Buffer.from(key, 'base64').length === 32,
      'must be 32 bytes in base64',
    ),
    INTERNAL_SECRET: internalSecret,
    PLATFORM_HOLD_SECONDS: z.coerce.number().int().positive().default(600),
    RECONCILE_INTERVAL_MS: milliseconds(5_000),
    RECONCILE_AFTER_MS: milliseconds(10_000),
    RECONCILE_BACKOFF_MAX_MS: milliseconds(5 * 60_000),
    RECONCILE_ALERT_AFTER_MS: milliseconds(10 * 60_000),
    LIVE_RESERVATIONS_RESYNC_MS: milliseconds(10_000),
    CLINIC_FEED_INTERVAL_MS: milliseconds(1_000),
    CLINIC_SWEEP_INTERVAL_MS: milliseconds(60_000),
    CLINIC_SWEEP_BACKSTOP_MS: milliseconds(15 * 60_000),
    CLINIC_SWEEP_BATCH: z.coerce.number().int().positive().default(10),
    WEBHOOK_INTERVAL_MS: milliseconds(1_000),
    WEBHOOK_TIMEOUT_MS: milliseconds(10_000),
    WEBHOOK_RETRY_FIRST_MS: milliseconds(5_000),
    WEBHOOK_RETRY_MAX_MS: milliseconds(4 * 3600_000),
    WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().positive().default(20),
    WEBHOOK_DISABLE_AFTER_MS: milliseconds(3 * 24 * 3600_000),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    CACHE_KEY_PREFIX: z.string().min(1).default('booking:slot-cache:'),
    CACHE_FRESH_MS: cacheDuration(15_000),
    CACHE_STALE_MS: cacheDuration(45_000),
    CACHE_FALLBACK_MS: cacheDuration(10 * 60_000),
    CIRCUIT_FAILURES: z.coerce.number().int().positive().default(5),
    CIRCUIT_HALF_OPEN_AFTER_MS: milliseconds(10_000),
    PROVIDER_MAX_CONCURRENCY: z.coerce.number().int().positive().default(16),
    PROVIDER_MAX_QUEUE: z.coerce.number().int().nonnegative().default(64),
    PROVIDER_MAX_ATTEMPTS: z.coerce.number().int().positive().default(3),
  })
  .superRefine((env, ctx) => {
    // The reconciler looks a PENDING reservation up once it is RECONCILE_AFTER_MS old: a deadline
    // as long would let it second-guess (and book again) a call that is still in flight.
    const secondGuessed = 'or the reconciler would second-guess calls still in flight';
    if (env.RECONCILE_AFTER_MS <= env.PROVIDER_DEADLINE_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['RECONCILE_AFTER_MS'],
        message: `must be longer than PROVIDER_DEADLINE_MS (${env.PROVIDER_DEADLINE_MS} ms), ${secondGuessed}`,
      });
    }
    for (const [connectionId, deadlineMs] of Object.entries(env.PROVIDER_DEADLINES)) {
      if (deadlineMs < env.RECONCILE_AFTER_MS) continue;
      ctx.addIssue({
        code: 'custom',
        path: ['PROVIDER_DEADLINES'],
        message: `"${connectionId}" (${deadlineMs} ms) must be shorter than RECONCILE_AFTER_MS (${env.RECONCILE_AFTER_MS} ms), ${secondGuessed}`,
      });
    }
  });

/** The scheduling subgraph's configuration, grouped by concern; the only reader of `process.env`. */
export const readEnvironment = environmentReader('scheduling', environmentSchema, (env) => ({
  nodeEnv: env.NODE_ENV,
  port: env.PORT,
  host: env.HOST,
  logLevel: env.LOG_LEVEL,
  /** Proves scheduling's calls to the provider subgraphs (`x-internal-secret`). */
  internalSecret: env.INTERNAL_SECRET,
  providers: {
    /** The provider subgraphs' URLs, by subgraph name. */
    subgraphs: env.PROVIDER_SUBGRAPHS,
    deadlineMs: env.PROVIDER_DEADLINE_MS,
    /** Per-connection deadlines overriding `deadlineMs`, by connection id. */
    deadlines: env.PROVIDER_DEADLINES,
    maxConcurrency: env.PROVIDER_MAX_CONCURRENCY,
    maxQueue: env.PROVIDER_MAX_QUEUE,
    maxAttempts: env.PROVIDER_MAX_ATTEMPTS,
  },
  circuit: { failures: env.CIRCUIT_FAILURES, halfOpenAfterMs: env.CIRCUIT_HALF_OPEN_AFTER_MS },
  catalogue: { refreshMs: env.CATALOGUE_REFRESH_MS, retryMs: env.CATALOGUE_RETRY_MS },
  cache: {
    /** Shared by every instance when set; else each instance caches in memory. */
    redisUrl: env.REDIS_URL,
    keyPrefix: env.CACHE_KEY_PREFIX,
    freshMs: env.CACHE_FRESH_MS,
    staleMs: env.CACHE_STALE_MS,
    fallbackMs: env.CACHE_FALLBACK_MS,
  },
  ledger: {
    /** PostgreSQL; without it the embedded PGlite in `dataDir`. */
    databaseUrl: env.DATABASE_URL,
    dataDir: env.LEDGER_DATA_DIR,
    /** How often the in-memory set of live reservations is read again from the ledger. */
    liveResyncMs: env.LIVE_RESERVATIONS_RESYNC_MS,
  },
  /** Seals patient data in the ledger (AES-256-GCM), base64 of 32 bytes. */
  patientDataKey: env.PATIENT_DATA_KEY,
  platformHoldSeconds: env.PLATFORM_HOLD_SECONDS,
  reconcile: {
    intervalMs: env.RECONCILE_INTERVAL_MS,
    /** Longer than every deadline (checked): no call on a reservation is in flight after it. */
    afterMs: env.RECONCILE_AFTER_MS,
    maxBackoffMs: env.RECONCILE_BACKOFF_MAX_MS,
    alertAfterMs: env.RECONCILE_ALERT_AFTER_MS,
  },
  clinicChanges: {
    feedIntervalMs: env.CLINIC_FEED_INTERVAL_MS,
    sweepIntervalMs: env.CLINIC_SWEEP_INTERVAL_MS,
    sweepBackstopMs: env.CLINIC_SWEEP_BACKSTOP_MS,
    sweepBatch: env.CLINIC_SWEEP_BATCH,
  },
  webhooks: {
    intervalMs: env.WEBHOOK_INTERVAL_MS,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    policy: {
      firstRetryMs: env.WEBHOOK_RETRY_FIRST_MS,
      maxRetryMs: env.WEBHOOK_RETRY_MAX_MS,
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      disableAfterMs: env.WEBHOOK_DISABLE_AFTER_MS,
    },
  },
}));

export type SchedulingEnvironment = ReturnType<typeof readEnvironment>;
