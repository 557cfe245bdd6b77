import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLedger,
  type Ledger,
  type NewReservation,
} from '../src/access/ledger/createLedger.js';
import { createLedgerDatabase } from '../src/access/ledger/createLedgerDatabase.js';
import type { FeedPosition } from '../src/access/ledger/eventFeed.js';
import type { LedgerTables } from '../src/access/ledger/ledgerTables.js';
import { migrations } from '../src/access/ledger/migrations.js';
import {
  createTestPostgresDatabase,
  ledgerBackends,
  openTestLedger,
  testPostgresUrl,
} from './ledgerDatabases.js';

const snapshot = {
  clinicId: 'c1',
  start: '2026-05-04T07:00:00.000Z',
  end: '2026-05-04T07:20:00.000Z',
  treatmentIds: ['general-practitioner'],
  requestedTreatmentId: null,
  practitioner: null,
};
let slotCounter = 0;
const newReservation = (overrides: Partial<NewReservation> = {}): NewReservation => ({
  clientId: 'client-a',
  connectionId: 'cliniq-nordklinik',
  slotId: `slot-${++slotCounter}`,
  status: 'PENDING',
  pendingOperation: 'HOLD',
  holdKind: 'PROVIDER',
  expiresAt: null,
  snapshot,
  patientSealed: null,
  rescheduledFrom: null,
  ...overrides,
});

