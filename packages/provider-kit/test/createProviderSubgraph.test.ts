import { createLogger } from '@booking/server-kit';
import { describe, expect, it } from 'vitest';
import { createConnectionTraffic } from '../src/background/createConnectionTraffic.js';
import { bookingFound, cannotTell, notBooked } from '../src/bookingLookup.js';
import {
  type ConnectionConfig,
  createProviderSubgraph,
  type ProviderAdapter,
} from '../src/createProviderSubgraph.js';
import { ProviderError, ProviderErrorCode } from '../src/errors.js';

const logger = createLogger({ service: 'test', level: 'silent' });
const slot = {
  id: 's1',
  clinicId: 'c1',
  start: '2026-05-04T07:00:00.000Z',
  end: '2026-05-04T07:20:00.000Z',
  treatmentIds: ['t1'],
  practitioner: null,
  bookingUrl: null as string | null,
  capacity: null,
};

function adapterWith(
  overrides: Partial<ProviderAdapter<ConnectionConfig, undefined>>,
): ProviderAdapter<ConnectionConfig, undefined> {
  return {
    system: 'fake',
    connections: [
      { id: 'fake-a', name: 'A', deadlineMs: 100 },
      { id: 'fake-b', name: 'B', deadlineMs: 100 },
    ],
    createScope: () => undefined,
    describe: async () => ({ capabilities: ['API_BOOKING'], clinics: [], treatments: [] }),
    findSlots: async () => [slot],
    getSlot: async () => ({ slot, status: 'FREE' }),
    getBooking: async () => notBooked(),
    ...overrides,
  };
}

async function run(
  adapter: ProviderAdapter<ConnectionConfig, undefined>,
  query: string,
  headers: Record<string, string> = {},
) {
  const { server, context } = createProviderSubgraph(adapter, logger);
  await server.start();
  try {
    const response = await server.executeOperation(
      { query },
      { contextValue: await context({ headers } as never) },
    );
    if (response.body.kind !== 'single') throw new Error('incremental');
    return response.body.singleResult;
  } finally {
    await server.stop();
  }
}

const findSlots = (connectionId: string) =>
  `{ contractSlots(input: { connectionId: "${connectionId}", from: "2026-05-04T00:00:00Z", to: "2026-05-05T00:00:00Z" }) { id } }`;

