import {
  type Connection,
  captureLogs,
  createContractClient,
  resultFields,
  slotsQuery,
} from '@booking/provider-contract-tests';
import { createProviderService, type ProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { createSmartSimulator, type SmartSimulator } from '@booking/simulator-smart';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type SmartConnection,
  simulatorConnections,
  smartProvider,
  smartSettings,
} from '../src/provider.js';

const patient = {
  personalIdentityNumber: '199001010017',
  givenName: 'Test',
  familyName: 'Patient',
};

const { lines: logLines, destination } = captureLogs();
const logger = createLogger({
  service: 'provider-smart',
  level: 'debug',
  destination,
});

let simulator: SmartSimulator;
let subgraph: ProviderService<SmartConnection>;

/** The service over the simulator's two publishers at `base`, with every setting at its default. */
function smartService(base: string): ProviderService<SmartConnection> {
  return createProviderService(
    smartProvider,
    {
      connections: simulatorConnections(base),
      providerDeadlineMs: 5000,
      settings: smartSettings.parse({}),
    },
    logger,
  );
}

const contract = createContractClient(() => `${subgraph.url}/graphql`);
const { graphql } = contract;
const slots = ({ connectionId, from, to, ...filters }: Record<string, string | string[]>) =>
  contract.findSlots(String(connectionId), String(from), String(to), filters);

beforeAll(async () => {
  simulator = createSmartSimulator({ clock: () => new Date('2026-10-19T08:00:00Z') });
  const base = await simulator.listen(0);
  subgraph = smartService(base);
  await subgraph.listen(0);
});
afterAll(async () => {
  await subgraph.close();
  await simulator.close();
});

describe('describe', () => {
  it('serves both publishers, deep-link only and reporting changes, with their clinics’ zones and mapped treatments', async () => {
    const [sverige, example] = (await contract.connections()) as [Connection, Connection];
    expect(sverige).toMatchObject({
      id: 'smart-sverige',
      system: 'smart',
      capabilities: ['DEEP_LINK_ONLY', 'CHANGES'],
      holdTtlSeconds: null,
      unavailableReason: null,
    });
    expect(sverige.clinics).toHaveLength(6);
    expect(sverige.treatments.map((t: { id: string }) => t.id).sort()).toEqual([
      'child-health',
      'general-practitioner',
      'midwife',
      'nurse-visit',
      'physiotherapy',
      'psychologist',
      'vaccination',
    ]);
    expect(example).toMatchObject({
      id: 'smart-example',
      capabilities: ['DEEP_LINK_ONLY', 'CHANGES'],
    });
    expect(example.clinics).toHaveLength(10);
    for (const clinic of example.clinics) {
      expect(clinic).toMatchObject({ timeZone: 'America/New_York', treatmentIds: ['vaccination'] });
    }
  });
});

