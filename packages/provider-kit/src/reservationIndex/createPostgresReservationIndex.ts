import pg from 'pg';
import type { ReservationEntry, ReservationIndex } from './types.js';

const schema = `
create table if not exists provider_reservation_index (
  connection_id text not null,
  reservation_id text not null,
  slot_id text not null,
  start_at text not null,
  provider_reference text,
  updated_at timestamptz not null default now(),
  primary key (connection_id, reservation_id)
)`;

/**
 * A reservation index in PostgreSQL (table `provider_reservation_index`, created when missing):
 * shared by every replica of a provider, durable once each statement commits.
 */
export function createPostgresReservationIndex(options: {
  databaseUrl: string;
  /** Most connections to PostgreSQL. Default: 2 (a few writes per booking). */
  maxConnections?: number;
}): ReservationIndex {
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.maxConnections ?? 2,
  });
  // An idle client's error (the server restarting) must not crash the process; the next query
  // reports it to its caller.
  pool.on('error', () => {});
  let ready: Promise<unknown> | undefined;
  const query = async (text: string, values: unknown[]) => {
    ready ??= pool.query(schema).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    await ready;
    return pool.query(text, values);
  };

  return {
    async recordPending(entry) {
      // A booked entry stays booked: a retried book must not forget what the first one made.
      await query(
        `insert into provider_reservation_index (connection_id, reservation_id, slot_id, start_at)
         values ($1, $2, $3, $4)
         on conflict (connection_id, reservation_id) do update
           set slot_id = excluded.slot_id, start_at = excluded.start_at, updated_at = now()
           where provider_reservation_index.provider_reference is null`,
        [entry.connectionId, entry.reservationId, entry.slotId, entry.startAt],
      );
    },
    async recordBooked(connectionId, reservationId, providerReference) {
      const result = await query(
        `update provider_reservation_index set provider_reference = $3, updated_at = now()
         where connection_id = $1 and reservation_id = $2`,
        [connectionId, reservationId, providerReference],
      );
      if (result.rowCount === 0) {
        throw new Error(`reservation index: ${reservationId} was never recorded`);
      }
    },
    async get(connectionId, reservationId) {
      const result = await query(
        `select slot_id, start_at, provider_reference from provider_reservation_index
         where connection_id = $1 and reservation_id = $2`,
        [connectionId, reservationId],
      );
      const row = result.rows[0] as
        | { slot_id: string; start_at: string; provider_reference: string | null }
        | undefined;
      if (!row) return undefined;
      const entry: ReservationEntry = {
        connectionId,
        reservationId,
        slotId: row.slot_id,
        startAt: row.start_at,
        ...(row.provider_reference !== null && { providerReference: row.provider_reference }),
      };
      return entry;
    },
    close: () => pool.end(),
  };
}
