import { deadlineHeader, ProviderErrorCode } from '@booking/provider-kit';
import { internalSecretHeader } from '@booking/server-kit';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type DocumentNode, type GraphQLFormattedError, print } from 'graphql';
import { Pool } from 'undici';
import { CallErrorCode, isTimeout } from './providerErrors.js';

/** Why a call to a provider subgraph produced no data. */
export class ProviderCallError extends Error {
  constructor(
    /**
     * A `CallErrorCode` when the platform's side failed (`TIMEOUT`, `TRANSPORT`) or did not call
     * at all (`CIRCUIT_OPEN`, `BUSY`), else the subgraph's `extensions.code` (the kit's
     * `ProviderErrorCode`s).
     */
    readonly code: string,
    message: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.name = 'ProviderCallError';
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  /** The provider's `Retry-After`, when it asked the platform to wait. */
  readonly retryAfterSeconds: number | undefined;

  get isTimeout(): boolean {
    return isTimeout(this.code);
  }
}

/** Executes typed contract operations against one provider subgraph. */
export interface ProviderSubgraphClient {
  /** The subgraph's name, e.g. `provider-cliniq`. */
  readonly name: string;
  execute<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    options: { signal: AbortSignal; deadlineAt: number },
  ): Promise<TResult>;
  close(): Promise<void>;
}

const printed = new WeakMap<object, string>();
/** Documents are printed once, not on every call. */
export function printOnce(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

/** Turns a GraphQL response into data, or the first error as a ProviderCallError. */
export function unwrapResult<TResult>(body: {
  data?: TResult | null;
  errors?: readonly GraphQLFormattedError[];
}): TResult {
  const first = body.errors?.[0];
  if (first || !body.data) {
    const code = (first?.extensions?.code as string | undefined) ?? ProviderErrorCode.Internal;
    const retryAfter = first?.extensions?.retryAfterSeconds;
    throw new ProviderCallError(code, first?.message ?? 'empty response from provider subgraph', {
      retryAfterSeconds: typeof retryAfter === 'number' ? retryAfter : undefined,
    });
  }
  return body.data;
}

export interface HttpProviderSubgraphOptions {
  name: string;
  /** GraphQL endpoint of the subgraph, e.g. `http://127.0.0.1:4010/graphql`. */
  url: string;
  /** Most sockets kept open to the subgraph. Default: 32. */
  connections?: number;
  /** Sent as `x-internal-secret`: provider subgraphs answer only the platform. */
  internalSecret: string;
}

/**
 * The production transport: HTTP/1.1 over a keep-alive undici pool. The deadline travels both as
 * an abort signal (we stop waiting) and as a header (the subgraph stops working).
 */
export function createHttpProviderSubgraphClient(
  options: HttpProviderSubgraphOptions,
): ProviderSubgraphClient {
  const url = new URL(options.url);
  const pool = new Pool(url.origin, {
    connections: options.connections ?? 32,
    keepAliveTimeout: 30_000,
    pipelining: 1,
  });
  return {
    name: options.name,
    async execute(document, variables, { signal, deadlineAt }) {
      try {
        const response = await pool.request({
          method: 'POST',
          path: url.pathname,
          headers: {
            'content-type': 'application/json',
            [deadlineHeader]: String(deadlineAt),
            [internalSecretHeader]: options.internalSecret,
          },
          body: JSON.stringify({ query: printOnce(document), variables }),
          signal,
        });
        const body = (await response.body.json()) as Parameters<typeof unwrapResult>[0];
        return unwrapResult(body) as never;
      } catch (error) {
        if (error instanceof ProviderCallError) throw error;
        if (signal.aborted) {
          throw new ProviderCallError(
            CallErrorCode.Timeout,
            'the provider did not answer within the deadline',
          );
        }
        throw new ProviderCallError(
          CallErrorCode.Transport,
          `${options.name}: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
    },
    close: () => pool.close(),
  };
}
