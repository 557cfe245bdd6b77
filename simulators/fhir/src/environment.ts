import { environmentReader } from '@booking/server-kit/environment';
import { host, integer, optionalInteger, port, share, unsetIfEmpty } from '@booking/simulator-kit';
import { z } from 'zod';

const variables = z.object({
  PORT: port(4102),
  HOST: host,
  FHIR_LATENCY_MS: integer(0, 0, 60_000),
  FHIR_RESPONSE_DELAY_MS: integer(0, 0, 60_000),
  FHIR_FAULT_RATE: share(0),
  // Unset: each location's own booking horizon; set: every location's, in days.
  FHIR_DAYS_AHEAD: optionalInteger(0, 365),
  FHIR_SEED: integer(1, 0, 2 ** 31 - 1),
  FHIR_MAX_PAGE_SIZE: integer(200, 1, 1000),
  FHIR_ACCESS_TOKEN: z.preprocess(unsetIfEmpty, z.string().min(8).optional()),
  // Subscription notifications: tries of one, the first wait between tries (doubled each time, at
  // most 5 s), and how long one POST to an endpoint may take.
  FHIR_SUBSCRIPTION_ATTEMPTS: integer(5, 1, 20),
  FHIR_SUBSCRIPTION_RETRY_MS: integer(200, 1, 60_000),
  FHIR_SUBSCRIPTION_TIMEOUT_MS: integer(5000, 100, 60_000),
});

/**
 * Reads the simulator's configuration once; the only reader of `process.env`. Problems name
 * variables and rules only, never a value, which may be the access token.
 */
export const readEnvironment = environmentReader('simulator-fhir', variables, (env) => ({
  port: env.PORT,
  host: env.HOST,
  /** The control protocol's knobs at start-up (`/_admin/config` changes them). */
  control: {
    latencyMs: env.FHIR_LATENCY_MS,
    responseDelayMs: env.FHIR_RESPONSE_DELAY_MS,
    faultRate: env.FHIR_FAULT_RATE,
  },
  slots: { daysAhead: env.FHIR_DAYS_AHEAD, seed: env.FHIR_SEED },
  api: { maxPageSize: env.FHIR_MAX_PAGE_SIZE, accessToken: env.FHIR_ACCESS_TOKEN },
  subscriptionDelivery: {
    attempts: env.FHIR_SUBSCRIPTION_ATTEMPTS,
    retryMs: env.FHIR_SUBSCRIPTION_RETRY_MS,
    timeoutMs: env.FHIR_SUBSCRIPTION_TIMEOUT_MS,
  },
}));
