import {
  ConfigurationError,
  internalSecret,
  jsonListVariable,
  logLevel,
  milliseconds,
  nodeEnv,
  parseEnvironment,
  port,
} from '@booking/server-kit';
import { z } from 'zod';
import { defaultCatalogueRefreshMs } from '../cache/createCatalogueCache.js';
import type { EntryOf, ProviderDefinition } from './defineProvider.js';

type Environment = Record<string, string | undefined>;

/** `<SYSTEM>_CONNECTIONS`, e.g. `CLINIQ_CONNECTIONS` for `cliniq`. */
export function connectionsVariable(system: string): string {
  return `${system.toUpperCase().replaceAll('-', '_')}_CONNECTIONS`;
}

/** `<SYSTEM>_<NAME>`: the prefix of a provider system's own variables. */
const systemVariable = (system: string, name: string) =>
  `${system.toUpperCase().replaceAll('-', '_')}_${name}`;

/** `<SYSTEM>_CONNECTIONS`, … : what the kit reads for a definition's optional parts. */
function kitVariables(
  // biome-ignore lint/suspicious/noExplicitAny: only the configuration parts are read here.
  definition: Pick<ProviderDefinition<z.ZodRawShape, any, any, any>, KitParts>,
) {
  const { system } = definition;
  return {
    connections: connectionsVariable(system),
    pushBaseUrl: definition.receivePush ? systemVariable(system, 'PUSH_BASE_URL') : undefined,
    reservationsDatabaseUrl: definition.reservationIndex
      ? systemVariable(system, 'RESERVATIONS_DATABASE_URL')
      : undefined,
    reservationsDir: definition.reservationIndex
      ? systemVariable(system, 'RESERVATIONS_DIR')
      : undefined,
  };
}

/** The parts of a definition that say which variables the kit reads for it. */
type KitParts = 'system' | 'settings' | 'receivePush' | 'reservationIndex';

/** The variables every provider service reads, besides its connection list and settings. */
const sharedVariables = [
  'NODE_ENV',
  'PORT',
  'HOST',
  'LOG_LEVEL',
  'INTERNAL_SECRET',
  'PROVIDER_DEADLINE_MS',
  'PROVIDER_CATALOGUE_REFRESH_MS',
  'PROVIDER_CHANGES_DATABASE_URL',
] as const;

/** The keys of an object schema, also behind a transform or refinement. */
function keysOf(schema: z.ZodType | undefined): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodPipe) return keysOf(schema.in as z.ZodType);
  return [];
}

/** Every variable a provider service reads, for checks of deployment files. */
export function providerVariables(
  // biome-ignore lint/suspicious/noExplicitAny: only the configuration parts are read here.
  definition: Pick<ProviderDefinition<z.ZodRawShape, any, any, any>, KitParts>,
): string[] {
  const own = Object.values(kitVariables(definition)).filter((name) => name !== undefined);
  // A setting may read a shared variable too (NODE_ENV, say): once each.
  return [...new Set([...sharedVariables, ...own, ...keysOf(definition.settings)])];
}

/** The service's configuration, parsed once from the environment. */
export interface ProviderEnvironment<TEntry, TSettings> {
  readonly nodeEnv: 'development' | 'test' | 'production';
  readonly port: number;
  readonly host: string;
  readonly logLevel: z.output<typeof logLevel>;
  readonly internalSecret: string;
  /** Deadline of a connection without its own `deadlineMs`. */
  readonly providerDeadlineMs: number;
  /** Milliseconds between catalogue reads of a connection without its own `catalogueRefreshMs`. */
  readonly catalogueRefreshMs: number;
  /**
   * PostgreSQL for the connections' change logs, shared by every replica; unset: in memory (one
   * replica).
   */
  readonly changesDatabaseUrl: string | undefined;
  /**
   * `<SYSTEM>_PUSH_BASE_URL` of a definition that takes pushes: this service as the vendor reaches
   * it. Outside production it defaults to `http://127.0.0.1:<PORT>` when `PORT` is set (as
   * `npm start` and the system tests set it), where a simulator reaches it.
   */
  readonly pushBaseUrl: string | undefined;
  /** Where a definition with `reservationIndex` keeps it: PostgreSQL, else files in a folder. */
  readonly reservations: ReservationStore | undefined;
  /** `<SYSTEM>_CONNECTIONS`, or the development connections when it is unset outside production. */
  readonly connections: readonly TEntry[];
  readonly settings: TSettings;
}

/** Where connections' reservation indexes live (`ProviderDefinition.reservationIndex`). */
export interface ReservationStore {
  /** PostgreSQL, shared by every replica. Unset: files in `directory`, for one replica. */
  readonly databaseUrl?: string | undefined;
  /** Default: `provider-<system>` in the system's temporary folder. */
  readonly directory?: string | undefined;
}

