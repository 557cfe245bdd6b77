import {
  internalSecret,
  jsonListVariable,
  logLevel,
  milliseconds,
  nodeEnv,
  parseEnvironment,
  port,
} from '@booking/server-kit';
import { z } from 'zod';

/** One Cliniq tenant (clinic chain): its endpoint and credentials. Onboarding a tenant is this. */
export interface CliniqTenantConfig {
  /** The tenant's key in the vendor's URLs, e.g. `nordklinik`; the connection id is `cliniq-<tenant>`. */
  readonly tenant: string;
  /** Display name, e.g. `Nordklinik`. */
  readonly name: string;
  /** The tenant's API root, e.g. `http://127.0.0.1:4101/t/nordklinik/api/v1`. */
  readonly baseUrl: string;
  /** Sent as `X-Api-Key`. A secret: never logged. */
  readonly apiKey: string;
  /** How long one call to this tenant may take. Default: `PROVIDER_DEADLINE_MS`. */
  readonly deadlineMs?: number | undefined;
  /** How long the vendor keeps a hold, as announced to scheduling. Default: 300. */
  readonly holdTtlSeconds?: number | undefined;
  /** Most concurrent connections to this tenant. Default: 10. */
  readonly maxConnections?: number | undefined;
}

/** The simulator's seed tenants (`simulators/cliniq`), used when `CLINIQ_TENANTS` is unset outside production. */
export const developmentTenants: readonly CliniqTenantConfig[] = Object.freeze([
  {
    tenant: 'nordklinik',
    name: 'Nordklinik',
    baseUrl: 'http://127.0.0.1:4101/t/nordklinik/api/v1',
    apiKey: 'dev-key-nordklinik',
  },
  {
    tenant: 'vastkusten',
    name: 'Västkustens Vårdcentraler',
    baseUrl: 'http://127.0.0.1:4101/t/vastkusten/api/v1',
    apiKey: 'dev-key-vastkusten',
  },
]);

const tenantSchema = z.strictObject({
  tenant: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]*$/,
      'lower-case letters, digits and dashes (it becomes part of an id)',
    ),
  name: z.string().min(1),
  baseUrl: z.url({ protocol: /^https?$/ }),
  apiKey: z.string().min(1),
  deadlineMs: z.number().int().positive().optional(),
  holdTtlSeconds: z.number().int().positive().optional(),
  maxConnections: z.number().int().positive().max(256).optional(),
});

/** `CLINIQ_TENANTS`: a JSON array of tenants; unset or blank means "not configured". */
const tenantsVariable = jsonListVariable(tenantSchema, 'tenant');

const schema = z
  .object({
    NODE_ENV: nodeEnv,
    PORT: port(4010),
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: logLevel,
    INTERNAL_SECRET: internalSecret,
    PROVIDER_DEADLINE_MS: milliseconds(2000),
    CLINIQ_TENANTS: tenantsVariable,
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.CLINIQ_TENANTS !== undefined, {
    // Production must say which tenants it serves; the seed tenants only exist in the simulator.
    message: 'required in production',
    path: ['CLINIQ_TENANTS'],
    // Checked even when another variable is invalid, so every problem is reported at once.
    when: () => true,
  })
  .transform((env) => ({
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    internalSecret: env.INTERNAL_SECRET,
    providerDeadlineMs: env.PROVIDER_DEADLINE_MS,
    tenants: Object.freeze(
      (env.CLINIQ_TENANTS ?? developmentTenants).map((tenant) => Object.freeze({ ...tenant })),
    ),
  }));

/** The service's configuration, parsed once from the environment. */
export type CliniqEnvironment = Readonly<z.output<typeof schema>>;

/**
 * Reads and validates the configuration (see README, "Configuration"); throws a
 * `ConfigurationError` listing every problem. The only place that reads `process.env`.
 */
export function loadEnvironment(
  env: Record<string, string | undefined> = process.env,
): CliniqEnvironment {
  return parseEnvironment('provider-cliniq', schema, env);
}
