import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createHttpService, type HttpService, type Logger, Scope } from '@booking/server-kit';
import { type GraphQLSchema, parse } from 'graphql';
import {
  createProviderDirectory,
  type ProviderDirectory,
} from './access/createProviderDirectory.js';
import {
  createLedger,
  type Ledger,
  type ReservationRecord,
  reservationChangeOf,
} from './access/ledger/createLedger.js';
import { createLedgerDatabase } from './access/ledger/createLedgerDatabase.js';
import {
  createLiveReservations,
  type LiveReservations,
} from './access/ledger/createLiveReservations.js';
import { createProviderAccess } from './access/providers/createProviderAccess.js';
import { createProviderGuard } from './access/providers/createProviderGuard.js';
import {
  createHttpProviderSubgraphClient,
  type ProviderSubgraphClient,
} from './access/providers/createProviderSubgraphClient.js';
import { createSlotCacheStore } from './access/slotCache/createSlotCacheStore.js';
import { createSlotLoader } from './access/slotCache/createSlotLoader.js';
import { createWatchStore } from './access/watches/createWatchStore.js';
import { createWebhookStore } from './access/webhooks/createWebhookStore.js';
import { publicAddressesOnly } from './access/webhooks/publicAddressesOnly.js';
import { createPatientCipher } from './engines/createPatientCipher.js';
import { createCursorSealer } from './engines/cursors.js';
import { createProviderHealth } from './engines/providerHealth.js';
import { type CachePolicy, retentionMs } from './engines/slotCells.js';
import type { SchedulingEnvironment } from './environment.js';
import { refuseRetryablyWhileLedgerIsDown } from './ledgerOutages.js';
import {
  type AvailabilityWatches,
  createAvailabilityWatches,
} from './manager/createAvailabilityWatches.js';
import { type ClinicChanges, createClinicChanges } from './manager/createClinicChanges.js';
import { createReconciler, type Reconciler } from './manager/createReconciler.js';
import {
  createReservationManager,
  type ReservationManager,
} from './manager/createReservationManager.js';
import {
  createSchedulingManager,
  type SchedulingManager,
} from './manager/createSchedulingManager.js';
import { createWebhookDelivery, type WebhookDelivery } from './manager/createWebhookDelivery.js';
import { createWebhookManager, type WebhookManager } from './manager/createWebhookManager.js';
import { instrumentReservations } from './manager/instrumentReservations.js';
import { createSchedulingMetrics } from './schedulingMetrics.js';
import { identityFromHeaders, type SchedulingContext } from './schema/context.js';
import { resolvers } from './schema/resolvers.js';

/** The scheduling subgraph's SDL (`schema.graphql` at the package root). */
export const schedulingTypeDefs = parse(
  readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'),
);

export {
  ProviderCallError,
  type ProviderSubgraphClient,
  unwrapResult,
} from './access/providers/createProviderSubgraphClient.js';

export { readEnvironment } from './environment.js';

export interface SchedulingServiceOptions {
  config: Omit<SchedulingEnvironment, 'port' | 'host' | 'logLevel'>;
  logger: Logger;
  /**
   * Transports to the provider subgraphs. Default: HTTP clients for `config.providers.subgraphs`.
   * In-process tests pass transports that execute the subgraphs' schemas directly.
   */
  clients?: ProviderSubgraphClient[];
  /** The clock. Default: `Date.now`. */
  now?: () => number;
}