describe.each(ledgerBackends)('the ledger on %s', (backend) => {
  let ledger: Ledger;
  let close: () => Promise<void>;
  let url: string | undefined;

  beforeAll(async () => {
    const opened = await openTestLedger(backend);
    close = opened.close;
    url = opened.url;
    ledger = createLedger(opened.db, Date.now);
  }, 60_000);
  afterAll(async () => {
    await close?.();
  });

  it('allows one live reservation per slot, whatever the application does', async () => {
    const first = await ledger.insert(newReservation({ slotId: 'contested' }));
    expect(first?.status).toBe('PENDING');
    expect(
      await ledger.insert(newReservation({ slotId: 'contested', clientId: 'client-b' })),
    ).toBeNull();
    await expect(
      ledger.db
        .insertInto('reservations')
        .values({
          ...(await ledger.find(first!.id))!,
          id: crypto.randomUUID(),
          slot_snapshot: JSON.stringify(snapshot),
        })
        .execute(),
    ).rejects.toMatchObject({ code: '23505' });
  });

  it('lets exactly one of 20 concurrent inserts for a slot win', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ledger.insert(newReservation({ slotId: 'raced', clientId: `c${i}` })),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('frees the slot once the live reservation ends', async () => {
    const held = await ledger.insert(
      newReservation({ slotId: 'reused', status: 'HELD', pendingOperation: null }),
    );
    await ledger.transition(held!.id, { from: ['HELD'], to: 'EXPIRED', operation: 'EXPIRE' });
    expect(await ledger.insert(newReservation({ slotId: 'reused' }))).not.toBeNull();
  });

  it('applies a transition only from the expected state and version, with an event for each', async () => {
    const row = (await ledger.insert(newReservation()))!;
    expect(
      await ledger.transition(row.id, { from: ['HELD'], to: 'CONFIRMED', operation: 'CONFIRM' }),
    ).toBeNull();
    const held = await ledger.transition(row.id, {
      from: ['PENDING'],
      to: 'HELD',
      operation: 'HOLD',
      version: row.version,
      providerReference: 'HD-1',
    });
    expect(held).toMatchObject({
      status: 'HELD',
      pending_operation: null,
      provider_reference: 'HD-1',
    });
    expect(
      await ledger.transition(row.id, {
        from: ['HELD'],
        to: 'CONFIRMED',
        operation: 'CONFIRM',
        version: row.version,
      }),
    ).toBeNull();
    const events = await ledger.events(row.id);
    expect(events.map((e) => [e.from_status, e.to_status])).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'HELD'],
    ]);
    expect(events[1]?.detail).toMatchObject({ providerReference: 'HD-1' });
  });

  it('records the state each of 12 concurrent transitions really left, in one chain', async () => {
    const row = (await ledger.insert(newReservation({ slotId: 'chained' })))!;
    const statuses = ['HELD', 'PENDING', 'CONFIRMED'] as const;
    const transitions = () =>
      Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          ledger.transition(row.id, {
            from: statuses,
            to: statuses[i % 3]!,
            operation: `STEP-${i}`,
            ...(statuses[i % 3] === 'PENDING' && { pendingOperation: 'BOOK' as const }),
          }),
        ),
      );
    let applied: Awaited<ReturnType<typeof transitions>>;
    if (url) {
      // Another session holds the row and changes it while all 12 wait: each must see that change.
      const other = new pg.Client({ connectionString: url });
      await other.connect();
      await other.query('begin');
      await other.query(
        `update reservations set status = 'HELD', pending_operation = null, version = version + 1 where id = $1`,
        [row.id],
      );
      const waiting = transitions();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await other.query('commit');
      await other.end();
      applied = await waiting;
    } else {
      applied = await transitions();
    }
    expect(applied.every(Boolean)).toBe(true);
    const events = await ledger.events(row.id);
    expect(events).toHaveLength(13);
    for (const [index, event] of events.entries()) {
      // The first transition left what the other session wrote while it waited, not PENDING.
      const left = index === 1 && url ? 'HELD' : (events[index - 1]?.to_status ?? null);
      expect(event.from_status).toBe(left);
    }
    const last = (await ledger.find(row.id))!;
    expect(last.version).toBe(url ? 14 : 13);
    expect(last.status).toBe(events.at(-1)!.to_status);
  });

  it('refuses to change or delete an event', async () => {
    const row = (await ledger.insert(newReservation()))!;
    await expect(
      sql`update reservation_events set operation = 'X' where reservation_id = ${row.id}`.execute(
        ledger.db,
      ),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql`delete from reservation_events where reservation_id = ${row.id}`.execute(ledger.db),
    ).rejects.toThrow(/append-only/);
  });

  it('rejects a PENDING row without the operation it waits for', async () => {
    await expect(ledger.insert(newReservation({ pendingOperation: null }))).rejects.toThrow();
  });

  it('claims an idempotency key once per owner and shows later callers the first claim', async () => {
    const lease = { holder: 'instance-1', until: new Date(Date.now() + 2000) };
    const a = { clientId: 'client-a', subject: null };
    expect(await ledger.claimKey(a, 'k1', 'HOLD', 'fp', null, lease)).toEqual({ claimed: true });
    const second = await ledger.claimKey(a, 'k1', 'HOLD', 'other', null, lease);
    expect(second).toMatchObject({
      claimed: false,
      record: { request_fingerprint: 'fp', outcome: null },
    });
    const b = { clientId: 'client-b', subject: null };
    expect(await ledger.claimKey(b, 'k1', 'HOLD', 'fp', null, lease)).toEqual({ claimed: true });
    // Two patients of one application pick the same key: each has their own.
    const patient = { clientId: 'client-a', subject: 'patient-1' };
    expect(await ledger.claimKey(patient, 'k1', 'HOLD', 'fp', null, lease)).toEqual({
      claimed: true,
    });
    await ledger.completeKey(a, 'k1', 'instance-1', { kind: 'SlotUnavailable' });
    expect((await ledger.findKey(a, 'k1'))?.outcome).toEqual({ kind: 'SlotUnavailable' });
    expect((await ledger.findKey(patient, 'k1'))?.outcome).toBeNull();
  });

  it('hands a key’s claim to another holder once, and keeps only the current holder’s outcome', async () => {
    const owner = { clientId: 'client-a', subject: 'patient-1' };
    const until = () => new Date(Date.now() + 2000);
    await ledger.claimKey(owner, 'lease-1', 'CONFIRM', 'fp', null, { holder: 'A', until: until() });
    expect(await ledger.renewKey(owner, 'lease-1', 'B', until())).toBe(false);
    expect(await ledger.renewKey(owner, 'lease-1', 'A', until())).toBe(true);
    const seen = { claimed_by: 'A' };
    expect(await ledger.takeOverKey(owner, 'lease-1', seen, { holder: 'B', until: until() })).toBe(
      true,
    );
    expect(await ledger.takeOverKey(owner, 'lease-1', seen, { holder: 'C', until: until() })).toBe(
      false,
    );
    await ledger.completeKey(owner, 'lease-1', 'A', { late: true });
    expect((await ledger.findKey(owner, 'lease-1'))?.outcome).toBeNull();
    await ledger.completeKey(owner, 'lease-1', 'B', { done: true });
    expect(await ledger.findKey(owner, 'lease-1')).toMatchObject({
      outcome: { done: true },
      claimed_by: 'B',
      lease_until: null,
    });
  });

  describe('the event feed', () => {
    const feed = async (owner: { clientId: string; subject: string | null }) =>
      (await ledger.eventsAfter(owner, null, 100)).map(({ event }) => [
        event.previous_status,
        event.to_status,
      ]);

    it('shows what a client sees change: no PENDING step, no step back to the status it had', async () => {
      const owner = { clientId: 'feed-client', subject: null };
      const row = (await ledger.insert(newReservation({ clientId: owner.clientId })))!;
      const step = (from: 'PENDING' | 'HELD', to: 'PENDING' | 'HELD' | 'CONFIRMED' | 'CANCELLED') =>
        ledger.transition(row.id, {
          from: [from],
          to,
          operation: `TO-${to}`,
          ...(to === 'PENDING' && { pendingOperation: 'CONFIRM' as const, resumeStatus: 'HELD' }),
        });
      await step('PENDING', 'HELD');
      // A confirmation the provider refused: back to HELD, which the client already saw.
      await step('HELD', 'PENDING');
      await step('PENDING', 'HELD');
      await step('HELD', 'PENDING');
      await step('PENDING', 'CONFIRMED');
      // Polled: a transaction of another test on the same server briefly holds new events back.
      await expect
        .poll(() => feed(owner))
        .toEqual([
          [null, 'HELD'],
          ['HELD', 'CONFIRMED'],
        ]);
      expect(await feed({ clientId: 'other-client', subject: null })).toEqual([]);
    });

    it('gives a patient their own events and a backend client every one of its application', async () => {
      const clientId = 'feed-owners';
      for (const subject of ['patient-x', 'patient-y', null]) {
        const row = (await ledger.insert(newReservation({ clientId, subject })))!;
        await ledger.transition(row.id, { from: ['PENDING'], to: 'CONFIRMED', operation: 'BOOK' });
      }
      await expect.poll(() => feed({ clientId, subject: null })).toHaveLength(3);
      expect(await feed({ clientId, subject: 'patient-x' })).toHaveLength(1);
    });

    it('pages on from a position without skipping or repeating', async () => {
      const owner = { clientId: 'feed-pages', subject: null };
      for (let i = 0; i < 5; i += 1) {
        const row = (await ledger.insert(newReservation({ clientId: owner.clientId })))!;
        await ledger.transition(row.id, { from: ['PENDING'], to: 'FAILED', operation: 'BOOK' });
      }
      await expect.poll(() => feed(owner)).toHaveLength(5);
      const seen: string[] = [];
      let after: FeedPosition | null = null;
      for (;;) {
        const page = await ledger.eventsAfter(owner, after, 2);
        if (page.length === 0) break;
        seen.push(...page.map(({ event }) => event.id));
        after = { tx: page.at(-1)!.event.tx, id: page.at(-1)!.event.id };
      }
      const all = (await ledger.eventsAfter(owner, null, 100)).map(({ event }) => event.id);
      expect(seen).toEqual(all);
      expect(all).toHaveLength(5);
    });

    it('holds back what committed after a transaction still running, then gives it in commit order', async () => {
      if (!url) return; // PGlite has one connection: no transaction runs beside another.
      const owner = { clientId: 'feed-commit-order', subject: null };
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => {
        finish = resolve;
      });
      let started!: () => void;
      const running = new Promise<void>((resolve) => {
        started = resolve;
      });
      // A booking whose transaction began first and commits last.
      const slow = ledger.db.transaction().execute(async (trx) => {
        await createLedger(trx, Date.now).insert(
          newReservation({
            clientId: owner.clientId,
            slotId: 'slow',
            status: 'HELD',
            pendingOperation: null,
          }),
        );
        started();
        await finished;
      });
      await running;
      const quick = (await ledger.insert(
        newReservation({
          clientId: owner.clientId,
          slotId: 'quick',
          status: 'HELD',
          pendingOperation: null,
        }),
      ))!;
      // The quick one is committed, but a reader that took it now would miss the slow one.
      expect(await feed(owner)).toEqual([]);
      finish();
      await slow;
      await expect.poll(() => feed(owner)).toHaveLength(2);
      const events = await ledger.eventsAfter(owner, null, 10);
      expect(events.map(({ reservation }) => reservation.slot_id)).toEqual(['slow', 'quick']);
      expect(events[1]!.reservation.id).toBe(quick.id);
    });
  });

  it('lists an owner’s reservations newest first, a patient’s own or all of a backend client’s', async () => {
    let clock = Date.parse('2026-05-01T08:00:00Z');
    const timed = createLedger(ledger.db, () => (clock += 1000));
    const made = [];
    for (const subject of ['p1', 'p2', 'p1', null, 'p1']) {
      made.push((await timed.insert(newReservation({ clientId: 'listing-app', subject })))!);
    }
    await timed.insert(newReservation({ clientId: 'other-app', subject: 'p1' }));
    const patient = { clientId: 'listing-app', subject: 'p1' };
    const firstPage = await timed.listOwned(patient, 2, null);
    expect(firstPage.map((r) => r.id)).toEqual([made[4]!.id, made[2]!.id]);
    const last = firstPage.at(-1)!;
    const rest = await timed.listOwned(patient, 2, { createdAt: last.created_at, id: last.id });
    expect(rest.map((r) => r.id)).toEqual([made[0]!.id]);
    expect(await timed.countOwned(patient)).toBe(3);
    const backend = { clientId: 'listing-app', subject: null };
    expect((await timed.listOwned(backend, 10, null)).map((r) => r.id)).toEqual(
      made.map((r) => r.id).reverse(),
    );
    expect(await timed.countOwned({ clientId: 'listing-app', subject: 'p3' })).toBe(0);
  });

  it('lists live slots in a window, pending reservations by connection and lapsed holds', async () => {
    const live = (await ledger.insert(newReservation({ slotId: 'listed' })))!;
    const slots = await ledger.liveSlots(
      new Date('2026-05-04T00:00:00Z'),
      new Date('2026-05-05T00:00:00Z'),
    );
    expect(slots.has(`cliniq-nordklinik\u0000listed`)).toBe(true);
    const counts = await ledger.pendingCounts(new Date(Date.now() + 1000));
    expect(counts.get(live.connection_id)).toBeGreaterThanOrEqual(1);
    const lapsed = (await ledger.insert(
      newReservation({
        status: 'HELD',
        pendingOperation: null,
        expiresAt: new Date(Date.now() - 1000),
      }),
    ))!;
    expect((await ledger.expiredHolds()).map((r) => r.id)).toContain(lapsed.id);
  });

  describe('claims of PENDING reservations for reconciliation', () => {
    // Long before every other test's rows: a claim up to `settled` sees only this block's.
    let clock = Date.parse('2020-01-01T00:00:00Z');
    const claim = (limit = 100) =>
      timed.claimPending({
        settledBefore: new Date(clock - 10_000),
        limit,
        leaseMs: 5_000,
        backoffMs: 10_000,
        maxBackoffMs: 60_000,
      });
    let timed: Ledger;
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

    it('claims a due reservation once, then not before its backoff, doubled per look-up up to the cap', async () => {
      timed = createLedger(ledger.db, () => clock);
      const row = (await timed.insert(newReservation({ connectionId: 'claims-a' })))!;
      expect(await claim()).toEqual([]); // Not yet older than any call can take.
      clock += 10_000;
      const [first] = await claim();
      expect(first).toMatchObject({ id: row.id, attempts: 1, version: row.version });
      expect(first!.next_attempt_at?.getTime()).toBe(clock + 10_000);
      expect(await claim()).toEqual([]); // Leased and backed off.
      const waits: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        clock = (await timed.find(row.id))!.next_attempt_at!.getTime();
        const [again] = await claim();
        waits.push(again!.next_attempt_at!.getTime() - clock);
      }
      expect(waits).toEqual([20_000, 40_000, 60_000, 60_000, 60_000]);
      // A transition starts the count again.
      const moved = await timed.transition(row.id, {
        from: ['PENDING'],
        to: 'FAILED',
        operation: 'RECONCILE',
      });
      expect(moved).toMatchObject({ attempts: 0, next_attempt_at: null });
    });

    it('hands each reservation to one of several concurrent claims, soonest due first', async () => {
      timed = createLedger(ledger.db, () => clock);
      const rows = [];
      for (let i = 0; i < 12; i += 1) {
        rows.push((await timed.insert(newReservation({ connectionId: 'claims-b' })))!);
        clock += 1;
      }
      clock += 10_000;
      const claims = await Promise.all(Array.from({ length: 4 }, () => claim(5)));
      const claimed = claims.flat();
      expect(claimed).toHaveLength(12);
      expect(new Set(claimed.map((r) => r.id)).size).toBe(12);
      expect(ids(claimed)).toEqual(ids(rows));
      expect(await claim()).toEqual([]);
    });
  });

  it('migrates an already migrated database without change', async () => {
    if (!url) return; // PGlite in memory lives only in this connection
    const again = await createLedgerDatabase({ databaseUrl: url, embeddedDataDir: 'memory://' });
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(again);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations));
    await again.destroy();
  });
});

