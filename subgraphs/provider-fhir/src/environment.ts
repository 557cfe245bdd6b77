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

/**
 * One organisation (clinic chain) on a FHIR server: where the server is, which Organization's
 * directory to serve, and how to call it. Onboarding an organisation is one more of these.
 */
export interface FhirTenantConfig {
  /** Key of the connection: its id is `fhir-<tenant>`, e.g. `halsanord`. */
  readonly tenant: string;
  /** Display name, e.g. `Hälsa Nord Vårdcentraler`. */
  readonly name: string;
  /** The FHIR base URL, e.g. `http://127.0.0.1:4102/fhir/R4`. */
  readonly baseUrl: string;
  /** Logical id of the Organization whose clinics (Locations) this connection serves. */
  readonly organization: string;
  /** Sent as `Authorization: Bearer …`. A secret: never logged. Default: none. */
  readonly accessToken?: string | undefined;
  /** How long one call may take. Default: `PROVIDER_DEADLINE_MS`. */
  readonly deadlineMs?: number | undefined;
  /** How long a hold keeps its slot before it lapses. Default: 300. */
  readonly holdTtlSeconds?: number | undefined;
  /** Most concurrent connections to the server. Default: 10. */
  readonly maxConnections?: number | undefined;
  /** Zone of clinics without a timezone extension. Default: `Europe/Stockholm`. */
  readonly timeZone?: string | undefined;
  /** How long the directory (clinics, services, schedules) is cached. Default: 60. */
  readonly catalogueTtlSeconds?: number | undefined;
}

/** The simulator's organisations (`simulators/fhir`), used when `FHIR_CONNECTIONS` is unset outside production. */
export const developmentTenants: readonly FhirTenantConfig[] = Object.freeze([
  {
    tenant: 'halsanord',
    name: 'Hälsa Nord Vårdcentraler',
    baseUrl: 'http://127.0.0.1:4102/fhir/R4',
    organization: 'halsanord',
  },
  {
    tenant: 'sydvarden',
    name: 'Sydvården',
    baseUrl: 'http://127.0.0.1:4102/fhir/R4',
    organization: 'sydvarden',
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
  organization: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'a FHIR logical id'),
  accessToken: z.string().min(1).optional(),
  deadlineMs: z.number().int().positive().optional(),
  holdTtlSeconds: z.number().int().positive().max(86_400).optional(),
  maxConnections: z.number().int().positive().max(256).optional(),
  timeZone: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), 'not an IANA time zone')
    .optional(),
  catalogueTtlSeconds: z.number().int().min(0).max(86_400).optional(),
});

/** `FHIR_CONNECTIONS`: a JSON array of tenants; unset or blank means "not configured". */
const tenantsVariable = jsonListVariable(tenantSchema, 'tenant');

const schema = z
  .object({
    NODE_ENV: nodeEnv,
    PORT: port(4011),
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: logLevel,
    INTERNAL_SECRET: internalSecret,
    PROVIDER_DEADLINE_MS: milliseconds(2000),
    FHIR_CONNECTIONS: tenantsVariable,
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.FHIR_CONNECTIONS !== undefined, {
    // Production must say which servers it serves; the defaults only exist in the simulator.
    message: 'required in production',
    path: ['FHIR_CONNECTIONS'],
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
      (env.FHIR_CONNECTIONS ?? developmentTenants).map((tenant) => Object.freeze({ ...tenant })),
    ),
  }));

/** The service's configuration, parsed once from the environment. */
export type FhirEnvironment = Readonly<z.output<typeof schema>>;

/**
 * Reads and validates the configuration (see README, "Configuration"); throws a
 * `ConfigurationError` listing every problem. The only place that reads `process.env`.
 */
export function loadEnvironment(
  env: Record<string, string | undefined> = process.env,
): FhirEnvironment {
  return parseEnvironment('provider-fhir', schema, env);
}
