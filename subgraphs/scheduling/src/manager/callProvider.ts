import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { OperationDefinitionNode } from 'graphql';
import type { DirectoryEntry } from '../access/createProviderDirectory.js';
import type { ProviderGuard } from '../access/providers/createProviderGuard.js';
import { ProviderCallError } from '../access/providers/createProviderSubgraphClient.js';
import { CallErrorCode, isNothingDone } from '../access/providers/providerErrors.js';

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

export interface CallProviderDependencies {
  guard: ProviderGuard;
}

/**
 * Calls a provider connection through the guard and classifies the outcome. Reads may be
 * repeated; so may every contract mutation, because each carries the reservation id, which the
 * provider contract requires to be treated as an idempotency key.
 */
export async function callProvider<TResult, TVariables>(
  entry: DirectoryEntry,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
  deps: CallProviderDependencies,
): Promise<ProviderCallOutcome<TResult>> {
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === 'OperationDefinition',
  );
  const kind = operation?.operation === 'query' ? 'read' : 'idempotentWrite';
  try {
    const data = await deps.guard.call(
      entry.connection.id,
      kind,
      (signal, deadlineAt) => entry.client.execute(document, variables, { signal, deadlineAt }),
      operation?.name?.value,
    );
    return { kind: 'answered', data };
  } catch (error) {
    const code = error instanceof ProviderCallError ? error.code : CallErrorCode.Internal;
    const message = `${entry.connection.name}: ${(error as Error).message}`;
    return isNothingDone(code) ? { kind: 'refused', message } : { kind: 'uncertain', message };
  }
}
