import { findTreatment } from '@booking/catalogue';
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

/** What RIV-TA does not say about a facility (address, position), from configuration. */
export interface FacilityDetails {
  /** Shown when the producer sends no name. */
  readonly name?: string | undefined;
  readonly address?:
    | { readonly line: string; readonly postalCode?: string | undefined; readonly city: string }
    | undefined;
  readonly location?: { readonly latitude: number; readonly longitude: number } | undefined;
}

/** One care unit reached at its logical address. Onboarding a unit is this. */
export interface RivtaUnitConfig {
  /** Short key, e.g. `kungsholmen`; the connection id is `rivta-<unit>`. */
  readonly unit: string;
  /** Display name, e.g. `Vårdcentralen Kungsholmen`. */
  readonly name: string;
  /** The unit's HSA id, which the service platform routes by (`LogicalAddress`). */
  readonly logicalAddress: string;
  /** This unit's platform base URL. Default: `RIVTA_BASE_URL`. */
  readonly baseUrl?: string | undefined;
  /** How long one call to this unit may take. Default: `PROVIDER_DEADLINE_MS`. */
  readonly deadlineMs?: number | undefined;
  /** Address and position per facility HSA id. Default: none (clinics without address). */
  readonly facilities?: Readonly<Record<string, FacilityDetails>> | undefined;
  /** The unit's own time type codes → catalogue ids, on top of the built-in ones. Default: none. */
  readonly timeTypes?: Readonly<Record<string, string>> | undefined;
}

const seedUnits: RivtaUnitConfig[] = [
  {
    unit: 'kungsholmen',
    name: 'Vårdcentralen Kungsholmen',
    logicalAddress: 'SE2321000016-1234',
    facilities: {
      'SE2321000016-12A1': {
        address: { line: 'Fleminggatan 22', postalCode: '112 26', city: 'Stockholm' },
        location: { latitude: 59.3326, longitude: 18.0419 },
      },
      'SE2321000016-12B2': {
        address: { line: 'Fleminggatan 22', postalCode: '112 26', city: 'Stockholm' },
        location: { latitude: 59.3326, longitude: 18.0419 },
      },
    },
  },
  {
    unit: 'gottsunda',
    name: 'Gottsunda vårdcentral',
    logicalAddress: 'SE2321000032-5678',
    facilities: {
      'SE2321000032-56A1': {
        address: { line: 'Valthornsvägen 1', postalCode: '756 46', city: 'Uppsala' },
        location: { latitude: 59.808, longitude: 17.628 },
      },
      'SE2321000032-56B2': {
        address: { line: 'Valthornsvägen 1', postalCode: '756 46', city: 'Uppsala' },
        location: { latitude: 59.808, longitude: 17.628 },
      },
      'SE2321000032-56C3': {
        address: { line: 'Valthornsvägen 1', postalCode: '756 46', city: 'Uppsala' },
        location: { latitude: 59.808, longitude: 17.628 },
      },
    },
  },
  {
    unit: 'mollevangen',
    name: 'Vårdcentralen Möllevången',
    logicalAddress: 'SE2321000255-9012',
    facilities: {
      'SE2321000255-90A1': {
        address: { line: 'Bergsgatan 20', postalCode: '214 22', city: 'Malmö' },
        location: { latitude: 55.594, longitude: 13.0047 },
      },
    },
  },
];
/** The simulator's seed units (`simulators/rivta`), used when `RIVTA_UNITS` is unset outside production. */
export const developmentUnits: readonly RivtaUnitConfig[] = Object.freeze(seedUnits);

/** The simulator's platform URL, used when `RIVTA_BASE_URL` is unset outside production. */
export const developmentBaseUrl = 'http://127.0.0.1:4103/vp';

/**
 * "Tolvan Tolvansson", Skatteverket's well-known test personnummer: what reads are sent with when
 * nobody in particular is asking. Production sets the identity its agreement names.
 */
