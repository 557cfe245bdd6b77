/*
 * The change poll against the Cliniq simulator: what it reports of changes at the clinic, how fast,
 * at what cost in requests, and how it behaves when Cliniq says 429.
 */
import { createContractClient, testPatient } from '@booking/provider-contract-tests';
import { createProviderService, type ProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CliniqSimulator,
  createCliniqSimulator,
} from '../../../simulators/cliniq/src/server.js';
import { type CliniqConnection, cliniqProvider, simulatorConnections } from '../src/provider.js';

/** Thursday 2026-03-26 08:00 in Stockholm: the simulator's frozen business time. */
const now = new Date('2026-03-26T07:00:00Z');
const connectionId = 'cliniq-nordklinik';

let simulator: CliniqSimulator;
let subgraph: ProviderService<CliniqConnection>;
const { graphql } = createContractClient(() => `${subgraph.url}/graphql`);

afterEach(async () => {
  await subgraph?.close();
  await simulator?.close();
});

async function start(changePollMs: number) {
  simulator = createCliniqSimulator({ clock: () => now, rateLimitPerSecond: 50 });
  const base = await simulator.listen(0);
  subgraph = createProviderService(
    cliniqProvider,
    {
      connections: simulatorConnections(base),
      providerDeadlineMs: 1000,
      settings: { changePollMs, changePollMaxBackoffMs: 10_000 },
    },
    createLogger({ service: 'provider-cliniq', level: 'silent' }),
  );
  await subgraph.listen(0);
  const poll = subgraph.connections[0]!.changes!;
  // Following from Cliniq's newest change once the first poll has answered.
  await expect.poll(() => poll.position().sequence, { timeout: 5000, interval: 20 }).not.toBeNull();
  return poll;
}

