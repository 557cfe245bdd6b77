import type { Logger } from '@booking/server-kit';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import type {
  BackgroundTask,
  BackgroundTaskDefinition,
} from '../background/createBackgroundTask.js';
import type { CatalogueCache } from '../cache/createCatalogueCache.js';
import type { ChangeLog } from '../changes/createChangeLog.js';
import type { PushAnswer, PushRequest } from '../changes/receivePush.js';
import type { ConnectionConfig, ProviderAdapter } from '../createProviderSubgraph.js';
import type { ReservationIndex } from '../reservationIndex/types.js';
import type { RequestBudget } from '../rest/requestBudget.js';

/** The fields every entry of `<SYSTEM>_CONNECTIONS` has, whatever the system. */
export interface ConnectionEntry {
  /** Short key, lower-case letters, digits and dashes: the connection's id is `<system>-<id>`. */
  readonly id: string;
  /** Display name, e.g. `Nordklinik`. */
  readonly name: string;
  /** How long one call to this connection may take. Default: `PROVIDER_DEADLINE_MS`. */
  readonly deadlineMs?: number | undefined;
  /** Most concurrent sockets per origin for this connection. Default: 10. */
  readonly maxConnections?: number | undefined;
  /** Milliseconds between reads of this connection's catalogue. Default: `PROVIDER_CATALOGUE_REFRESH_MS`. */
  readonly catalogueRefreshMs?: number | undefined;
}

/** One `<SYSTEM>_CONNECTIONS` entry: the common fields plus the system's own (`connectionFields`). */
export type EntryOf<TFields extends z.ZodRawShape> = ConnectionEntry &
  Readonly<z.output<z.ZodObject<TFields>>>;

/** What `connect` gets besides the entry: everything the kit owns for one connection. */
export interface ConnectContext<TSettings> {
  /** The platform-wide connection id, `<system>-<entry id>`. */
  readonly id: string;
  /** The entry's `deadlineMs`, else `PROVIDER_DEADLINE_MS`. */
  readonly deadlineMs: number;
  /**
   * This connection's own keep-alive dispatcher (pass it to every request): a slow or failing
   * connection exhausts only its own sockets. Closed by the kit on shutdown.
   */
  readonly dispatcher: Dispatcher;
  readonly settings: TSettings;
  /** The service's logger with this connection's id on every line (`connection`). */
  readonly logger: Logger;
  /** Epoch ms. `Date.now` unless a test injects a clock. */
  readonly now: () => number;
  /**
   * Keeps this connection's catalogue (clinics, practitioners, services, schedules) off the
   * search and booking paths: `createCatalogueCache` with the connection's refresh interval
   * (`catalogueRefreshMs`, else `PROVIDER_CATALOGUE_REFRESH_MS`), its deadline per load and its
   * logger, loaded and refreshed in the background while the service listens and stopped with it.
   */
  catalogue<T>(options: {
    /** Reads the catalogue from the vendor, every call made concurrently where it can be. */
    load: (budget: RequestBudget) => Promise<T>;
    /** Names it in errors and logs, e.g. `FHIR directory`. */
    label: string;
  }): CatalogueCache<T>;
  /**
   * This connection's change log (made on the first call, the same one after): what the adapter
   * learns of changes at the clinic, by push (`receivePush`) or by its own polling, goes here, and
   * the kit serves it as `contractChanges` and gives the connection the `CHANGES` capability.
   */
  changeLog(): ChangeLog;
  /**
   * Background work of this connection (a change poll, a webhook subscription): started when the
   * service listens, stopped before its dispatcher closes, runs never overlapping, failures backed
   * off (`BackgroundTaskDefinition`) and logged with the connection.
   */
  background(task: BackgroundTaskDefinition): BackgroundTask;
  /**
   * Where the vendor reaches this connection's pushes: `<SYSTEM>_PUSH_BASE_URL` followed by
   * `/push/<connection id>`. Undefined when the variable is unset (and, outside production, the
   * service was given no fixed `PORT` to default it from): no pushes can come.
   */
  readonly pushUrl: string | undefined;
  /**
   * This connection's durable reservation index (reservation id → the vendor's booking), for a
   * vendor that cannot be searched by an external reference. Only for a definition with
   * `reservationIndex: true`; closed by the kit.
   */
  reservations(): ReservationIndex;
}