export interface SchedulingService {
  http: HttpService;
  apollo: ApolloServer<SchedulingContext>;
  /** The executable subgraph schema (for in-process gateways). */
  schema: GraphQLSchema;
  manager: SchedulingManager;
  reservations: ReservationManager;
  reconciler: Reconciler;
  /** Follows what changes at the clinic into the ledger. */
  clinicChanges: ClinicChanges;
  /** Sends reservation events to the webhook endpoints clients registered. */
  webhookDelivery: WebhookDelivery;
  webhooks: WebhookManager;
  /** Patients' standing requests for a slot to open. */
  watches: AvailabilityWatches;
  ledger: Ledger;
  directory: ProviderDirectory;
  /**
   * The GraphQL context of a request acting for `clientId` with `scopes` and, for an end user's
   * token, that user's `subject` (default: none, a backend client).
   */
  contextFor(clientId: string, scopes: Iterable<Scope>, subject?: string | null): SchedulingContext;
  /** Loads the provider catalogues and starts the reconciler; call before serving. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Builds the scheduling subgraph: opens and migrates the ledger, then wires the provider
 * directory, the managers, the reconciler, GraphQL and HTTP.
 */
export async function createSchedulingService(
  options: SchedulingServiceOptions,
): Promise<SchedulingService> {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const clients =
    options.clients ??
    Object.entries(config.providers.subgraphs).map(([name, url]) =>
      createHttpProviderSubgraphClient({ name, url, internalSecret: config.internalSecret }),
    );
  const deadlineMs = (connectionId: string) =>
    config.providers.deadlines[connectionId] ?? config.providers.deadlineMs;
  const longestDeadlineMs = Math.max(
    config.providers.deadlineMs,
    ...Object.values(config.providers.deadlines),
  );
  const metrics = createSchedulingMetrics();
  const guard = createProviderGuard({
    logger,
    deadlineMs,
    failuresToOpen: config.circuit.failures,
    halfOpenAfterMs: config.circuit.halfOpenAfterMs,
    maxConcurrent: config.providers.maxConcurrency,
    maxQueued: config.providers.maxQueue,
    maxAttempts: config.providers.maxAttempts,
    onCallEnded: (connectionId, outcome) => health.record(connectionId, outcome),
    onCircuitChange: (connectionId, status) => metrics.circuitChanged(connectionId, status),
    metrics,
  });
  const providers = createProviderAccess({ guard });
  const stopObservingCircuits = metrics.observeCircuits(() => guard.circuits());
  const health = createProviderHealth(guard.circuitStatus);
  const cachePolicy: CachePolicy = {
    freshMs: config.cache.freshMs,
    staleMs: config.cache.staleMs,
    fallbackMs: config.cache.fallbackMs,
  };
  const cacheStore = await createSlotCacheStore({
    redisUrl: config.cache.redisUrl,
    keyPrefix: config.cache.keyPrefix,
    retentionMs: retentionMs(cachePolicy),
    logger,
  });
  const slots = createSlotLoader({
    store: cacheStore,
    providers,
    policy: cachePolicy,
    metrics,
    logger,
    now,
  });
  const dropSlotDay = (row: ReservationRecord) =>
    slots.invalidateSlot(row.connection_id, row.slot_snapshot.clinicId, row.start_at.getTime());
  // Set once the ledger is open (they read the ledger); no reservation changes before then.
  let live: LiveReservations | undefined;
  let webhookDelivery: WebhookDelivery | undefined;
  let watches: AvailabilityWatches | undefined;
  const ledger = createLedger(
    await createLedgerDatabase({
      databaseUrl: config.ledger.databaseUrl,
      embeddedDataDir: config.ledger.dataDir,
      onConnectionLost: (error) =>
        logger.warn(
          { code: (error as { code?: string }).code },
          'ledger database dropped a connection; the next statement opens a new one',
        ),
    }),
    now,
    logger,
    // Every change of a reservation changes its slot's day: drop it from the cache at once, and
    // tell availability (here and on every instance) whether the slot is taken.
    async (row) => {
      await Promise.all([live?.record(reservationChangeOf(row)), dropSlotDay(row)]);
      metrics.eventWritten(row.status);
      // A reservation that ended gave its slot back: the watches waiting for one like it fire.
      if (row.status === 'CANCELLED' || row.status === 'EXPIRED') {
        await watches
          ?.slotOpened(row.connection_id, row.slot_id, row.slot_snapshot)
          .catch((error: unknown) =>
            logger.error(
              { reservation: row.id, err: (error as Error).message },
              'telling watches of a freed slot failed',
            ),
          );
      }
      webhookDelivery?.wake();
    },
  );
  live = await createLiveReservations({
    load: (from) => ledger.liveReservations(from),
    redisUrl: config.cache.redisUrl,
    channel: `${config.cache.keyPrefix}live-reservations`,
    resyncMs: config.ledger.liveResyncMs,
    logger,
    now,
  });
  const liveReservations = live;
  const directory = createProviderDirectory({
    clients,
    health,
    logger,
    describeDeadlineMs: Math.max(config.providers.deadlineMs, 5_000),
    refreshMs: config.catalogue.refreshMs,
    retryMs: config.catalogue.retryMs,
  });
  // Seals patient data and webhook secrets in the ledger.
  const cipher = createPatientCipher(config.patientDataKey);
  // Cursors of every list, signed with a key of their own derived from a secret every instance shares.
  const cursors = createCursorSealer(
    createHmac('sha256', config.patientDataKey).update('booking cursors v1').digest(),
  );
  const manager = createSchedulingManager({
    directory,
    health,
    providers,
    slots,
    reservedIn: (fromMs, toMs) =>
      liveReservations.reservedIn(fromMs, toMs) ??
      ledger
        .liveSlots(new Date(fromMs), new Date(toMs))
        .then((taken) => ({ has: (slot: string) => taken.has(slot), version: null })),
    // A key of its own, derived from a secret every instance shares.
    cursors,
  });
  const reservations = instrumentReservations(
    createReservationManager({
      ledger,
      directory,
      providers,
      cipher,
      logger,
      now,
      platformHoldMs: config.platformHoldSeconds * 1000,
      settleAfterMs: config.reconcile.afterMs,
      slotReleased: dropSlotDay,
      freshSlot: slots.freshSlot,
      cursors,
      // A repeat waits as long as the first call can take: a slot look-up and a booking call.
      replayWaitMs: 2 * longestDeadlineMs + 1000,
    }),
    metrics,
  );
  const reconciler = createReconciler({
    ledger,
    reservations,
    logger,
    metrics,
    now,
    settleAfterMs: config.reconcile.afterMs,
    intervalMs: config.reconcile.intervalMs,
    // One attempt: a look-up, a repeated booking or a cancel, and a move's cancel after it.
    leaseMs: 3 * longestDeadlineMs + 1000,
    maxBackoffMs: config.reconcile.maxBackoffMs,
    alertAfterMs: config.reconcile.alertAfterMs,
  });
  const webhookStore = createWebhookStore(ledger.db, () => new Date(now()));
  const delivery = createWebhookDelivery({
    store: webhookStore,
    cipher,
    logger,
    metrics,
    now,
    ...config.webhooks,
    // Production webhooks reach public addresses only; elsewhere a receiver on this machine too.
    ...(config.nodeEnv === 'production' && { dispatcher: publicAddressesOnly() }),
  });
  webhookDelivery = delivery;
  const webhooks = createWebhookManager({
    store: webhookStore,
    cipher,
    cursors,
    production: config.nodeEnv === 'production',
    wake: delivery.wake,
    now,
  });
  const availabilityWatches = createAvailabilityWatches({
    store: createWatchStore(ledger.db, () => new Date(now())),
    directory,
    cursors,
    logger,
    now,
    opened: delivery.wake,
  });
  watches = availabilityWatches;
  const clinicChanges = createClinicChanges({
    ledger,
    directory,
    providers,
    dropDay: slots.invalidateSlot,
    slotOpened: availabilityWatches.slotOpened,
    logger,
    metrics,
    now,
    ...config.clinicChanges,
  });
  const schema = buildSubgraphSchema({
    typeDefs: schedulingTypeDefs,
    resolvers: refuseRetryablyWhileLedgerIsDown(resolvers, logger) as never,
  });
  const apollo = new ApolloServer<SchedulingContext>({
    schema,
    // Shutdown is the service's own (server-kit's runService drains HTTP first, then stops GraphQL).
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: config.nodeEnv !== 'production',
    // Only the gateway calls this subgraph, with JSON POSTs; CSRF protection is the gateway's job.
    csrfPrevention: false,
    // No landing page (it loads from a CDN) and no Apollo inline traces (nothing leaves the deployment).
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
  });
  const contextFor = (
    clientId: string,
    scopes: Iterable<Scope>,
    subject: string | null = null,
  ): SchedulingContext => {
    const granted = new Set(scopes);
    return {
      manager,
      reservations,
      webhooks,
      watches: availabilityWatches,
      caller: { clientId, subject, admin: granted.has(Scope.Admin) },
      scopes: granted,
    };
  };
  const http = createHttpService<SchedulingContext>({
    name: 'scheduling',
    logger,
    // Only the gateway calls scheduling; the identity headers are trusted because of this.
    internalSecret: config.internalSecret,
    graphql: {
      server: apollo,
      context: async (req) => {
        const identity = identityFromHeaders(req.headers);
        return contextFor(identity.clientId, identity.scopes, identity.subject);
      },
    },
    readiness: async () => {
      const database = await ledger.db
        .selectFrom('reservations')
        .select('id')
        .limit(1)
        .execute()
        .then(
          () => ({ ok: true }),
          (error: unknown) => ({ ok: false, message: (error as Error).message }),
        );
      // Ready once at least one provider connection is known: with none, every search would
      // answer nothing (e.g. every provider subgraph refuses the internal secret).
      const connections = directory.list().length;
      const catalogues = directory.loaded && connections > 0;
      return {
        ok: catalogues && database.ok,
        checks: {
          providerCatalogues: { ok: catalogues, connections },
          ledger: database,
          // Never fails readiness: without Redis the cache lives in this process.
          slotCache: { ok: true, store: cacheStore.kind() },
        },
      };
    },
  });
  return {
    http,
    apollo,
    schema,
    manager,
    reservations,
    reconciler,
    clinicChanges,
    webhookDelivery: delivery,
    webhooks,
    watches: availabilityWatches,
    ledger,
    directory,
    contextFor,
    async start() {
      await directory.start();
      reconciler.start();
      await clinicChanges.start();
      delivery.start();
    },
    async stop() {
      directory.stop();
      await http.close();
      await reconciler.stop();
      await clinicChanges.stop();
      await delivery.stop();
      await Promise.all(clients.map((client) => client.close()));
      guard.dispose();
      stopObservingCircuits();
      await liveReservations.close();
      await cacheStore.close();
      await ledger.close();
    },
  };
}