export const defaultSearchSubjectOfCare = '191212121212';

const url = z.url({ protocol: /^https?$/ });

const facilitySchema = z.strictObject({
  name: z.string().min(1).optional(),
  address: z
    .strictObject({
      line: z.string().min(1),
      postalCode: z.string().optional(),
      city: z.string().min(1),
    })
    .optional(),
  location: z
    .strictObject({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
    })
    .optional(),
});

const unitSchema = z.strictObject({
  unit: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]*$/,
      'lower-case letters, digits and dashes (it becomes part of an id)',
    ),
  name: z.string().min(1),
  logicalAddress: z.string().min(1),
  baseUrl: url.optional(),
  deadlineMs: z.number().int().positive().optional(),
  facilities: z.record(z.string().min(1), facilitySchema).optional(),
  timeTypes: z
    .record(
      z.string().min(1),
      z.string().refine((id) => findTreatment(id) !== undefined, 'not a catalogue treatment id'),
    )
    .optional(),
});

/** `RIVTA_UNITS`: a JSON array of units; unset or blank means "not configured". */
const unitsVariable = jsonListVariable(unitSchema, 'unit');

/** Whether a 12-digit personnummer has a real date and a correct Luhn check digit. */
function isPersonnummer(value: string): boolean {
  if (!/^\d{12}$/.test(value)) return false;
  const digits = value.slice(2).split('').map(Number);
  const sum = digits.slice(0, 9).reduce((total, digit, index) => {
    const product = index % 2 === 0 ? digit * 2 : digit;
    return total + (product > 9 ? product - 9 : product);
  }, 0);
  return (10 - (sum % 10)) % 10 === digits[9];
}

const schema = z
  .object({
    NODE_ENV: nodeEnv,
    PORT: port(4012),
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: logLevel,
    INTERNAL_SECRET: internalSecret,
    PROVIDER_DEADLINE_MS: milliseconds(2000),
    RIVTA_BASE_URL: url.optional(),
    RIVTA_UNITS: unitsVariable,
    RIVTA_SEARCH_SUBJECT_OF_CARE: z
      .string()
      .refine(isPersonnummer, '12 digits with a valid check digit')
      .default(defaultSearchSubjectOfCare),
    RIVTA_CATALOGUE_TTL_MS: z.coerce.number().int().min(0).default(60_000),
    RIVTA_MAX_CONNECTIONS: z.coerce.number().int().positive().max(256).default(10),
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.RIVTA_UNITS !== undefined, {
    message: 'required in production',
    path: ['RIVTA_UNITS'],
    when: () => true,
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.RIVTA_BASE_URL !== undefined, {
    message: 'required in production',
    path: ['RIVTA_BASE_URL'],
    when: () => true,
  })
  .transform((env) => ({
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    internalSecret: env.INTERNAL_SECRET,
    providerDeadlineMs: env.PROVIDER_DEADLINE_MS,
    baseUrl: env.RIVTA_BASE_URL ?? developmentBaseUrl,
    units: Object.freeze(
      (env.RIVTA_UNITS ?? developmentUnits).map((unit) => Object.freeze({ ...unit })),
    ),
    searchSubjectOfCare: env.RIVTA_SEARCH_SUBJECT_OF_CARE,
    catalogueTtlMs: env.RIVTA_CATALOGUE_TTL_MS,
    maxConnections: env.RIVTA_MAX_CONNECTIONS,
  }));

/** The service's configuration, parsed once from the environment. */
export type RivtaEnvironment = Readonly<z.output<typeof schema>>;

/**
 * Reads and validates the configuration (see README, "Configuration"); throws a
 * `ConfigurationError` listing every problem. The only place that reads `process.env`.
 */
export function loadEnvironment(
  env: Record<string, string | undefined> = process.env,
): RivtaEnvironment {
  return parseEnvironment('provider-rivta', schema, env);
}
