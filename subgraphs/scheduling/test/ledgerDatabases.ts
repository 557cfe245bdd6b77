import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  createLedgerDatabase,
  type LedgerDatabase,
} from '../src/access/ledger/createLedgerDatabase.js';

/** The PostgreSQL server tests create their own databases on (trust auth on this machine and CI). */
export const testPostgresUrl =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, empty PostgreSQL database for one test file, and a function that drops it. */
export async function createTestPostgresDatabase(): Promise<{
  url: string;
  drop: () => Promise<void>;
}> {
  const name = `ledger_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      try {
        // Without `force` first: terminating connections that are still closing makes their
        // clients emit errors nobody listens to. The owner closed its pool before calling this.
        for (let attempt = 0; ; attempt += 1) {
          try {
            await client.query(`drop database if exists ${name}`);
            return;
          } catch (error) {
            if (attempt >= 20) throw error;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      } finally {
        await client.end();
      }
    },
  };
}

/** The two ledger back-ends every ledger test runs against. */
export const ledgerBackends = ['pglite', 'postgres'] as const;
export type LedgerBackend = (typeof ledgerBackends)[number];

/** Opens a migrated ledger database on `backend`; `close` also drops a PostgreSQL database. */
export async function openTestLedger(
  backend: LedgerBackend,
): Promise<{ db: LedgerDatabase; url: string | undefined; close: () => Promise<void> }> {
  if (backend === 'pglite') {
    const db = await createLedgerDatabase({ embeddedDataDir: 'memory://' });
    return { db, url: undefined, close: () => db.destroy() };
  }
  const { url, drop } = await createTestPostgresDatabase();
  const db = await createLedgerDatabase({ databaseUrl: url, embeddedDataDir: 'memory://' });
  return {
    db,
    url,
    async close() {
      await db.destroy();
      await drop();
    },
  };
}
