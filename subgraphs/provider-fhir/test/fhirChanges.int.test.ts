/*
 * Changes at the clinic reach contractChanges: by the FHIR server's Subscription notifications,
 * redelivered after the subgraph was down, and by the catch-up poll when a notification is lost
 * for good. Simulator and subgraph in process, with a clock that ticks from the suite's time so
 * that `meta.lastUpdated` moves as on a real server.
 */
import {
  contractSuiteNow,
  createContractClient,
  testPatient,
} from '@booking/provider-contract-tests';
import { createProviderService, type ProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { createFhirSimulator, type FhirSimulator, fhirBasePath } from '@booking/simulator-fhir';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FhirConnection, fhirProvider, simulatorConnections } from '../src/provider.js';
import { mutation } from './fhirSubgraph.js';
import { freePort } from './freePort.js';

const startedAt = Date.now();
const clock = () => new Date(contractSuiteNow.getTime() + (Date.now() - startedAt));

let simulator: FhirSimulator;
let subgraph: ProviderService<FhirConnection>;
let port: number;
const nord = 'fhir-halsanord';

function startSubgraph() {
  const service = createProviderService(
    fhirProvider,
    {
      connections: simulatorConnections(simulator.url),
      providerDeadlineMs: 5000,
      // The subgraph as the simulator reaches it: each connection's Subscriptions name its push URL.
      pushBaseUrl: `http://127.0.0.1:${port}`,
      // Long: a test that wants a poll runs one itself, so the source of a change is known.
      settings: { changesPollMs: 3_600_000, pushSecret: undefined },
    },
    createLogger({ service: 'provider-fhir', level: 'silent' }),
    { now: () => clock().getTime() },
  );
  return service;
}

const client = createContractClient(() => `${subgraph.url}/graphql`);

interface Change {
  id: string;
  kind: string;
  source: string;
  occurredAt: string;
  booking: { reservationId: string; status: string; start: string | null } | null;
}

async function changes(after: string | null): Promise<{ changes: Change[]; cursor: string }> {
  const answer = await client.graphql<{ contractChanges: { changes: Change[]; cursor: string } }>(
    `query ($c: ID!, $after: String) { contractChanges(connectionId: $c, after: $after, first: 1000) {
      changes { id kind source occurredAt booking { reservationId status start } } cursor } }`,
    { c: nord, after },
  );
  expect(answer.errors).toBeUndefined();
  return answer.data!.contractChanges;
}

