import { setMaxListeners } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { abortable, type Logger } from '@booking/server-kit';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { GraphQLError } from 'graphql';
import type {
  ContractBookInput,
  ContractBookingResult,
  ContractCancelInput,
  ContractCapability,
  ContractClinic,
  ContractConfirmInput,
  ContractConnection,
  ContractHoldInput,
  ContractSlot,
  ContractSlotState,
  ContractSlotsInput,
  ContractTreatment,
  Resolvers,
} from './__generated__/contract.js';
import type { ConnectionTraffic } from './background/createConnectionTraffic.js';
import { type BookingLookup, toContractLookup } from './bookingLookup.js';
import type { ChangeLog } from './changes/createChangeLog.js';
import {
  answeringSlots,
  bookingFailure,
  type SlotWindow,
  slotWindow,
  typedUnavailable,
} from './contractRules.js';
import { contractTypeDefs } from './contractSchema.js';
import { ProviderError, ProviderErrorCode, toGraphQLError } from './errors.js';
import { isOwnId, type LocalIdFormats, unknownIdFailure } from './ids/localIds.js';

/** Header scheduling sets to the instant (epoch ms) after which nobody waits for the answer. */
export const deadlineHeader = 'x-deadline-at';

/** Static configuration of one connection (provider system x tenant). */
export interface ConnectionConfig {
  /** Platform-wide unique id, e.g. `cliniq-nordklinik`. */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** How long one call to this connection may take. */
  readonly deadlineMs: number;
}

/** A connection's catalogue as the adapter describes it. */
export interface ConnectionDescription {
  capabilities: ContractCapability[];
  holdTtlSeconds?: number | null;
  clinics: ContractClinic[];
  treatments: ContractTreatment[];
}

/** A slot search as an adapter gets it: the contract's input, its window already checked. */
export type SlotQuery = Omit<ContractSlotsInput, 'connectionId'> & SlotWindow;

/** What an adapter method receives besides its input. */
export interface ProviderCall<TConnection extends ConnectionConfig, TScope> {
  connection: TConnection;
  /** Aborted when the deadline passes: pass it to every outgoing request. */
  signal: AbortSignal;
  /**
   * Epoch ms when `signal` fires: the sooner of the connection's deadline and the caller's
   * (`x-deadline-at`). Use it to decide whether a wait (e.g. Retry-After) can still pay off.
   */
  deadlineAt: number;
  /** Per-request state (DataLoaders), made by `createScope` once per GraphQL request. */
  scope: TScope;
  logger: Logger;
}

/**
 * One provider system's translation to the contract. Methods for capabilities the system lacks
 * are left out; the kit then answers UNSUPPORTED (or BOOKING_BY_LINK) for it.
 */
export interface ProviderAdapter<TConnection extends ConnectionConfig, TScope = undefined> {
  /** The provider system, e.g. `cliniq`. */
  readonly system: string;
  readonly connections: readonly TConnection[];
  /**
   * What the system's ids look like. The kit answers an id that cannot be the system's own as
   * unknown without calling the adapter. Default: only the size is checked.
   */
  readonly localIds?: LocalIdFormats;
  createScope(): TScope;
  describe(call: ProviderCall<TConnection, TScope>): Promise<ConnectionDescription>;
  /**
   * The free slots of the window. The kit has checked the window (`SlotQuery`) and keeps only
   * what answers the query (`answeringSlots`: in the window, bookable, matching its filters, once
   * each, ordered), so an adapter may answer more (whole local days, looser filters) in any order.
   */
  findSlots(query: SlotQuery, call: ProviderCall<TConnection, TScope>): Promise<ContractSlot[]>;
  getSlot(
    slotId: string,
    call: ProviderCall<TConnection, TScope>,
  ): Promise<ContractSlotState | null>;
  /**
   * What the provider knows of a platform reservation id: `bookingFound(booking)`, `notBooked()`
   * only after looking where the booking would be, else `cannotTell(reason)` (see
   * `bookingLookup.ts`). A vendor failure may also be thrown, as from any method.
   */
  getBooking(
    reservationId: string,
    call: ProviderCall<TConnection, TScope>,
  ): Promise<BookingLookup>;
  hold?(
    input: ContractHoldInput,
    call: ProviderCall<TConnection, TScope>,
  ): Promise<ContractBookingResult>;
  book?(
    input: ContractBookInput,
    call: ProviderCall<TConnection, TScope>,
  ): Promise<ContractBookingResult>;
  confirm?(
    input: ContractConfirmInput,
    call: ProviderCall<TConnection, TScope>,
  ): Promise<ContractBookingResult>;
  cancel?(
    input: ContractCancelInput,
    call: ProviderCall<TConnection, TScope>,
  ): Promise<ContractBookingResult>;
}

