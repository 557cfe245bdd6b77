import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createPglitePool } from './createPglitePool.js';
import type { LedgerTables } from './ledgerTables.js';
import { migrations } from './migrations.js';

export type LedgerDatabase = Kysely<LedgerTables>;

export interface LedgerDatabaseOptions {
  /** A PostgreSQL URL. When absent, the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** PGlite's data directory; `memory://` keeps it in memory. Used only without `databaseUrl`. */
  embeddedDataDir: string;
  /** Most connections to PostgreSQL. Default: 10. */
  maxConnections?: number;
  /**
   * Told when PostgreSQL drops an idle connection (a restart, a fail-over, a proxy's idle
   * timeout). The pool discards it and opens a new one for the next statement. Default: ignored.
   */
  onConnectionLost?: (error: Error) => void;
}

/**
 * Opens the ledger database — PostgreSQL when `databaseUrl` is given, else embedded PGlite (the
 * same SQL, no server) — and migrates it to the latest schema before returning.
 */
export async function createLedgerDatabase(
  options: LedgerDatabaseOptions,
): Promise<LedgerDatabase> {
  let pool: PostgresDialectPool;
  if (options.databaseUrl) {
    const postgres = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.maxConnections ?? 10,
    });
    // Without listeners, a dead connection's error would be unhandled and end the process: the
    // pool's covers its idle clients, each client's own covers it while checked out and after the
    // pool has let it go (a reset can arrive late). A statement running on a connection that dies
    // fails on its own, as a retryable error.
    const lost = (error: Error) => options.onConnectionLost?.(error);
    postgres.on('error', lost);
    postgres.on('connect', (client) => client.on('error', lost));
    pool = postgres;
  } else {
    if (!options.embeddedDataDir.startsWith('memory://')) {
      mkdirSync(options.embeddedDataDir, { recursive: true });
    }
    pool = createPglitePool(await PGlite.create(options.embeddedDataDir));
  }
  const db = new Kysely<LedgerTables>({ dialect: new PostgresDialect({ pool }) });
  // Migrations come from branches developed side by side: one that lands after a later-named one
  // has run on a database is still run (each adds its own columns and indexes).
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await db.destroy();
    throw new Error(`ledger migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  return db;
}

type PostgresDialectPool = ConstructorParameters<typeof PostgresDialect>[0]['pool'];