describe('the ledger migrations', () => {
  it('keeps rows written before subjects with the application: no subject, keys still found', async () => {
    const { url, drop } = await createTestPostgresDatabase();
    const id = '00000000-0000-4000-8000-000000000001';
    const old = new Kysely<LedgerTables>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }),
    });
    try {
      const migrator = new Migrator({
        db: old,
        provider: { getMigrations: async () => migrations },
      });
      expect((await migrator.migrateTo('0001_ledger')).error).toBeUndefined();
      const time = new Date('2026-05-01T08:00:00Z');
      await sql`insert into reservations (id, client_id, connection_id, slot_id, status, hold_kind,
        start_at, slot_snapshot, created_at, updated_at)
        values (${id}, 'vården-web', 'cliniq-nordklinik', 'old-slot', 'CONFIRMED', null, ${time},
        ${JSON.stringify(snapshot)}, ${time}, ${time})`.execute(old);
      await sql`insert into idempotency_keys (client_id, key, operation, request_fingerprint,
        reservation_id, outcome, created_at)
        values ('vården-web', 'old-key', 'RESERVE', 'fp', ${id}, '{}', ${time})`.execute(old);
      await sql`insert into reservation_events (reservation_id, from_status, to_status, operation, at)
        values (${id}, null, 'PENDING', 'BOOK', ${time}), (${id}, 'PENDING', 'CONFIRMED', 'BOOK', ${time})`.execute(
        old,
      );
    } finally {
      await old.destroy();
    }
    const db = await createLedgerDatabase({ databaseUrl: url, embeddedDataDir: 'memory://' });
    try {
      const ledger = createLedger(db, Date.now);
      const backend = { clientId: 'vården-web', subject: null };
      const [row] = await ledger.listOwned(backend, 10, null);
      expect(row).toMatchObject({ client_id: 'vården-web', subject: null, slot_id: 'old-slot' });
      expect(await ledger.countOwned({ clientId: 'vården-web', subject: 'patient-1' })).toBe(0);
      expect((await ledger.findKey(backend, 'old-key'))?.reservation_id).toBe(row?.id);
      // Its events have their owner now and come first in the feed, before any new one.
      const fresh = (await ledger.insert(
        newReservation({ clientId: 'vården-web', status: 'HELD', pendingOperation: null }),
      ))!;
      await expect
        .poll(async () =>
          (await ledger.eventsAfter(backend, null, 10)).map(({ event }) => [
            event.reservation_id,
            event.previous_status,
            event.to_status,
          ]),
        )
        .toEqual([
          [id, null, 'CONFIRMED'],
          [fresh.id, null, 'HELD'],
        ]);
    } finally {
      await db.destroy();
      await drop();
    }
  });
});

