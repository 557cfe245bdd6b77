import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import { identityHeaders, internalSecretHeader, type Logger } from '@booking/server-kit';
import type { GatewayContext } from './auth/scopesPlugin.js';
import { clientInputErrors } from './clientInputErrors.js';
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

/**
 * Calls a subgraph over HTTP, telling it who the request acts for and proving it is the gateway.
 * A subgraph that refuses the request before running it is translated: a value the client sent
 * (HTTP 400, e.g. a `DateTime` without offset) is the client's `BAD_USER_INPUT` (400); the gateway's
 * own credentials refused (401: `INTERNAL_SECRET` differs) is the operator's fault, logged as an
 * error and answered 503. The subgraph's URL and answer stay under `extensions.debug`.
 */
export class PlatformDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  /** Whether the subgraph refused the internal secret last time: logged once per outage. */
  private refusing = false;

  constructor(
    private readonly subgraph: string,
    url: string,
    fetcher: Fetcher,
    private readonly internalSecret: string,
    private readonly logger: Logger,
  ) {
    super({ url, fetcher });
  }

  override willSendRequest({
    request,
    context,
  }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]) {
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