/** What `adapter` gets besides the connections. */
export interface AdapterContext<TSettings> {
  readonly settings: TSettings;
  readonly logger: Logger;
  readonly now: () => number;
}

/**
 * One provider system, declared once: the kit derives its configuration (`<SYSTEM>_CONNECTIONS`
 * and the production rules), one dispatcher per connection, readiness, the HTTP service and the
 * entry point from it. A provider package writes this, its client (the vendor's dialect) and its
 * adapter (the mapping to the contract), nothing else.
 */
export interface ProviderDefinition<
  TFields extends z.ZodRawShape,
  TSettings,
  TConnection extends ConnectionConfig,
  TScope,
> {
  /**
   * The provider system, lower-case, e.g. `cliniq`: the service is `provider-<system>`, its
   * connection list `<SYSTEM>_CONNECTIONS`, its connection ids `<system>-<entry id>`.
   */
  readonly system: string;
  /** Port of `npm start` (`PORT` overrides it). */
  readonly port: number;
  /**
   * The system's own fields of a connection entry (endpoint, credentials, vendor ids), besides
   * `id`, `name`, `deadlineMs` and `maxConnections`. Unknown fields are refused. Issues name the
   * field and the rule, never the value: entries carry credentials.
   */
  readonly connectionFields: TFields;
  /** Served outside production when `<SYSTEM>_CONNECTIONS` is unset: the simulator's. */
  readonly developmentConnections: readonly EntryOf<TFields>[];
  /**
   * System-wide variables beyond the connection list (e.g. a poll interval), parsed from the
   * environment into the `settings` that `connect` and `adapter` get. Default: none.
   */
  readonly settings?: z.ZodType<TSettings>;
  /**
   * Whether connections keep a durable reservation index (`ConnectContext.reservations`): the kit
   * then reads `<SYSTEM>_RESERVATIONS_DATABASE_URL` (PostgreSQL, shared by replicas; required in
   * production) and `<SYSTEM>_RESERVATIONS_DIR` (append-only files, one replica). Default: false.
   */
  readonly reservationIndex?: boolean;
  /** Makes one connection (its client, caches, syncs) from its entry. */
  connect(entry: EntryOf<TFields>, context: ConnectContext<TSettings>): TConnection;
  /** The contract adapter over every connection. */
  adapter(
    connections: readonly TConnection[],
    context: AdapterContext<TSettings>,
  ): ProviderAdapter<TConnection, TScope>;
  /**
   * One connection's readiness. Default: ready, not probed: each connection is its own provider
   * with its own status in scheduling, so one that is down must not take the others out of
   * rotation; a connection is unready only while it cannot answer at all (e.g. before its first
   * sync).
   */
  readiness?(connection: TConnection): { ok: boolean; message: string };
  /**
   * Background work of a connection beyond its `background` tasks, started when the service
   * listens. Default: none.
   */
  start?(connection: TConnection): void;
  /** Stops what `start` started; the kit then closes the connection's dispatcher. */
  stop?(connection: TConnection): Promise<void>;
  /**
   * A push from the provider's system to this connection (a vendor webhook, a FHIR Subscription
   * notification), received at `POST /push/<connection id>` outside the platform's internal
   * secret: it must check the push itself (signature, shared secret, freshness) and refuse
   * anything it cannot trust with a 4xx, having changed nothing. What it accepts goes to the
   * connection's `changeLog()`. The vendor redelivers what got no 2xx.
   */
  receivePush?(connection: TConnection, push: PushRequest): Promise<PushAnswer>;
}

/** Declares a provider system; the identity function, for type inference. */
export function defineProvider<
  TFields extends z.ZodRawShape,
  TSettings = Record<string, never>,
  TConnection extends ConnectionConfig = ConnectionConfig,
  TScope = undefined,
>(
  definition: ProviderDefinition<TFields, TSettings, TConnection, TScope>,
): ProviderDefinition<TFields, TSettings, TConnection, TScope> {
  return definition;
}

/** A definition of any shape, for code that handles every provider alike. */
// biome-ignore lint/suspicious/noExplicitAny: each definition's own types are checked where it is written.
export type AnyProviderDefinition = ProviderDefinition<z.ZodRawShape, any, any, any>;