describe('createProviderSubgraph', () => {
  it('counts each call as its connection’s traffic, which quiet background work waits for', async () => {
    const traffic = new Map([
      ['fake-a', createConnectionTraffic()],
      ['fake-b', createConnectionTraffic()],
    ]);
    const seen: boolean[] = [];
    const adapter = adapterWith({
      findSlots: async () => {
        seen.push(traffic.get('fake-a')!.busy(0), traffic.get('fake-b')!.busy(0));
        return [slot];
      },
    });
    const { server, context } = createProviderSubgraph(adapter, logger, new Map(), traffic);
    await server.start();
    try {
      await server.executeOperation(
        { query: findSlots('fake-a') },
        { contextValue: await context({ headers: {} } as never) },
      );
    } finally {
      await server.stop();
    }
    expect(seen).toEqual([true, false]);
    expect(traffic.get('fake-a')!.busy(60_000)).toBe(true);
    expect(traffic.get('fake-a')!.busy(0)).toBe(false);
  });

  it('stops waiting at the connection deadline even when the adapter ignores the signal', async () => {
    let calledAt = 0;
    let seenDeadline = 0;
    const adapter = adapterWith({
      findSlots: (_input, call) => {
        calledAt = Date.now();
        seenDeadline = call.deadlineAt;
        // Never settles: only the kit's own deadline can produce an answer.
        return new Promise(() => {});
      },
    });
    const startedAt = Date.now();
    const result = await run(adapter, findSlots('fake-a'));
    const answeredAt = Date.now();
    expect(result.errors?.[0]?.extensions?.code).toBe(ProviderErrorCode.Timeout);
    // The connection's 100 ms, counted from when the kit took the request (between sending it
    // and the adapter's call, however busy the machine), and not answered before it passed.
    expect(seenDeadline).toBeGreaterThanOrEqual(startedAt + 99);
    expect(seenDeadline).toBeLessThanOrEqual(calledAt + 101);
    expect(answeredAt).toBeGreaterThanOrEqual(seenDeadline - 1);
  });

  it('honours a shorter deadline from the caller’s x-deadline-at header', async () => {
    let calledAt = 0;
    let seenDeadline = 0;
    const adapter = adapterWith({
      findSlots: (_input, call) => {
        calledAt = Date.now();
        seenDeadline = call.deadlineAt;
        return new Promise(() => {});
      },
    });
    const callerDeadline = Date.now() + 30;
    const result = await run(adapter, findSlots('fake-a'), {
      'x-deadline-at': String(callerDeadline),
    });
    expect(result.errors?.[0]?.extensions?.code).toBe(ProviderErrorCode.Timeout);
    // The caller's deadline, not the connection's 100 ms; one already past leaves 1 ms.
    expect(seenDeadline).toBeLessThanOrEqual(Math.max(callerDeadline, calledAt + 1));
    expect(seenDeadline).toBeLessThan(calledAt + 100);
  });

  it('checks the window, and keeps only what answers the query, in order, before answering', async () => {
    let asked: unknown;
    const adapter = adapterWith({
      findSlots: async (query) => {
        asked = query;
        return [
          { ...slot, id: 'b', start: '2026-05-04T09:00:00.000Z', end: '2026-05-04T09:20:00.000Z' },
          {
            ...slot,
            id: 'outside',
            start: '2026-05-05T00:00:00.000Z',
            end: '2026-05-05T00:20:00Z',
          },
          { ...slot, id: 'a', start: '2026-05-04T09:00:00.000Z', end: '2026-05-04T09:20:00.000Z' },
        ];
      },
    });
    const found = await run(adapter, findSlots('fake-a'));
    expect(found.data?.contractSlots).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(asked).toMatchObject({
      fromMs: Date.parse('2026-05-04T00:00:00Z'),
      toMs: Date.parse('2026-05-05T00:00:00Z'),
    });
    const noOffset = await run(
      adapter,
      '{ contractSlots(input: { connectionId: "fake-a", from: "2026-05-04T00:00:00", to: "2026-05-05T00:00:00Z" }) { id } }',
    );
    expect(noOffset.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('answers a write the provider refused as the typed PROVIDER_UNAVAILABLE', async () => {
    const adapter = adapterWith({
      book: async () => {
        throw new ProviderError(ProviderErrorCode.Unavailable, 'vendor answered 503', {
          status: 503,
        });
      },
    });
    const result = await run(
      adapter,
      'mutation { contractBook(input: { connectionId: "fake-a", slotId: "s1", reservationId: "r1", patient: { personalIdentityNumber: "199001010017", givenName: "A", familyName: "B" } }) { booking { status } error { code message } } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.contractBook).toEqual({
      booking: null,
      error: { code: 'PROVIDER_UNAVAILABLE', message: 'vendor answered 503' },
    });
  });

  it('maps adapter failures to stable codes and unknown connections to UNKNOWN_CONNECTION', async () => {
    const adapter = adapterWith({
      findSlots: async () => {
        throw new ProviderError(ProviderErrorCode.Unavailable, 'down', { status: 503 });
      },
    });
    const failed = await run(adapter, findSlots('fake-a'));
    expect(failed.errors?.[0]?.extensions).toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      providerStatus: 503,
    });
    const unknown = await run(adapter, findSlots('nope'));
    expect(unknown.errors?.[0]?.extensions?.code).toBe(ProviderErrorCode.UnknownConnection);
  });

  it('lists a connection that cannot describe itself with its reason, and the others in full', async () => {
    const adapter = adapterWith({
      describe: async (call) => {
        if (call.connection.id === 'fake-b') throw new Error('catalogue endpoint down');
        return { capabilities: ['API_BOOKING'], clinics: [], treatments: [] };
      },
    });
    const result = await run(
      adapter,
      '{ contractConnections { id system capabilities unavailableReason } }',
    );
    expect(result.data?.contractConnections).toEqual([
      { id: 'fake-a', system: 'fake', capabilities: ['API_BOOKING'], unavailableReason: null },
      {
        id: 'fake-b',
        system: 'fake',
        capabilities: [],
        unavailableReason: expect.stringMatching(/failed|down/),
      },
    ]);
  });

  it('never asks the provider about an id no provider issues: too long is unknown', async () => {
    const asked: string[] = [];
    const adapter = adapterWith({
      getSlot: async (slotId) => {
        asked.push(slotId);
        return { slot, status: 'FREE' };
      },
      book: async (input) => {
        asked.push(input.slotId);
        return { booking: null, error: null };
      },
      cancel: async (input) => {
        asked.push(input.providerReference);
        return { booking: null, error: null };
      },
    });
    const long = 'x'.repeat(16 * 1024);
    const state = await run(
      adapter,
      `{ contractSlot(connectionId: "fake-a", slotId: "${long}") { status } }`,
    );
    expect(state.errors).toBeUndefined();
    expect(state.data?.contractSlot).toBeNull();
    const patient = '{ personalIdentityNumber: "199001010017", givenName: "T", familyName: "P" }';
    const booked = await run(
      adapter,
      `mutation { contractBook(input: { connectionId: "fake-a", slotId: "${long}", reservationId: "r1", patient: ${patient} }) { error { code } } }`,
    );
    expect(booked.data?.contractBook).toEqual({ error: { code: 'SLOT_UNAVAILABLE' } });
    const cancelled = await run(
      adapter,
      `mutation { contractCancel(input: { connectionId: "fake-a", reservationId: "r1", providerReference: "${long}" }) { error { code } } }`,
    );
    expect(cancelled.data?.contractCancel).toEqual({ error: { code: 'NOT_FOUND' } });
    expect(asked).toEqual([]);
  });

  it('answers UNSUPPORTED for a missing capability and BOOKING_BY_LINK for deep-link slots', async () => {
    const hold =
      'mutation { contractHold(input: { connectionId: "fake-a", slotId: "s1", reservationId: "r1" }) { booking { status } error { code bookingUrl } } }';
    const unsupported = await run(adapterWith({}), hold);
    expect(unsupported.errors).toBeUndefined();
    expect(unsupported.data?.contractHold).toEqual({
      booking: null,
      error: { code: 'UNSUPPORTED', bookingUrl: null },
    });
    const linked = adapterWith({
      getSlot: async () => ({
        slot: { ...slot, bookingUrl: 'https://example.test/book/s1' },
        status: 'FREE',
      }),
    });
    const byLink = await run(linked, hold);
    expect(byLink.data?.contractHold).toEqual({
      booking: null,
      error: { code: 'BOOKING_BY_LINK', bookingUrl: 'https://example.test/book/s1' },
    });
  });

  it('answers a look-up as FOUND, NOT_BOOKED or UNKNOWN, and anything unclear as UNKNOWN', async () => {
    const booking = {
      reservationId: 'r1',
      slotId: 's1',
      status: 'BOOKED' as const,
      providerReference: 'bk-1',
      expiresAt: null,
    };
    const lookUp = (reservationId: string) =>
      `{ contractBooking(connectionId: "fake-a", reservationId: "${reservationId}") { status booking { providerReference } reason } }`;
    const answers = async (
      getBooking: ProviderAdapter<ConnectionConfig, undefined>['getBooking'],
      id = 'r1',
    ) => (await run(adapterWith({ getBooking }), lookUp(id))).data?.contractBooking;
    expect(await answers(async () => bookingFound(booking))).toEqual({
      status: 'FOUND',
      booking: { providerReference: 'bk-1' },
      reason: null,
    });
    expect(await answers(async () => notBooked())).toEqual({
      status: 'NOT_BOOKED',
      booking: null,
      reason: null,
    });
    expect(await answers(async () => cannotTell('the index has no entry'))).toEqual({
      status: 'UNKNOWN',
      booking: null,
      reason: 'the index has no entry',
    });
    // Another reservation's booking, or no answer at all (a JavaScript adapter's null), can tell
    // nothing about this reservation: never NOT_BOOKED.
    expect(await answers(async () => bookingFound(booking), 'r2')).toMatchObject({
      status: 'UNKNOWN',
    });
    expect(await answers(async () => null as never)).toMatchObject({ status: 'UNKNOWN' });
  });

  it("answers ids that cannot be the system's own as unknown without calling the adapter", async () => {
    const calls: string[] = [];
    const adapter = adapterWith({
      localIds: { slot: /^s\d+$/, practitioner: (id) => id.startsWith('p-') },
      findSlots: async (query) => {
        calls.push(`findSlots ${query.practitionerId ?? ''}`);
        return [];
      },
      getSlot: async (slotId) => {
        calls.push(`getSlot ${slotId}`);
        return null;
      },
      book: async (input) => {
        calls.push(`book ${input.slotId}`);
        return {
          booking: null,
          error: { code: 'SLOT_UNAVAILABLE', message: 'taken', field: null, bookingUrl: null },
        };
      },
    });
    const slotState = (id: string) =>
      `{ contractSlot(connectionId: "fake-a", slotId: ${JSON.stringify(id)}) { status } }`;
    const book = (id: string) =>
      `mutation { contractBook(input: { connectionId: "fake-a", slotId: ${JSON.stringify(id)}, reservationId: "r1", patient: { personalIdentityNumber: "199001010017", givenName: "A", familyName: "B" } }) { error { code message } } }`;
    const byPractitioner = (id: string) =>
      `{ contractSlots(input: { connectionId: "fake-a", from: "2026-05-04T00:00:00Z", to: "2026-05-05T00:00:00Z", practitionerId: ${JSON.stringify(id)} }) { id } }`;

    for (const id of ['x1', 's', 's1 ', 's'.repeat(600)]) {
      expect((await run(adapter, slotState(id))).data).toEqual({ contractSlot: null });
      expect((await run(adapter, book(id))).data).toEqual({
        contractBook: { error: { code: 'SLOT_UNAVAILABLE', message: 'no slot has this id' } },
      });
    }
    for (const id of ['q-1', `p-${'x'.repeat(600)}`]) {
      expect((await run(adapter, byPractitioner(id))).data).toEqual({ contractSlots: [] });
    }
    expect(calls).toEqual([]);

    // The system's own shapes are asked as before.
    await run(adapter, slotState('s12'));
    await run(adapter, book('s12'));
    await run(adapter, byPractitioner('p-7'));
    expect(calls).toEqual(['getSlot s12', 'book s12', 'findSlots p-7']);
    // An unknown connection is still refused, whatever the practitioner id.
    const refused = await run(adapter, byPractitioner('q-1').replace('"fake-a"', '"nowhere"'));
    expect(refused.errors?.[0]?.extensions?.code).toBe(ProviderErrorCode.UnknownConnection);
  });

  it('checks ids without a declared format for size and URL structure only', async () => {
    const { defaultLocalIdFormat, isOwnId, maxLocalIdLength } = await import(
      '../src/ids/localIds.js'
    );
    const own = ['SL-CL1001-P1-202612070800', 'a|b%7C|2026', 'Appointment.1-x', 'ÅÄÖ'];
    const notOwn = [
      '',
      ' ',
      'a b',
      'a/b',
      'a?b',
      'a#b',
      '\u0000',
      'x'.repeat(maxLocalIdLength + 1),
    ];
    for (const id of own) expect(isOwnId(id), id).toBe(true);
    for (const id of notOwn)
      expect(isOwnId(id, defaultLocalIdFormat), JSON.stringify(id)).toBe(false);
    expect(isOwnId('x'.repeat(maxLocalIdLength))).toBe(true);
    // A declared format replaces the default but never the size bound.
    expect(isOwnId('a b', /^a b$/)).toBe(true);
    expect(isOwnId('x'.repeat(maxLocalIdLength + 1), () => true)).toBe(false);
  });
});
