import pg from 'pg';
import type { ContractChange } from '../__generated__/contract.js';
import { type ChangeLog, pageSize } from './createChangeLog.js';

const schema = `
create table if not exists provider_change_log (
  seq bigserial primary key,
  connection_id text not null,
  change_id text not null,
  change jsonb not null,
  tx xid8 not null default pg_current_xact_id(),
  recorded_at timestamptz not null default now(),
  unique (connection_id, change_id)
);
create index if not exists provider_change_log_feed on provider_change_log (connection_id, tx, seq);`;

/** How long a change is kept: far longer than scheduling ever lags behind a feed. */
const retentionDays = 7;

/** Changes of transactions older than every one still running: none can commit before them later. */
const settled = 'tx < pg_snapshot_xmin(pg_current_snapshot())';

/** The change logs of every connection of one provider subgraph, in one PostgreSQL table. */
export interface PostgresChangeLogs {
  forConnection(connectionId: string): ChangeLog;
  close(): Promise<void>;
}

/**
 * Change logs in PostgreSQL (table `provider_change_log`, created when missing), shared by every
 * replica of a provider subgraph: a push received by one replica is in the feed whichever replica
 * scheduling asks, and a restart loses nothing. A page is read in commit order (transaction, then
 * sequence) and only up to the oldest transaction still running, so a change that commits later
 * never sorts before a cursor already handed out. Changes are kept for seven days.
 */
export function createPostgresChangeLogs(options: {
  databaseUrl: string;
  /** Most connections to PostgreSQL. Default: 2. */
  maxConnections?: number;
}): PostgresChangeLogs {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.maxConnections ?? 2,
  });
  // An idle client's error (the server restarting) must not crash the process; the next query
  // reports it to its caller.
  pool.on('error', () => {});
  let ready: Promise<unknown> | undefined;
  let prunedAt = 0;
  async function query<R extends pg.QueryResultRow>(text: string, values: unknown[]) {
    ready ??= pool.query(schema).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    await ready;
    return pool.query<R>(text, values);
  }
  /** At most once an hour, whichever log appends. */
  function prune(): void {
    if (Date.now() - prunedAt < 3600_000) return;
    prunedAt = Date.now();
    void query(
      `delete from provider_change_log where recorded_at < now() - make_interval(days => $1)`,
      [retentionDays],
    ).catch(() => {
      prunedAt = 0;
    });
  }
  /** `<tx>.<seq>`, or null for anything else. */
  function position(cursor: string): { tx: string; seq: string } | null {
    const match = /^(\d{1,20})\.(\d{1,19})$/.exec(cursor);
    return match ? { tx: match[1]!, seq: match[2]! } : null;
  }

  return {
    forConnection(connectionId) {
      return {
        async append(change: ContractChange) {
          const inserted = await query(
            `insert into provider_change_log (connection_id, change_id, change) values ($1, $2, $3)
             on conflict (connection_id, change_id) do nothing returning seq`,
            [connectionId, change.id, JSON.stringify(change)],
          );
          prune();
          return (inserted.rowCount ?? 0) > 0;
        },
        async has(changeId) {
          const found = await query(
            'select 1 from provider_change_log where connection_id = $1 and change_id = $2',
            [connectionId, changeId],
          );
          return (found.rowCount ?? 0) > 0;
        },
        async page(after, first) {
          const size = pageSize(first);
          if (after === null || after === undefined) {
            // The present: every transaction still running commits after it.
            const now = await query<{ tx: string }>(
              'select pg_snapshot_xmin(pg_current_snapshot())::text as tx',
              [],
            );
            return { changes: [], cursor: `${now.rows[0]!.tx}.0`, hasMore: false, resumed: false };
          }
          const from = position(after);
          const rows = await query<{ tx: string; seq: string; change: ContractChange }>(
            `select tx::text as tx, seq::text as seq, change from provider_change_log
             where connection_id = $1 and ${settled}
               and ($2::text is null or (tx, seq) > ($2::xid8, $3::bigint))
             order by tx, seq limit $4`,
            [connectionId, from?.tx ?? null, from?.seq ?? '0', size + 1],
          );
          const changes = rows.rows.slice(0, size);
          const last = changes.at(-1);
          return {
            changes: changes.map((row) => row.change),
            cursor: last ? `${last.tx}.${last.seq}` : from ? after : '0.0',
            hasMore: rows.rows.length > size,
            resumed: from === null,
          };
        },
      };
    },
    close: () => pool.end(),
  };
}
