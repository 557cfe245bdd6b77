/*
 * The change poll's own part, on a fake feed: where it starts, what it reads, and what it does when
 * Cliniq's feed expired or started over. Scheduling, backoff and quiet are the kit's
 * (`createBackgroundTask`), driven here by `runNow`.
 */
import {
  type ConnectContext,
  createBackgroundTask,
  createCatalogueCache,
  createChangeLog,
  ProviderError,
  ProviderErrorCode,
  type RunningBackgroundTask,
} from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { describe, expect, it } from 'vitest';
import type { Change } from '../src/__generated__/types.gen.js';
import type { CliniqClient } from '../src/client/createCliniqClient.js';
import { createChangePoll } from '../src/createChangePoll.js';
import type { CliniqSettings } from '../src/provider.js';

/** A time that opened at the clinic, change number `sequence`. */
const opened = (sequence: number): Change => ({
  sequence,
  type: 'slot_opened',
  changedAt: '2026-03-25T10:00:00',
  changedBy: 'clinic',
  slot: {
    id: `SL-CL1001-PR1101-20260330${String(800 + sequence).padStart(4, '0')}`,
    clinicId: 'CL1001',
    practitionerId: 'PR1101',
    practitionerName: 'Anna Lindqvist',
    serviceCodes: ['ALLM20'],
    start: '2026-03-30T09:00:00',
    end: '2026-03-30T09:20:00',
  },
});

/** Cliniq's change feed as `GET /changes` answers it, and the queries it was asked. */
function fakeFeed() {
  const feed = {
    changes: [] as Change[],
    latest: 0,
    answer: 'ok' as 'ok' | 'expired' | 'down',
    asked: [] as Record<string, string>[],
  };
  const page = (data: Change[]) => ({
    data,
    page: 1,
    pageSize: 100,
    totalPages: 1,
    totalItems: data.length,
    latestSequence: feed.latest,
  });
  const client = {
    async value(request: { query: Record<string, string> }) {
      feed.asked.push(request.query);
      return page([]);
    },
    async send(request: { query: Record<string, string> }) {
      feed.asked.push(request.query);
      if (feed.answer === 'down') {
        throw new ProviderError(ProviderErrorCode.Unavailable, 'Cliniq GET /changes: 503', {
          status: 503,
        });
      }
      if (feed.answer === 'expired') {
        return { ok: false, status: 410, error: { error: 'changes_expired' } };
      }
      const after = Number(request.query.afterSequence);
      return { ok: true, status: 200, value: page(feed.changes.filter((c) => c.sequence > after)) };
    },
  } as unknown as CliniqClient;
  return { feed, client };
}

/** The poll of one connection over `client`, its change log and its task, not started. */
function poll(client: CliniqClient) {
  const changeLog = createChangeLog();
  const logger = createLogger({ service: 'test', level: 'silent' });
  let task: RunningBackgroundTask | undefined;
  // What `connect` gets from the kit, as far as the poll uses it.
  const context = {
    id: 'cliniq-a',
    settings: { changePollMs: 1000, changePollMaxBackoffMs: 5000 },
    logger,
    now: () => Date.parse('2026-03-25T09:00:00Z'),
    changeLog: () => changeLog,
    background(definition) {
      task = createBackgroundTask({ ...definition, deadlineMs: 1000, logger });
      return task;
    },
  } as Partial<ConnectContext<CliniqSettings>> as ConnectContext<CliniqSettings>;
  const catalogue = createCatalogueCache({
    load: async () => ({ clinics: [], services: [] }),
    label: 'Cliniq catalogue',
    refreshMs: 60_000,
    fetchTimeoutMs: 1000,
  });
  const changes = createChangePoll(client, catalogue, context)!;
  // A cursor the log cannot place reads from the oldest change it holds.
  const ids = async () => (await changeLog.page('', 100)).changes.map((c) => c.id);
  return { changes, task: task!, ids };
}

describe('createChangePoll', () => {
  it('starts at Cliniq’s newest change, then reports what follows it, numbered within the epoch', async () => {
    const { feed, client } = fakeFeed();
    feed.changes = [opened(1), opened(2)];
    feed.latest = 2;
    const { changes, ids } = poll(client);
    await changes.runNow();
    expect(feed.asked).toEqual([{ since: '2026-03-25T10:00:00', pageSize: '1' }]);
    expect(changes.position()).toEqual({ sequence: 2, epoch: 0 });
    feed.changes.push(opened(3), opened(4));
    feed.latest = 4;
    await changes.runNow();
    expect(feed.asked[1]).toEqual({ afterSequence: '2', pageSize: '100' });
    expect(await ids()).toEqual(['0.3', '0.4']);
    expect(changes.position()).toEqual({ sequence: 4, epoch: 0 });
  });

  it('reads a feed that started over from its start, in the next epoch', async () => {
    const { feed, client } = fakeFeed();
    feed.latest = 9;
    const { changes, ids } = poll(client);
    await changes.runNow();
    // A restore at Cliniq: its numbers begin again below ours.
    feed.changes = [opened(1)];
    feed.latest = 1;
    await changes.runNow();
    expect(feed.asked.slice(1)).toEqual([
      { afterSequence: '9', pageSize: '100' },
      { afterSequence: '0', pageSize: '100' },
    ]);
    expect(await ids()).toEqual(['1.1']);
    expect(changes.position()).toEqual({ sequence: 1, epoch: 1 });
  });

  it('follows on from the newest when Cliniq no longer keeps the changes after its position (410)', async () => {
    const { feed, client } = fakeFeed();
    feed.latest = 3;
    const { changes, task } = poll(client);
    await changes.runNow();
    feed.answer = 'expired';
    feed.latest = 20_000;
    await changes.runNow();
    expect(changes.position()).toEqual({ sequence: null, epoch: 0 });
    expect(task.status().failures).toBe(0);
    feed.answer = 'ok';
    await changes.runNow();
    expect(changes.position()).toEqual({ sequence: 20_000, epoch: 0 });
  });

  it('keeps its position when Cliniq fails, for the kit to retry', async () => {
    const { feed, client } = fakeFeed();
    feed.latest = 3;
    const { changes, task } = poll(client);
    await changes.runNow();
    feed.answer = 'down';
    await changes.runNow();
    expect(task.status()).toMatchObject({ failures: 1, lastError: 'Cliniq GET /changes: 503' });
    expect(changes.position()).toEqual({ sequence: 3, epoch: 0 });
  });
});
