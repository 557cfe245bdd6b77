import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { DirectoryEntry } from '../access/createProviderDirectory.js';
import { ProviderCallError } from '../access/createProviderSubgraphClient.js';
import type { ProviderHealth } from '../engines/providerHealth.js';

/**
 * How a provider call ended, from the ledger's point of view:
 * - `answered`: the provider's answer (which may itself be a typed refusal);
 * - `refused`: the provider certainly did nothing (it said so, or was never reached);
 * - `uncertain`: it may or may not have acted (timeout, lost answer) — only a look-up can tell.
 */
export type ProviderCallOutcome<T> =
  | { kind: 'answered'; data: T }
  | { kind: 'refused'; message: string }
  | { kind: 'uncertain'; message: string };

/** Codes with which a provider subgraph says nothing was done. */
const nothingDone = new Set(['PROVIDER_UNAVAILABLE', 'UNKNOWN_CONNECTION', 'BAD_USER_INPUT']);

export interface CallProviderDependencies {
  health: ProviderHealth;
  deadlineMs: (connectionId: string) => number;
  now: () => number;
}

/** Calls a provider connection under its deadline and classifies the outcome. */
export async function callProvider<TResult, TVariables>(
  entry: DirectoryEntry,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  deps: CallProviderDependencies,
): Promise<ProviderCallOutcome<TResult>> {
  const connectionId = entry.connection.id;
  const deadlineMs = deps.deadlineMs(connectionId);
  const signal = AbortSignal.timeout(deadlineMs);
  try {
    const data = await entry.client.execute(document, variables, {
      signal,
      deadlineAt: deps.now() + deadlineMs,
    });
    deps.health.record(connectionId, 'OK');
    return { kind: 'answered', data };
  } catch (error) {
    const code = error instanceof ProviderCallError ? error.code : 'INTERNAL';
    const timeout = signal.aborted || (error instanceof ProviderCallError && error.isTimeout);
    deps.health.record(connectionId, timeout ? 'TIMEOUT' : 'ERROR');
    const message = `${entry.connection.name}: ${(error as Error).message}`;
    return nothingDone.has(code) ? { kind: 'refused', message } : { kind: 'uncertain', message };
  }
}
