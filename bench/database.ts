/** The bench's own PostgreSQL database for scheduling's ledger: created fresh, dropped after. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const adminPostgresUrl =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminPostgresUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface BenchDatabase {
  url: string;
  /** Drops it; the system is stopped first, so nothing is connected any more. */
  drop(): Promise<void>;
}

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `bench_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`create database ${name}`));
  const url = new URL(adminPostgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdminClient(async (client) => {
        for (let attempt = 0; ; attempt += 1) {
          try {
            await client.query(`drop database if exists ${name} with (force)`);
            return;
          } catch (error) {
            if (attempt === 19) throw error;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      }),
  };
}

/** Confirmed reservations in the ledger, and slots confirmed more than once (double bookings). */
export async function countConfirmed(url: string) {
  const ledger = new pg.Client({ connectionString: url });
  await ledger.connect();
  try {
    const dup = await ledger.query<{ n: string }>(
      `select count(*) as n from (select connection_id, slot_id from reservations
         where status = 'CONFIRMED' group by connection_id, slot_id having count(*) > 1) d`,
    );
    const all = await ledger.query<{ n: string }>(
      `select count(*) as n from reservations where status = 'CONFIRMED'`,
    );
    return { doubleBookings: Number(dup.rows[0]!.n), ledgerConfirmed: Number(all.rows[0]!.n) };
  } finally {
    await ledger.end();
  }
}