/** Waits until a change after `cursor` satisfies `wanted`; answers it and how long it took. */
async function awaitChange(cursor: string, wanted: (c: Change) => boolean, timeoutMs = 10_000) {
  const from = performance.now();
  let after = cursor;
  while (performance.now() - from < timeoutMs) {
    const page = await changes(after);
    after = page.cursor;
    const found = page.changes.find(wanted);
    if (found) return { change: found, ms: performance.now() - from };
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no such change in time');
}

let counter = 0;
async function bookThroughPlatform() {
  const slots = await client.findSlots(nord, '2026-10-21T00:00:00Z', '2026-10-22T00:00:00Z');
  const chosen = slots[counter % slots.length]!;
  const reservationId = `res-changes-${Date.now()}-${++counter}`;
  const answer = await client.graphql<{ contractBook: { booking: { providerReference: string } } }>(
    mutation('contractBook', 'ContractBookInput'),
    { input: { connectionId: nord, slotId: chosen.id, reservationId, patient: testPatient } },
  );
  expect(answer.errors).toBeUndefined();
  return { reservationId, appointmentId: answer.data!.contractBook.booking.providerReference };
}

async function atClinic(body: Record<string, unknown>) {
  const response = await fetch(`${simulator.url}/_admin/clinic-changes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ connection: 'fhir', ...body }),
  });
  expect(response.status).toBe(200);
}

// biome-ignore lint/suspicious/noExplicitAny: FHIR JSON as the simulator sends it.
async function fhir(method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${simulator.url}${fhirBasePath}/${path}`, {
    method,
    ...(body !== undefined && {
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(body),
    }),
  });
  return response.json();
}

/** The Subscriptions the connection holds at the server. */
async function subscriptionsOf(connectionId: string) {
  const endpoint = `http://127.0.0.1:${port}/push/${connectionId}`;
  const found = await fhir('GET', `Subscription?url=${encodeURIComponent(endpoint)}`);
  const entries: { resource: { resourceType: string } }[] = found.entry ?? [];
  // biome-ignore lint/suspicious/noExplicitAny: FHIR JSON as the simulator sends it.
  return entries.map((e) => e.resource as any).filter((r) => r.resourceType === 'Subscription');
}

beforeAll(async () => {
  simulator = createFhirSimulator({
    clock,
    subscriptionDelivery: { attempts: 6, retryMs: 100, timeoutMs: 1000 },
  });
  await simulator.listen(0);
  port = await freePort();
  subgraph = startSubgraph();
  await subgraph.listen(port);
  // Subscribed once the first poll (started by listen) has run.
  await subgraph.connections[0]!.changes.poll.succeeded();
}, 30_000);

afterEach(async () => {
  await simulator.notificationsSettled();
});

afterAll(async () => {
  await subgraph?.close();
  await simulator?.close();
});

describe('FHIR changes at the clinic', () => {
  it('subscribes with rest-hook Subscriptions on Appointment and Slot, a secret header and a JSON payload', async () => {
    const subscriptions = await subscriptionsOf(nord);
    // biome-ignore lint/suspicious/noExplicitAny: FHIR JSON.
    expect(subscriptions.map((s: any) => s.criteria).sort()).toEqual([
      'Appointment?identifier=urn:booking-platform:reservation|',
      'Slot',
    ]);
    for (const subscription of subscriptions) {
      expect(subscription).toMatchObject({
        status: 'active',
        channel: { type: 'rest-hook', payload: 'application/fhir+json' },
      });
      expect(subscription.channel.header[0]).toMatch(/^Authorization: Bearer [\w-]{40,}$/);
    }
  });

  it('reports a booking cancelled at the clinic by push within a second, once, with the version as id', async () => {
    const { reservationId, appointmentId } = await bookThroughPlatform();
    await simulator.notificationsSettled();
    const { cursor } = await changes(null);
    const clinicAt = performance.now();
    await atClinic({ kind: 'CANCEL', booking: appointmentId });
    const { change } = await awaitChange(
      cursor,
      (c) => c.booking?.reservationId === reservationId && c.booking.status === 'CANCELLED',
    );
    const lagMs = performance.now() - clinicAt;
    console.info(`FHIR clinic cancel → contractChanges by push: ${lagMs.toFixed(0)} ms`);
    expect(lagMs).toBeLessThan(1000);
    expect(change.source).toBe('PUSH');
    const appointment = await fhir('GET', `Appointment/${appointmentId}`);
    expect(change.id).toBe(`Appointment/${appointmentId}/_history/${appointment.meta.versionId}`);
    expect(change.occurredAt).toBe(new Date(appointment.meta.lastUpdated).toISOString());
    // The catch-up poll finds the same version: not recorded again.
    await subgraph.connections[0]!.changes.poll.runNow();
    const all = (await changes(cursor)).changes.filter((c) => c.id === change.id);
    expect(all).toHaveLength(1);
  });

  it('refuses a push without the secret or with a wrong one (401), and records nothing', async () => {
    const { reservationId, appointmentId } = await bookThroughPlatform();
    await simulator.notificationsSettled();
    const { cursor } = await changes(null);
    const forged = {
      ...(await fhir('GET', `Appointment/${appointmentId}`)),
      status: 'cancelled',
      meta: { versionId: 'forged', lastUpdated: clock().toISOString() },
    };
    const refused: Record<string, string>[] = [{}, { authorization: 'Bearer not-the-secret' }];
    for (const headers of refused) {
      const response = await fetch(`${subgraph.url}/push/${nord}`, {
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json', ...headers },
        body: JSON.stringify(forged),
      });
      expect(response.status).toBe(401);
    }
    const [subscription] = await subscriptionsOf(nord);
    const authorization = subscription.channel.header[0].replace(/^Authorization: /, '');
    const malformed = await fetch(`${subgraph.url}/push/${nord}`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json', authorization },
      body: '{"resourceType":"Appointment"',
    });
    expect(malformed.status).toBe(400);
    const page = await changes(cursor);
    expect(page.changes.filter((c) => c.booking?.reservationId === reservationId)).toEqual([]);
  });

  it('polls at once on a notification without payload (R4 "empty"), and only with the secret', async () => {
    const { poll } = subgraph.connections[0]!.changes;
    await poll.runNow();
    const { runs } = poll.status();
    const empty = (headers: Record<string, string>) =>
      fetch(`${subgraph.url}/push/${nord}`, { method: 'POST', headers });
    expect((await empty({})).status).toBe(401);
    const [subscription] = await subscriptionsOf(nord);
    const authorization = subscription.channel.header[0].replace(/^Authorization: /, '');
    const answer = await empty({ authorization });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ message: 'polling' });
    await vi.waitFor(() => expect(poll.status()).toMatchObject({ runs: runs + 1, failures: 0 }));
  });

  it('gets a notification redelivered that failed while the subgraph was down', async () => {
    const { reservationId, appointmentId } = await bookThroughPlatform();
    await simulator.notificationsSettled();
    await subgraph.close();
    await atClinic({ kind: 'NO_SHOW', booking: appointmentId });
    // The server retries with backoff; a new run takes the Subscriptions over (a new secret).
    subgraph = startSubgraph();
    await subgraph.listen(port);
    const { change } = await awaitChange(
      'a-cursor-of-the-run-before',
      (c) => c.booking?.reservationId === reservationId && c.booking.status === 'NO_SHOW',
    );
    expect(change.source).toBe('PUSH');
  });

  it('finds by the catch-up poll what no notification brought, and requests the Subscription again', async () => {
    const { reservationId, appointmentId } = await bookThroughPlatform();
    await simulator.notificationsSettled();
    const { cursor } = await changes(null);
    for (const subscription of await subscriptionsOf(nord)) {
      await fhir('PUT', `Subscription/${subscription.id}`, { ...subscription, status: 'off' });
    }
    const later = (
      await client.findSlots(nord, '2026-10-23T00:00:00Z', '2026-10-24T00:00:00Z')
    )[0]!;
    await atClinic({ kind: 'MOVE', booking: appointmentId, start: later.start });
    await simulator.notificationsSettled();
    expect((await changes(cursor)).changes).toEqual([]);
    await subgraph.connections[0]!.changes.poll.runNow();
    const page = await changes(cursor);
    const moved = page.changes.find((c) => c.booking?.reservationId === reservationId);
    expect(moved).toMatchObject({
      kind: 'BOOKING_UPDATED',
      source: 'POLL',
      booking: { status: 'BOOKED', start: later.start },
    });
    expect(page.changes.some((c) => c.kind === 'SLOT_OPENED' && c.source === 'POLL')).toBe(true);
    // biome-ignore lint/suspicious/noExplicitAny: FHIR JSON.
    expect((await subscriptionsOf(nord)).map((s: any) => s.status)).toEqual(['active', 'active']);
  });

  it('reports a slot the clinic opens as SLOT_OPENED and one taken by another client as SLOT_CLOSED', async () => {
    const { cursor } = await changes(null);
    await atClinic({ kind: 'OPEN_SLOT', clinic: 'loc-sodermalm', start: '2026-10-22T17:00:00Z' });
    const opened = await awaitChange(cursor, (c) => c.kind === 'SLOT_OPENED');
    expect(opened.change.source).toBe('PUSH');
    const [free] = await client.findSlots(nord, '2026-10-26T00:00:00Z', '2026-10-27T00:00:00Z');
    await fetch(`${simulator.url}/_admin/take-slot/${free!.id}`, { method: 'POST' });
    await awaitChange(cursor, (c) => c.kind === 'SLOT_CLOSED');
  });
});