describe('find', () => {
  it('finds the spec example’s slots of March 2021, with capacity and a sourced deep link', async () => {
    const found = await slots({
      connectionId: 'smart-example',
      clinicIds: ['3'],
      from: '2021-03-01T00:00:00Z',
      to: '2021-03-15T00:00:00Z',
    });
    expect(found.map((s) => s.start)).toEqual([
      '2021-03-01T14:00:00.000Z',
      '2021-03-02T14:00:00.000Z',
      '2021-03-03T14:00:00.000Z',
      '2021-03-04T14:00:00.000Z',
      '2021-03-05T14:00:00.000Z',
      '2021-03-06T14:00:00.000Z',
      '2021-03-07T14:00:00.000Z',
      '2021-03-08T14:00:00.000Z',
      '2021-03-09T14:00:00.000Z',
      '2021-03-10T14:00:00.000Z',
      '2021-03-11T14:00:00.000Z',
      '2021-03-12T14:00:00.000Z',
      '2021-03-13T14:00:00.000Z',
      '2021-03-14T14:00:00.000Z',
    ]);
    expect(found[0]).toMatchObject({ capacity: 100 });
    expect(new URL(found[0]!.bookingUrl!).searchParams.get('source')).toBe('varden');
  });

  it('narrows by treatment and practitioner across the autumn DST change', async () => {
    const found = await slots({
      connectionId: 'smart-sverige',
      treatmentId: 'general-practitioner',
      practitionerId: 'pr-anna-lindqvist',
      from: '2026-10-23T00:00:00Z',
      to: '2026-10-27T00:00:00Z',
    });
    // Slot ids carry the publisher's local wall time (…-yyyyMMddHHmm): read back in Stockholm
    // time, every start must show it, in summer time (+02:00) and winter time (+01:00) alike.
    const local = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Stockholm',
      dateStyle: 'short',
      timeStyle: 'short',
    });
    for (const slot of found) {
      const digits = local.format(new Date(slot.start)).replace(/\D/g, '');
      expect(slot.id.endsWith(digits)).toBe(true);
    }
    expect(found.some((s) => s.start.startsWith('2026-10-23T06:'))).toBe(true);
    expect(found.some((s) => s.start.startsWith('2026-10-26T07:'))).toBe(true);
    expect(found.every((s) => s.id.startsWith('sch-sodermalm-lakare-1-'))).toBe(true);
  });

  it('answers many concurrent searches from the index with no more manifest fetches', async () => {
    const before = simulator.state.stats.sverige.manifestRequests;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        slots({
          connectionId: 'smart-sverige',
          from: `2026-10-${String(20 + (i % 5)).padStart(2, '0')}T00:00:00Z`,
          to: '2026-11-01T00:00:00Z',
        }),
      ),
    );
    expect(answers.every((a) => a.length > 0)).toBe(true);
    expect(simulator.state.stats.sverige.manifestRequests - before).toBe(0);
    expect(simulator.state.stats.sverige.manifestRequests).toBe(1);
  });

  it('refuses a window without an offset as BAD_USER_INPUT', async () => {
    const result = await graphql(slotsQuery, {
      input: {
        connectionId: 'smart-sverige',
        from: '2026-10-20T00:00:00',
        to: '2026-10-21T00:00:00Z',
      },
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('booking by deep link', () => {
  it('answers BOOKING_BY_LINK to every concurrent attempt, books nothing, and the link leads to the portal', async () => {
    const [slot] = await slots({
      connectionId: 'smart-sverige',
      from: '2026-10-21T00:00:00Z',
      to: '2026-10-22T00:00:00Z',
    });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        graphql(
          `mutation ($input: ContractBookInput!) { contractBook(input: $input) { ${resultFields} } }`,
          {
            input: {
              connectionId: 'smart-sverige',
              slotId: slot!.id,
              reservationId: `r-${i}`,
              patient,
            },
          },
        ),
      ),
    );
    for (const result of results) {
      expect(result.data.contractBook).toEqual({
        booking: null,
        error: {
          code: 'BOOKING_BY_LINK',
          message: expect.any(String),
          field: null,
          bookingUrl: slot!.bookingUrl,
        },
      });
    }
    const state = await graphql(
      'query ($s: ID!) { contractSlot(connectionId: "smart-sverige", slotId: $s) { status slot { id } } }',
      { s: slot!.id },
    );
    expect(state.data.contractSlot.status).toBe('FREE');
    expect(
      (
        await graphql(
          '{ contractBooking(connectionId: "smart-sverige", reservationId: "r-0") { status } }',
        )
      ).data.contractBooking,
    ).toEqual({ status: 'NOT_BOOKED' });

    // The patient follows the link: the publisher sees where they came from, and of several
    // patients racing for the slot on the portal exactly one gets it.
    const page = await fetch(slot!.bookingUrl!);
    expect(page.status).toBe(200);
    expect(simulator.state.stats.sverige.portalVisitsBySource).toMatchObject({ varden: 1 });
    const portal = new URL(slot!.bookingUrl!);
    const raced = await Promise.all(
      Array.from({ length: 5 }, () =>
        fetch(`${portal.origin}${portal.pathname}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ slot: slot!.id, source: 'varden' }).toString(),
        }),
      ),
    );
    expect(raced.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(logLines.join('')).not.toContain('199001010017');
  });

  it('answers UNSUPPORTED to confirm and cancel, which need a booking made through the platform', async () => {
    const confirm = await graphql(
      `mutation ($input: ContractConfirmInput!) { contractConfirm(input: $input) { ${resultFields} } }`,
      {
        input: {
          connectionId: 'smart-sverige',
          reservationId: 'r',
          providerReference: 'x',
          patient,
        },
      },
    );
    expect(confirm.data.contractConfirm.error.code).toBe('UNSUPPORTED');
    const cancel = await graphql(
      `mutation ($input: ContractCancelInput!) { contractCancel(input: $input) { ${resultFields} } }`,
      { input: { connectionId: 'smart-sverige', reservationId: 'r', providerReference: 'x' } },
    );
    expect(cancel.data.contractCancel.error.code).toBe('UNSUPPORTED');
  });
});

describe('a publisher that is down at start-up', () => {
  it('is ready once polled, reports the connection unavailable, and serves the others', async () => {
    const down = createSmartSimulator({ clock: () => new Date('2026-10-19T08:00:00Z') });
    const base = await down.listen(0);
    await fetch(`${base}/_admin/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ publishers: { example: { down: true } } }),
    });
    const other = smartService(base);
    const url = await other.listen(0);
    try {
      let ready: Response | undefined;
      for (let i = 0; i < 100; i += 1) {
        ready = await fetch(`${url}/health/ready`);
        if (ready.ok) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(ready?.status).toBe(200);
      const { checks } = (await ready!.json()) as { checks: Record<string, { message: string }> };
      expect(checks['smart-example']?.message).toContain('503');
      const otherContract = createContractClient(() => `${url}/graphql`);
      const [sverige, example] = (await otherContract.connections()) as [Connection, Connection];
      expect(sverige.unavailableReason).toBeNull();
      expect(example).toMatchObject({ capabilities: [], clinics: [] });
      expect(example.unavailableReason).toContain('503');
      const search = await otherContract.graphql(slotsQuery, {
        input: {
          connectionId: 'smart-example',
          from: '2021-03-01T00:00:00Z',
          to: '2021-03-02T00:00:00Z',
        },
      });
      expect(search.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
    } finally {
      await other.close();
      await down.close();
    }
  });
});