async function admin(method: string, path: string, body?: unknown) {
  const response = await fetch(`${simulator.url}/_admin/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the simulator sent.
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const requestsOf = async (tenant = 'nordklinik') =>
  ((await admin('GET', 'traffic')).body.connections[tenant]?.requests ?? 0) as number;

interface Change {
  id: string;
  kind: string;
  source: string;
  occurredAt: string;
  booking: { reservationId: string; status: string; start: string | null } | null;
  slot: { id: string } | null;
}

const changesQuery = `query ($c: ID!, $after: String) {
  contractChanges(connectionId: $c, after: $after, first: 100) {
    changes { id kind source occurredAt booking { reservationId status start } slot { id } }
    cursor
  }
}`;

/**
 * Reads the connection's change log from `cursor` on until `wanted` is in it, every 250 ms as
 * scheduling does (each read is a request the poll makes way for).
 */
async function awaitChange(cursor: string | null, wanted: (change: Change) => boolean) {
  let after = cursor;
  const seen: Change[] = [];
  await expect
    .poll(
      async () => {
        const answer = await graphql(changesQuery, { c: connectionId, after });
        after = answer.data.contractChanges.cursor;
        seen.push(...answer.data.contractChanges.changes);
        return seen.some(wanted);
      },
      { timeout: 8000, interval: 250 },
    )
    .toBe(true);
  return { change: seen.find(wanted)!, seen };
}

const present = async () =>
  (await graphql(changesQuery, { c: connectionId, after: null })).data.contractChanges
    .cursor as string;

/** A booking made through the contract, as the platform makes it. */
async function book(day = '2026-03-27') {
  const slots = await graphql(
    'query ($input: ContractSlotsInput!) { contractSlots(input: $input) { id } }',
    {
      input: {
        connectionId,
        clinicIds: ['CL1001'],
        from: `${day}T07:00:00Z`,
        to: `${day}T16:00:00Z`,
      },
    },
  );
  const reservationId = `res-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const booked = await graphql(
    'mutation ($input: ContractBookInput!) { contractBook(input: $input) { booking { providerReference } error { code } } }',
    {
      input: {
        connectionId,
        slotId: slots.data.contractSlots[0].id,
        reservationId,
        patient: testPatient,
      },
    },
  );
  expect(booked.data.contractBook.error).toBeNull();
  return { reservationId, bookingId: booked.data.contractBook.booking.providerReference as string };
}

describe('provider-cliniq: changes at the clinic, by polling Cliniq’s change feed', () => {
  it('reports the clinic’s changes to platform bookings, never the platform’s own nor other patients’, and every freed time', async () => {
    await start(200);
    const cursor = await present();
    const { reservationId, bookingId } = await book();
    // The platform's own cancel: the freed time is news, the cancellation is not.
    const own = await book('2026-03-30');
    await graphql(
      'mutation ($input: ContractCancelInput!) { contractCancel(input: $input) { error { code } } }',
      {
        input: { connectionId, reservationId: own.reservationId, providerReference: own.bookingId },
      },
    );
    // Another patient's web booking, cancelled at the clinic.
    const web = (await admin('GET', 'bookings?tenant=nordklinik')).body.bookings.find(
      (b: { origin: string; status: string }) => b.origin === 'seed' && b.status === 'booked',
    );
    expect(
      (
        await admin('POST', 'clinic-changes', {
          connection: 'nordklinik',
          kind: 'CANCEL',
          booking: web.bookingId,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await admin('POST', 'clinic-changes', {
          connection: 'nordklinik',
          kind: 'NO_SHOW',
          booking: bookingId,
        })
      ).status,
    ).toBe(200);

    const { change, seen } = await awaitChange(
      cursor,
      (c) => c.kind === 'BOOKING_UPDATED' && c.booking?.status === 'NO_SHOW',
    );
    expect(change).toMatchObject({
      source: 'POLL',
      occurredAt: '2026-03-26T07:00:00.000Z',
      booking: { reservationId, status: 'NO_SHOW', start: expect.stringMatching(/^2026-03-27T/) },
    });
    expect(seen.filter((c) => c.kind === 'BOOKING_UPDATED')).toHaveLength(1);
    const opened = seen.filter((c) => c.kind === 'SLOT_OPENED').map((c) => c.slot?.id);
    expect(opened).toEqual(expect.arrayContaining([web.slotId]));
    expect(new Set(seen.map((c) => c.id)).size).toBe(seen.length);
  });

  it('honours a 429’s Retry-After, asking nothing meanwhile, and loses no change', async () => {
    const poll = await start(200);
    const cursor = await present();
    const { reservationId, bookingId } = await book();
    await admin('POST', 'faults', {
      connection: 'nordklinik',
      on: 'reads',
      kind: 'rateLimit',
      retryAfterSeconds: 2,
      count: 1,
    });
    await expect.poll(() => poll.status().failures, { timeout: 3000, interval: 10 }).toBe(1);
    const refusedAt = performance.now();
    const before = await requestsOf();
    const clinic = await admin('POST', 'clinic-changes', {
      connection: 'nordklinik',
      kind: 'CANCEL',
      booking: bookingId,
    });
    expect(clinic.status).toBe(200);
    // Well inside the two seconds Cliniq asked for: not one request.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await requestsOf()).toBe(before);
    const { change } = await awaitChange(
      cursor,
      (c) => c.booking?.reservationId === reservationId && c.booking.status === 'CANCELLED',
    );
    expect(change.kind).toBe('BOOKING_UPDATED');
    expect(performance.now() - refusedAt).toBeGreaterThanOrEqual(1900);
    expect(poll.status().failures).toBe(0);
  });

  it('stays within its request budget: one request per tenant per interval when nothing changes', async () => {
    const intervalMs = 2000; // the default
    await start(intervalMs);
    const before = await requestsOf();
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 4 * intervalMs + 1000));
    const perSecond = ((await requestsOf()) - before) / ((performance.now() - started) / 1000);
    console.info(`change poll: ${perSecond.toFixed(2)} requests/s per tenant at ${intervalMs} ms`);
    // About 0.5/s: 1 % of the tenant's 50 per second, the rest left to searches.
    expect(perSecond).toBeGreaterThan(0.3);
    expect(perSecond).toBeLessThanOrEqual(0.6);
  });

  it('reports a clinic change within one interval (lag measured from the change to contractChanges)', async () => {
    const intervalMs = 500;
    await start(intervalMs);
    const lags: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const { reservationId, bookingId } = await book(`2026-03-2${7 + (i % 2)}`);
      const cursor = await present();
      const changedAt = performance.now();
      await admin('POST', 'clinic-changes', {
        connection: 'nordklinik',
        kind: 'CANCEL',
        booking: bookingId,
      });
      await awaitChange(cursor, (c) => c.booking?.reservationId === reservationId);
      lags.push(performance.now() - changedAt);
    }
    console.info(`change lag at ${intervalMs} ms: ${lags.map((l) => l.toFixed(0)).join(', ')} ms`);
    // One interval, plus the quiet the poll waits for, plus one read of the change log.
    for (const lag of lags) expect(lag).toBeLessThan(intervalMs + 100 + 250 + 150);
  });

  it('follows the feed after it starts over (a restore at Cliniq) and reports what happened since', async () => {
    const poll = await start(200);
    await book();
    await expect
      .poll(() => poll.position().sequence, { timeout: 3000, interval: 10 })
      .toBeGreaterThan(0);
    expect((await admin('POST', 'reset')).status).toBe(200);
    const cursor = await present();
    const opened = await admin('POST', 'clinic-changes', {
      connection: 'nordklinik',
      kind: 'OPEN_SLOT',
      clinic: 'CL1001',
      start: '2026-03-27T10:00:00Z',
    });
    const { change } = await awaitChange(cursor, (c) => c.slot?.id === opened.body.slot.id);
    expect(change).toMatchObject({ kind: 'SLOT_OPENED', id: '1.1' });
    expect(poll.position().epoch).toBe(1);
  });
});