describe('the ledger when PostgreSQL drops its connections', () => {
  /** Ends every connection to the database `url` names, as a restart or fail-over would. */
  async function terminateConnections(url: string): Promise<number> {
    const admin = new pg.Client({ connectionString: testPostgresUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [new URL(url).pathname.slice(1)],
      );
      return rowCount ?? 0;
    } finally {
      await admin.end();
    }
  }

  it('stays up: a statement on a dropped connection fails, and its retry gets a new one', async () => {
    const { url, drop } = await createTestPostgresDatabase();
    const lost: Error[] = [];
    const db = await createLedgerDatabase({
      databaseUrl: url,
      embeddedDataDir: 'memory://',
      onConnectionLost: (error) => lost.push(error),
    });
    const ledger = createLedger(db, Date.now);
    try {
      // Several idle connections in the pool, and one statement still running.
      await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(db)));
      const running = sql`select pg_sleep(5)`.execute(db).then(
        () => 'finished',
        (error: Error) => (error as { code?: string }).code,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const terminated = await terminateConnections(url);
      expect(terminated).toBeGreaterThanOrEqual(2);

      // The running statement fails with PostgreSQL's "terminated by an administrator".
      expect(await running).toBe('57P01');
      // The idle connections' errors reach the listener instead of ending the process.
      await expect.poll(() => lost.length).toBeGreaterThan(0);
      // A statement may still meet a dead connection the pool has not dropped yet: it fails with
      // a connection error, as a retryable failure of its request, and a retry gets a new one.
      let row: Awaited<ReturnType<Ledger['insert']>> | undefined;
      for (let attempt = 1; row === undefined; attempt += 1) {
        try {
          row = await ledger.insert(newReservation());
        } catch (error) {
          expect((error as Error).message, `attempt ${attempt}`).toMatch(
            /terminat|connection|ECONNRESET/i,
          );
          if (attempt >= terminated) throw error;
        }
      }
      expect(row?.status).toBe('PENDING');
    } finally {
      await db.destroy();
      await drop();
    }
  });
});
