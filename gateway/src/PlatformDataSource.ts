import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { identityHeaders, internalSecretHeader, type Logger } from '@booking/server-kit';
import type { GatewayContext } from './auth/scopesPlugin.js';
import { clientInputErrors } from './clientInputErrors.js';
import { createInFlightRequests, type InFlightRequests } from './createInFlightRequests.js';
import { createSharedFetcher, type SubgraphAnswer, shareableMark } from './createSharedFetcher.js';
import { serviceUnavailable, subgraphUnreachable } from './errors.js';

/** A subgraph's answer other than 2xx, as Apollo Gateway's `RemoteGraphQLDataSource` reports it. */
interface SubgraphRefusal {
  url: string;
  status: number;
  body: unknown;
}

/** Socket-level failures: the subgraph could not be reached or dropped the connection. */
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function isUnreachable(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && unreachableCodes.has(code)) return true;
    if (/socket hang up|other side closed/.test(cause.message)) return true;
  }
  return false;
}

function refusalOf(error: unknown): SubgraphRefusal | undefined {
  const response = (error as { extensions?: { response?: Partial<SubgraphRefusal> } })?.extensions
    ?.response;
  return typeof response?.status === 'number' && typeof response.url === 'string'
    ? { url: response.url, status: response.status, body: response.body }
    : undefined;
}

export interface PlatformDataSourceOptions {
  /** The subgraph's name in the supergraph, for logs and errors. */
  subgraph: string;
  url: string;
  fetcher: Fetcher;
  /** Sent as `x-internal-secret` on every call. */
  internalSecret: string;
  logger: Logger;
  /**
   * Share one fetch among identical queries in flight at once: same subgraph, query text,
   * variables and headers (the internal secret and the caller's identity and scopes among them).
   * Mutations are never shared, nothing is kept once the fetch settles. Default: `true`.
   */
  deduplicate?: boolean;
}

/** A query's text as the query planner prints it: an operation of type `query` comes first. */
const queryText = /^\s*(?:query\b|\{)/;

type WillSendRequestOptions = Parameters<
  NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>
>[0];

/**
 * Calls a subgraph over HTTP, telling it who the request acts for and proving it is the gateway.
 * A subgraph that refuses the request before running it is translated: a value the client sent
 * (HTTP 400, e.g. a `DateTime` without offset) is the client's `BAD_USER_INPUT` (400); the gateway's
 * own credentials refused (401: `INTERNAL_SECRET` differs) is the operator's fault, logged as an
 * error and answered 503. The subgraph's URL and answer stay under `extensions.debug`.
 *
 * Identical queries in flight at once share one fetch (`deduplicate`): the key holds every header
 * sent, so callers acting for different clients or subjects, or with other scopes, never share an
 * answer. Each caller parses the shared text itself: no object of one caller's result is another's.
 */
export class PlatformDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  /** Whether the subgraph refused the internal secret last time: logged once per outage. */
  private refusing = false;
  private readonly subgraph: string;
  private readonly internalSecret: string;
  private readonly logger: Logger;
  private readonly deduplicate: boolean;
  /** This subgraph's shared fetches in flight. */
  readonly inFlight: InFlightRequests<SubgraphAnswer>;

  constructor(options: PlatformDataSourceOptions) {
    const inFlight = createInFlightRequests<SubgraphAnswer>();
    super({ url: options.url, fetcher: createSharedFetcher(options.fetcher, inFlight) });
    this.inFlight = inFlight;
    this.subgraph = options.subgraph;
    this.internalSecret = options.internalSecret;
    this.logger = options.logger;
    this.deduplicate = options.deduplicate ?? true;
  }

  override willSendRequest(options: WillSendRequestOptions) {
    const { request, context } = options;
    // Only a client's query: a mutation's fetches, its entity fetches too (which must read what
    // the mutation wrote, not join a read begun before it), always go out alone.
    if (
      this.deduplicate &&
      'incomingRequestContext' in options &&
      options.incomingRequestContext.operation?.operation === 'query' &&
      queryText.test(request.query ?? '')
    ) {
      request.http?.headers.set(shareableMark, '1');
    }
    request.http?.headers.set(internalSecretHeader, this.internalSecret);
    // Health checks and query planning run without a request context.
    if (!context?.principal) return;
    request.http?.headers.set(identityHeaders.clientId, context.principal.clientId);
    // Set or removed on every call, so a subject never outlives the request it belongs to.
    if (context.principal.subject) {
      request.http?.headers.set(identityHeaders.subject, context.principal.subject);
    } else {
      request.http?.headers.delete(identityHeaders.subject);
    }
    request.http?.headers.set(identityHeaders.scopes, [...context.principal.scopes].join(' '));
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    let response: Awaited<ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']>>;
    try {
      response = await super.process(options);
    } catch (error) {
      const refusal = refusalOf(error);
      // Only a client's operation has a client to answer (not a health check or schema load).
      if (!('incomingRequestContext' in options)) throw error;
      // The subgraph went away mid-request (a crash, a restart): the client may repeat it, with
      // its idempotency key, once another instance or the restarted one answers.
      if (!refusal && isUnreachable(error)) {
        throw subgraphUnreachable({ subgraph: this.subgraph, error: (error as Error).message });
      }
      if (!refusal) throw error;
      const debug = { subgraph: this.subgraph, ...refusal };
      if (refusal.status === 401) {
        if (!this.refusing) {
          this.logger.error(
            { subgraph: this.subgraph, url: refusal.url, status: refusal.status },
            `${this.subgraph} refuses the gateway's internal secret: INTERNAL_SECRET differs between the gateway and ${this.subgraph}; requests that need it get 503 until it is fixed`,
          );
        }
        this.refusing = true;
        throw serviceUnavailable(debug);
      }
      if (refusal.status === 400) {
        const variables = new Set<string>(
          options.incomingRequestContext.operation?.variableDefinitions?.map(
            (definition) => definition.variable.name.value,
          ),
        );
        const errors = clientInputErrors(
          refusal.body,
          options.request.query ?? '',
          variables,
          debug,
        );
        if (errors) return { errors };
      }
      throw error;
    }
    if (this.refusing) {
      this.refusing = false;
      this.logger.info({ subgraph: this.subgraph }, `${this.subgraph} accepts the gateway again`);
    }
    return response;
  }
}
