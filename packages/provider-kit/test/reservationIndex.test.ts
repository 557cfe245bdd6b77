import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFileReservationIndex,
  createPostgresReservationIndex,
  type ReservationIndex,
} from '../src/index.js';

const testPostgresUrl =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const pending = {
  connectionId: 'square-sodermalm',
  reservationId: 'res-1',
  slotId: 'slot-1',
  startAt: '2026-03-30T07:00:00Z',
};

/** The same durability checks for both back-ends: every `open` is a new instance (a restart). */
function durabilitySuite(name: string, open: () => ReservationIndex) {
  describe(`the ${name} reservation index`, () => {
    it('reads back, after a restart, a pending entry and then its booking id', async () => {
      const first = open();
      await first.recordPending(pending);
      await first.close();

      const second = open();
      expect(await second.get('square-sodermalm', 'res-1')).toEqual(pending);
      await second.recordBooked('square-sodermalm', 'res-1', 'bk-42');
      await second.close();

      const third = open();
      expect(await third.get('square-sodermalm', 'res-1')).toEqual({
        ...pending,
        providerReference: 'bk-42',
      });
      expect(await third.get('square-sodermalm', 'res-unknown')).toBeUndefined();
      expect(await third.get('square-kungsholmen', 'res-1')).toBeUndefined();
      await third.close();
    });

    it('keeps a booked entry booked when the book is retried', async () => {
      const index = open();
      await index.recordPending({ ...pending, reservationId: 'res-2' });
      await index.recordBooked('square-sodermalm', 'res-2', 'bk-43');
      await index.recordPending({ ...pending, reservationId: 'res-2' });
      expect((await index.get('square-sodermalm', 'res-2'))?.providerReference).toBe('bk-43');
      await expect(index.recordBooked('square-sodermalm', 'res-never', 'bk-1')).rejects.toThrow(
        /never recorded/,
      );
      await index.close();
    });
  });
}

const directory = mkdtempSync(join(tmpdir(), 'reservation-index-'));
durabilitySuite('file', () => createFileReservationIndex({ directory, name: 'square-sodermalm' }));

describe('the file reservation index on disk', () => {
  it('is an append-only log that survives a line torn by a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reservation-index-'));
    const index = createFileReservationIndex({ directory: dir, name: 'c' });
    await index.recordPending(pending);
    await index.close();
    appendFileSync(join(dir, 'c.jsonl'), '{"connectionId":"square-sodermalm","reserv');

    const reopened = createFileReservationIndex({ directory: dir, name: 'c' });
    expect(await reopened.get('square-sodermalm', 'res-1')).toEqual(pending);
    await reopened.recordBooked('square-sodermalm', 'res-1', 'bk-9');
    await reopened.close();
    const lines = readFileSync(join(dir, 'c.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(3);
    expect(
      (
        await createFileReservationIndex({ directory: dir, name: 'c' }).get(
          'square-sodermalm',
          'res-1',
        )
      )?.providerReference,
    ).toBe('bk-9');
  });
});

const database = `reservation_index_${randomBytes(6).toString('hex')}`;
let databaseUrl = '';
beforeAll(async () => {
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`create database ${database}`);
  await admin.end();
  const url = new URL(testPostgresUrl);
  url.pathname = `/${database}`;
  databaseUrl = url.toString();
});
afterAll(async () => {
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${database} with (force)`);
  await admin.end();
});
durabilitySuite('PostgreSQL', () => createPostgresReservationIndex({ databaseUrl }));
