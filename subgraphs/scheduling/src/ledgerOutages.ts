import type { Logger } from '@booking/server-kit';
import { isLedgerUnavailable } from './access/ledger/isLedgerUnavailable.js';
import { serviceUnavailable } from './errors.js';

type FieldResolvers = Record<string, unknown>;

/**
 * Wraps every query and mutation so that a statement which failed because the ledger database
 * went away (a restart, a fail-over, terminated connections) reaches the client as a retryable
 * `SERVICE_UNAVAILABLE`, not as an internal error: the platform's moment, not a bug, and safe to
 * repeat with the same idempotency key.
 */
export function refuseRetryablyWhileLedgerIsDown<R extends Record<string, unknown>>(
  resolvers: R,
  logger: Logger,
): R {
  const wrap = (operation: string, fields: FieldResolvers): FieldResolvers =>
    Object.fromEntries(
      Object.entries(fields).map(([name, resolve]) => [
        name,
        typeof resolve !== 'function'
          ? resolve
          : async (...args: unknown[]) => {
              try {
                return await resolve(...args);
              } catch (error) {
                if (!isLedgerUnavailable(error)) throw error;
                logger.error(
                  { field: `${operation}.${name}`, err: (error as Error).message },
                  'ledger database unavailable: request refused as retryable',
                );
                throw serviceUnavailable();
              }
            },
      ]),
    );
  return {
    ...resolvers,
    Query: wrap('Query', resolvers.Query as FieldResolvers),
    Mutation: wrap('Mutation', resolvers.Mutation as FieldResolvers),
  };
}
