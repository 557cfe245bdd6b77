/**
 * Whether an error means the ledger database could not be reached or dropped the connection
 * mid-statement (a restart, a fail-over, a proxy's idle timeout), as opposed to a bug or a
 * refused statement. Such a request is worth repeating: with the same idempotency key a booking
 * is never made twice, and one that reached the provider is settled by reconciliation.
 */
export function isLedgerUnavailable(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && (unavailableCodes.has(code) || code.startsWith('08'))) {
      return true;
    }
    if (droppedConnection.test(cause.message)) return true;
  }
  return false;
}

/**
 * PostgreSQL's "operator intervention" codes for a shut-down or starting server (class 08, any
 * connection exception, is matched by prefix) and Node's socket errors.
 */
const unavailableCodes = new Set([
  '57P01', // admin_shutdown: pg_terminate_backend, a fast shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/** What node-postgres says when the socket ends or the pool cannot get a connection in time. */
const droppedConnection =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;