/** The schema of one `<SYSTEM>_CONNECTIONS` entry: common fields plus the system's own. */
function entrySchema(fields: z.ZodRawShape) {
  return z.strictObject({
    id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]*$/,
        'lower-case letters, digits and dashes (it becomes part of an id)',
      ),
    name: z.string().min(1),
    deadlineMs: z.number().int().positive().optional(),
    maxConnections: z.number().int().positive().max(256).optional(),
    catalogueRefreshMs: z.number().int().min(1000).max(86_400_000).optional(),
    ...fields,
  });
}

/**
 * Reads and validates a provider service's configuration: the variables every provider shares,
 * its connection list and its own settings. Every problem is reported at once in one
 * `ConfigurationError`; values are never echoed (entries carry credentials).
 */
export function loadProviderEnvironment<TFields extends z.ZodRawShape, TSettings>(
  definition: Pick<
    // biome-ignore lint/suspicious/noExplicitAny: only the configuration parts are read here.
    ProviderDefinition<TFields, TSettings, any, any>,
    KitParts | 'port' | 'connectionFields' | 'developmentConnections'
  >,
  env: Environment = process.env,
): ProviderEnvironment<EntryOf<TFields>, TSettings> {
  const service = `provider-${definition.system}`;
  const names = kitVariables(definition);
  const variable = names.connections;
  const common = z.object({
    NODE_ENV: nodeEnv,
    PORT: port(definition.port),
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: logLevel,
    INTERNAL_SECRET: internalSecret,
    PROVIDER_DEADLINE_MS: milliseconds(2000),
    PROVIDER_CATALOGUE_REFRESH_MS: z.coerce
      .number()
      .int()
      .min(1000)
      .max(86_400_000)
      .default(defaultCatalogueRefreshMs),
    PROVIDER_CHANGES_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  });
  const httpUrl = z.url({ protocol: /^https?$/ }).optional();
  const postgresUrl = z.url({ protocol: /^postgres(ql)?$/ }).optional();
  const optional = z.object({
    ...(names.pushBaseUrl && { [names.pushBaseUrl]: httpUrl }),
    ...(names.reservationsDatabaseUrl && { [names.reservationsDatabaseUrl]: postgresUrl }),
    ...(names.reservationsDir && { [names.reservationsDir]: z.string().min(1).optional() }),
  });
  const list = z.object({
    [variable]: jsonListVariable(entrySchema(definition.connectionFields), 'id'),
  });

  const problems: string[] = [];
  const parse = <S extends z.ZodType>(schema: S): Readonly<z.output<S>> | undefined => {
    try {
      return parseEnvironment(service, schema, env);
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const shared = parse(common);
  const own = parse(optional) as Record<string, string | undefined> | undefined;
  const listed = parse(list)?.[variable] as readonly EntryOf<TFields>[] | undefined;
  const settings = definition.settings
    ? (parse(definition.settings) as TSettings | undefined)
    : ({} as TSettings);
  // Production must say which connections it serves: the development ones are the simulator's.
  if (env.NODE_ENV === 'production' && !env[variable]?.trim()) {
    problems.push(`${variable}: required in production`);
  }
  const reservationsUrl = names.reservationsDatabaseUrl;
  if (env.NODE_ENV === 'production' && reservationsUrl && !env[reservationsUrl]?.trim()) {
    // A container's files neither outlive it nor are shared by replicas.
    problems.push(`${reservationsUrl}: required in production`);
  }
  if (!shared || !own || settings === undefined || problems.length > 0) {
    throw new ConfigurationError(service, problems);
  }
  const entries = listed ?? definition.developmentConnections;
  const givenPort = env.PORT?.trim();
  const pushBaseUrl = names.pushBaseUrl
    ? (own[names.pushBaseUrl] ??
      (shared.NODE_ENV === 'production' || !givenPort || shared.PORT === 0
        ? undefined
        : `http://127.0.0.1:${shared.PORT}`))
    : undefined;
  return Object.freeze({
    nodeEnv: shared.NODE_ENV,
    port: shared.PORT,
    host: shared.HOST,
    logLevel: shared.LOG_LEVEL,
    internalSecret: shared.INTERNAL_SECRET,
    providerDeadlineMs: shared.PROVIDER_DEADLINE_MS,
    catalogueRefreshMs: shared.PROVIDER_CATALOGUE_REFRESH_MS,
    changesDatabaseUrl: shared.PROVIDER_CHANGES_DATABASE_URL,
    pushBaseUrl,
    reservations:
      names.reservationsDatabaseUrl && names.reservationsDir
        ? {
            databaseUrl: own[names.reservationsDatabaseUrl],
            directory: own[names.reservationsDir],
          }
        : undefined,
    connections: Object.freeze(
      entries.map((entry) => Object.freeze({ ...entry }) as EntryOf<TFields>),
    ),
    settings: Object.freeze(settings) as TSettings,
  });
}

/**
 * What is wrong with a provider's configuration in `env`, one line per problem (none: it
 * loads). For checks and tests of a definition's configuration rules.
 */
export function environmentProblems<TFields extends z.ZodRawShape, TSettings>(
  definition: Parameters<typeof loadProviderEnvironment<TFields, TSettings>>[0],
  env: Environment,
): readonly string[] {
  try {
    loadProviderEnvironment(definition, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
}