/** The GraphQL context of a provider subgraph request. */
export interface ProviderRequestContext {
  /** Epoch ms after which the caller no longer waits, from the `x-deadline-at` header. */
  deadlineAt: number | null;
  scope: unknown;
}

const tracer = trace.getTracer('booking.provider');

/** Builds the Apollo server of a provider subgraph: the contract schema over `adapter`. */
export function createProviderSubgraph<TConnection extends ConnectionConfig, TScope>(
  adapter: ProviderAdapter<TConnection, TScope>,
  logger: Logger,
  changeLogs: ReadonlyMap<string, ChangeLog> = new Map(),
  /** Each connection's foreground traffic, counted around its every call. Default: none. */
  traffic: ReadonlyMap<string, ConnectionTraffic> = new Map(),
): {
  server: ApolloServer<ProviderRequestContext>;
  context: (req: IncomingMessage) => Promise<ProviderRequestContext>;
} {
  const connections = new Map(adapter.connections.map((c) => [c.id, c]));

  /**
   * Runs `work` for one connection under its deadline, mapping failures to GraphQL errors. Traced
   * as a `provider.connection` span (system, connection, outcome), the parent of the calls to the
   * provider's system.
   */
  function withConnection<T>(
    connectionId: string,
    context: ProviderRequestContext,
    work: (call: ProviderCall<TConnection, TScope>) => Promise<T>,
  ): Promise<T> {
    const attributes = {
      'booking.provider.system': adapter.system,
      'booking.connection': connectionId,
    };
    return tracer.startActiveSpan('provider.connection', { attributes }, async (span) => {
      try {
        const run = () => runForConnection(connectionId, context, work);
        const result = await (traffic.get(connectionId)?.during(run) ?? run());
        span.setAttribute('booking.outcome', 'OK');
        return result;
      } catch (error) {
        // The code only: the message may quote the provider's answer.
        const code = String((error as GraphQLError).extensions?.code ?? 'INTERNAL');
        span.setAttributes({ 'booking.outcome': code, 'error.type': code });
        span.setStatus({ code: SpanStatusCode.ERROR, message: code });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  async function runForConnection<T>(
    connectionId: string,
    context: ProviderRequestContext,
    work: (call: ProviderCall<TConnection, TScope>) => Promise<T>,
  ): Promise<T> {
    const connection = connections.get(connectionId);
    if (!connection) {
      throw toGraphQLError(
        new ProviderError(
          ProviderErrorCode.UnknownConnection,
          `unknown connection "${connectionId}"`,
        ),
        new AbortController().signal,
      );
    }
    // One reading of the clock: the budget and the deadline it ends at must agree to the ms.
    const now = Date.now();
    const budgets = [connection.deadlineMs];
    if (context.deadlineAt !== null) budgets.push(Math.max(1, context.deadlineAt - now));
    const budgetMs = Math.min(...budgets);
    const signal = AbortSignal.timeout(budgetMs);
    // One call may fan out to many requests (clinics, pages) that all listen to this signal.
    setMaxListeners(256, signal);
    const call: ProviderCall<TConnection, TScope> = {
      connection,
      signal,
      deadlineAt: now + budgetMs,
      scope: context.scope as TScope,
      logger: logger.child({ connection: connection.id }),
    };
    try {
      // Stop waiting at the deadline even if the adapter does not honour the signal.
      return await abortable(work(call), signal);
    } catch (error) {
      const mapped = toGraphQLError(error, signal);
      call.logger.warn(
        { code: mapped.extensions.code, err: error instanceof Error ? error.message : error },
        'provider call failed',
      );
      throw mapped;
    }
  }

  async function describeConnection(
    connection: TConnection,
    context: ProviderRequestContext,
  ): Promise<ContractConnection> {
    const base = { id: connection.id, system: adapter.system, name: connection.name };
    try {
      const description = await withConnection(connection.id, context, (call) =>
        adapter.describe(call),
      );
      const capabilities = changeLogs.has(connection.id)
        ? [...description.capabilities, 'CHANGES' as const]
        : description.capabilities;
      return {
        ...base,
        ...description,
        capabilities,
        holdTtlSeconds: description.holdTtlSeconds ?? null,
        unavailableReason: null,
      };
    } catch (error) {
      return {
        ...base,
        capabilities: [],
        clinics: [],
        treatments: [],
        holdTtlSeconds: null,
        unavailableReason: (error as Error).message,
      };
    }
  }

  /** Calls a booking method, or answers the typed failure for a capability the system lacks. */
  async function bookingCall<
    I extends { connectionId: string; slotId?: string; providerReference?: string },
  >(
    input: I,
    context: ProviderRequestContext,
    method:
      | ((input: I, call: ProviderCall<TConnection, TScope>) => Promise<ContractBookingResult>)
      | undefined,
    slotId: string | undefined,
  ): Promise<ContractBookingResult> {
    return withConnection(input.connectionId, context, async (call) => {
      const unknown = unknownIdFailure(input, adapter.localIds);
      if (unknown) return unknown;
      if (method) return typedUnavailable(() => method.call(adapter, input, call));
      const state = slotId ? await adapter.getSlot(slotId, call) : null;
      if (state?.slot.bookingUrl) {
        return bookingFailure('BOOKING_BY_LINK', 'this provider takes bookings on its own site', {
          bookingUrl: state.slot.bookingUrl,
        });
      }
      return bookingFailure('UNSUPPORTED', `${adapter.system} does not support this operation`);
    });
  }

  const resolvers: Resolvers = {
    Query: {
      contractConnections: (_root, _args, context) =>
        Promise.all(adapter.connections.map((c) => describeConnection(c, context))),
      contractSlots: async (_root, { input }, context) => {
        const { connectionId, ...query } = input;
        const window = slotWindow(query);
        if (!window) return [];
        // Found nowhere, so asked nowhere; an unknown connection is still refused below.
        const unknownPractitioner =
          typeof query.practitionerId === 'string' &&
          !isOwnId(query.practitionerId, adapter.localIds?.practitioner);
        if (unknownPractitioner && connections.has(connectionId)) return [];
        const slots = await withConnection(connectionId, context, (call) =>
          adapter.findSlots({ ...query, ...window }, call),
        );
        return answeringSlots(slots, { ...query, ...window });
      },
      contractSlot: (_root, { connectionId, slotId }, context) =>
        withConnection(connectionId, context, async (call) =>
          isOwnId(slotId, adapter.localIds?.slot) ? adapter.getSlot(slotId, call) : null,
        ),
      contractBooking: (_root, { connectionId, reservationId }, context) =>
        withConnection(connectionId, context, async (call) =>
          toContractLookup(await adapter.getBooking(reservationId, call), reservationId),
        ),
      contractChanges: (_root, { connectionId, after, first }, context) =>
        withConnection(connectionId, context, async () => {
          const log = changeLogs.get(connectionId);
          if (!log) {
            throw new ProviderError(
              ProviderErrorCode.Refused,
              `${connectionId} does not report changes (no CHANGES capability)`,
            );
          }
          return await log.page(after, first ?? 100);
        }),
    },
    Mutation: {
      contractHold: (_root, { input }, context) =>
        bookingCall(input, context, adapter.hold, input.slotId),
      contractBook: (_root, { input }, context) =>
        bookingCall(input, context, adapter.book, input.slotId),
      contractConfirm: (_root, { input }, context) =>
        bookingCall(input, context, adapter.confirm, undefined),
      contractCancel: (_root, { input }, context) =>
        bookingCall(input, context, adapter.cancel, undefined),
    },
  };

  const server = new ApolloServer<ProviderRequestContext>({
    schema: buildSubgraphSchema({ typeDefs: contractTypeDefs, resolvers: resolvers as never }),
    // Scheduling is the only client; errors carry codes, never stack traces.
    // Shutdown is the service's own (server-kit's runService drains HTTP first, then stops GraphQL).
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: false,
    // No landing page (it loads from a CDN) and no Apollo inline traces (nothing leaves the deployment).
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled()],
  });

  async function context(req: IncomingMessage): Promise<ProviderRequestContext> {
    const header = Number(req.headers[deadlineHeader]);
    return {
      deadlineAt: Number.isFinite(header) && header > 0 ? header : null,
      scope: adapter.createScope(),
    };
  }

  return { server, context };
}
