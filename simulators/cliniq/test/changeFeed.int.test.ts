import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { patient, startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

interface Change {
  sequence: number;
  type: string;
  changedAt: string;
  changedBy: string;
  booking?: { bookingId: string; status: string; externalRef: string; channel: string };
  slot?: { id: string };
}

const changes = async (query: string, tenant = 'nordklinik') => {
  const res = await sim.call('GET', `/changes?${query}`, { tenant });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as {
    data: Change[];
    totalPages: number;
    totalItems: number;
    latestSequence: number;
  };
};

/** Opens `count` new times at CL1001 at the clinic, one change each. */
async function openTimes(count: number) {
  for (let i = 0; i < count; i += 1) {
    const res = await sim.admin('POST', 'clinic-changes', {
      connection: 'nordklinik',
      kind: 'OPEN_SLOT',
      clinic: 'CL1001',
      start: '2026-03-26T16:00:00Z',
    });
    expect(res.status).toBe(200);
  }
}

describe('GET /changes', () => {
  it('lists the API’s and the clinic’s changes in order, each with who made it and the booking or slot as it was', async () => {
    expect(await changes('afterSequence=0')).toMatchObject({ data: [], latestSequence: 0 });
    const slot = await sim.freeSlot('2026-03-26');
    const booked = await sim.call('POST', '/bookings', {
      body: { slotId: slot.id, externalRef: 'feed-1', patient },
    });
    sim.clock.advanceSeconds(60);
    await sim.admin('POST', 'clinic-changes', {
      connection: 'nordklinik',
      kind: 'CANCEL',
      booking: booked.body.bookingId,
    });
    const { data, latestSequence } = await changes('afterSequence=0');
    expect(data.map((c) => [c.sequence, c.type, c.changedBy])).toEqual([
      [1, 'booking_created', 'api'],
      [2, 'slot_closed', 'api'],
      [3, 'booking_cancelled', 'clinic'],
      [4, 'slot_opened', 'clinic'],
    ]);
    expect(latestSequence).toBe(4);
    expect(data[0]!.booking).toMatchObject({
      status: 'booked',
      externalRef: 'feed-1',
      channel: 'api',
    });
    expect(data[2]!.booking).toMatchObject({ status: 'cancelled_by_clinic' });
    expect(data[3]!.slot?.id).toBe(slot.id);
    expect(data[0]!.changedAt).toBe('2026-03-25T09:00:00');
    expect(data[2]!.changedAt).toBe('2026-03-25T09:01:00');
    // The other tenant's feed is its own.
    expect(await changes('afterSequence=0', 'vastkusten')).toMatchObject({
      data: [],
      latestSequence: 0,
    });
  });

  it('pages by number and by the last sequence read, and `since` starts at a local time', async () => {
    await openTimes(5);
    sim.clock.advanceSeconds(3600);
    await openTimes(7);
    const first = await changes('afterSequence=0&pageSize=5');
    expect(first).toMatchObject({ totalItems: 12, totalPages: 3, latestSequence: 12 });
    const third = await changes('afterSequence=0&pageSize=5&page=3');
    expect(third.data.map((c) => c.sequence)).toEqual([11, 12]);
    const after = await changes(`afterSequence=${first.data.at(-1)!.sequence}&pageSize=5`);
    expect(after.data.map((c) => c.sequence)).toEqual([6, 7, 8, 9, 10]);
    expect((await changes('afterSequence=12')).data).toEqual([]);
    const since = await changes('since=2026-03-25T10:00:00');
    expect(since.data.map((c) => c.sequence)).toEqual([6, 7, 8, 9, 10, 11, 12]);
  });

  it('refuses a malformed query with 400 invalid_request', async () => {
    for (const query of [
      '',
      'afterSequence=0&since=2026-03-25T09:00:00',
      'afterSequence=-1',
      'afterSequence=abc',
      'afterSequence=1.5',
      'since=2026-03-25T09:00:00Z',
      'afterSequence=0&page=0',
      'afterSequence=0&pageSize=x',
    ]) {
      const res = await sim.call('GET', `/changes?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error, query).toBe('invalid_request');
    }
  });

  it('starts over after a reset: the newest sequence is 0 again', async () => {
    await openTimes(2);
    expect((await changes('afterSequence=0')).latestSequence).toBe(2);
    await sim.admin('POST', 'reset');
    expect(await changes('afterSequence=2')).toMatchObject({ data: [], latestSequence: 0 });
  });
});
