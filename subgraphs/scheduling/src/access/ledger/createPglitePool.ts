import type { PGlite } from '@electric-sql/pglite';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';

/**
 * PGlite behind the small `pg.Pool` surface Kysely's Postgres dialect uses. PGlite is one
 * connection, so the pool hands it to one caller at a time: a transaction on it is never
 * interleaved with another caller's statements.
 */
export function createPglitePool(db: PGlite): PostgresPool {
  let tail: Promise<void> = Promise.resolve();
  return {
    async connect(): Promise<PostgresPoolClient> {
      let release!: () => void;
      const previous = tail;
      tail = new Promise<void>((resolve) => {
        release = resolve;
      });
      await previous;
      return {
        async query<R>(sql: string, parameters: readonly unknown[]) {
          const result = await db.query<R>(sql, [...parameters]);
          return {
            // Kysely reports an update's or delete's affected rows only when the command says so.
            command: (/^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'SELECT') as 'SELECT',
            rowCount: result.affectedRows ?? result.rows.length,
            rows: result.rows,
          } as PostgresQueryResult<R>;
        },
        release: () => release(),
      } as PostgresPoolClient;
    },
    async end() {
      await tail;
      await db.close();
    },
  };
}
