import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPatientCipher } from '../../subgraphs/scheduling/src/engines/createPatientCipher.js';
import { developmentPatientDataKey } from '../../subgraphs/scheduling/src/environment.js';
import { createInProcessGraph, type InProcessGraph } from '../support/inProcessGraph.js';

const patient = {
  personalIdentityNumber: '19900101-0017',
  givenName: 'Astrid',
  familyName: 'Lindgren',
};

const members: Record<string, string> = {
  ReservationResult:
    '... on ReservationResult { reservation { id status expiresAt providerReference slot { id start } rescheduledFrom { id status } } }',
  SlotUnavailable: '... on SlotUnavailable { message slotId }',
  HoldExpired: '... on HoldExpired { message reservationId }',
  InvalidInput: '... on InvalidInput { message field }',
  NotCancellable: '... on NotCancellable { message reservationId }',
  IdempotencyConflict: '... on IdempotencyConflict { message idempotencyKey }',
  ProviderUnavailable: '... on ProviderUnavailable { message provider { name } }',
  BookingByLink: '... on BookingByLink { message bookingUrl slotId }',
};
/** A selection of every member of a result union (a fragment on a non-member is invalid). */
const selection = (...names: string[]) => `__typename ${names.map((n) => members[n]).join(' ')}`;
const common = ['ReservationResult', 'InvalidInput', 'ProviderUnavailable', 'IdempotencyConflict'];
const mutations = {
  hold: `mutation ($input: HoldSlotInput!) { holdSlot(input: $input) { ${selection(...common, 'SlotUnavailable', 'BookingByLink')} } }`,
  confirm: `mutation ($input: ConfirmReservationInput!) { confirmReservation(input: $input) { ${selection(...common, 'HoldExpired', 'SlotUnavailable')} } }`,
  reserve: `mutation ($input: ReserveSlotInput!) { reserveSlot(input: $input) { ${selection(...common, 'SlotUnavailable', 'BookingByLink')} } }`,
  cancel: `mutation ($input: CancelReservationInput!) { cancelReservation(input: $input) { ${selection(...common, 'NotCancellable')} } }`,
  reschedule: `mutation ($input: RescheduleReservationInput!) { rescheduleReservation(input: $input) { ${selection(...common, 'SlotUnavailable', 'NotCancellable')} } }`,
};

let keyCounter = 0;
const key = () => `key-${Date.now()}-${++keyCounter}`;

describe('reservations through the whole graph (in process)', () => {
  let graph: InProcessGraph;
  const from = new Date(Date.now() + 2 * 24 * 3600_000);
  const window = {
    from: from.toISOString(),
    to: new Date(from.getTime() + 5 * 24 * 3600_000).toISOString(),
  };
  let freeSlots: string[] = [];

  async function mutate(name: keyof typeof mutations, input: Record<string, unknown>) {
    const { data, errors } = await graph.execute(mutations[name], { input });
    expect(errors).toBeUndefined();
    // biome-ignore lint/suspicious/noExplicitAny: tests walk untyped GraphQL results by path
    return Object.values(data as Record<string, Record<string, any>>)[0]!;
  }
  async function availableSlotIds(): Promise<Set<string>> {
    const { data } = await graph.execute(
      'query ($filter: AvailabilityFilter!) { availability(filter: $filter, first: 200) { edges { node { id } } } }',
      { filter: { ...window, providerIds: [nordklinik] } },
    );
    return new Set(data.availability.edges.map((e: { node: { id: string } }) => e.node.id));
  }
  async function simulatorBookings() {
    const response = await fetch(`${graph.simulator.url}/_admin/bookings?tenant=nordklinik`);
    const body = (await response.json()) as {
      bookings: { slotId: string; status: string; origin: string }[];
    };
    return body.bookings.filter((b) => b.origin === 'api');
  }
  /** Rows in every ledger table: "writes nothing" means none of them changes. */
  async function ledgerCount(): Promise<number> {
    const db = graph.scheduling.ledger.db;
    const counts = await Promise.all(
      (['reservations', 'reservation_events', 'idempotency_keys'] as const).map((table) =>
        db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow(),
      ),
    );
    return counts.reduce((sum, row) => sum + Number(row.n), 0);
  }
  const takeSlot = () => freeSlots.shift()!;
  let nordklinik = '';

  beforeAll(async () => {
    graph = await createInProcessGraph({
      deadlineMs: 800,
      scheduling: { RECONCILE_AFTER_MS: '1000', RECONCILE_INTERVAL_MS: '60000' },
    });
    const { data } = await graph.execute('{ providers { id name } }');
    nordklinik = data.providers.find((p: { name: string }) => p.name === 'Nordklinik').id;
    freeSlots = [...(await availableSlotIds())];
    expect(freeSlots.length).toBeGreaterThan(30);
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it('holds, confirms and cancels; the slot leaves availability at once and comes back at once', async () => {
    const slotId = takeSlot();
    const held = await mutate('hold', { slotId, idempotencyKey: key() });
    expect(held.__typename).toBe('ReservationResult');
    expect(held.reservation).toMatchObject({ status: 'HELD', slot: { id: slotId } });
    expect(Date.parse(held.reservation.expiresAt)).toBeGreaterThan(Date.now());
    expect(await availableSlotIds()).not.toContain(slotId);

    const confirmed = await mutate('confirm', {
      reservationId: held.reservation.id,
      patient,
      idempotencyKey: key(),
    });
    expect(confirmed.reservation).toMatchObject({
      id: held.reservation.id,
      status: 'CONFIRMED',
      expiresAt: null,
    });
    expect(confirmed.reservation.providerReference).toMatch(/\S/);
    expect((await simulatorBookings()).filter((b) => b.status === 'booked')).toHaveLength(1);

    const cancelled = await mutate('cancel', {
      reservationId: held.reservation.id,
      idempotencyKey: key(),
    });
    expect(cancelled.reservation.status).toBe('CANCELLED');
    expect(await availableSlotIds()).toContain(slotId);

    const events = await graph.scheduling.ledger.events(
      held.reservation.id.length > 0
        ? (await graph.scheduling.reservations.get(
            { clientId: 'in-process-client', subject: null, admin: false },
            held.reservation.id,
          ))!.id
        : '',
    );
    expect(events.map((e) => e.to_status)).toEqual([
      'PENDING',
      'HELD',
      'PENDING',
      'CONFIRMED',
      'PENDING',
      'CANCELLED',
    ]);
  });

  it('tells every change of the caller’s reservations in order, and polls on from the last cursor', async () => {
    const feed = async (after: string | null) => {
      const { data, errors } = await graph.execute(
        `query ($after: String) { reservationEvents(first: 200, after: $after) {
          edges { cursor node { id type status previousStatus occurredAt reservation { id status } } }
          pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      expect(errors).toBeUndefined();
      return data.reservationEvents;
    };
    // Caught up first: what earlier tests did is not this test's.
    let after: string | null = null;
    for (let page = await feed(after); ; page = await feed(after)) {
      after = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) break;
    }
    const held = await mutate('hold', { slotId: takeSlot(), idempotencyKey: key() });
    const id = held.reservation.id;
    await mutate('confirm', { reservationId: id, patient, idempotencyKey: key() });
    await mutate('cancel', { reservationId: id, idempotencyKey: key() });

    const page = await feed(after);
    const events = page.edges.map((edge: { node: Record<string, unknown> }) => edge.node);
    expect(events.map((e: Record<string, unknown>) => [e.type, e.previousStatus])).toEqual([
      ['HELD', null],
      ['CONFIRMED', 'HELD'],
      ['CANCELLED', 'CONFIRMED'],
    ]);
    for (const event of events) {
      expect(event.reservation).toEqual({ id, status: 'CANCELLED' });
      expect(Date.parse(event.occurredAt)).not.toBeNaN();
    }
    expect(new Set(events.map((e: { id: string }) => e.id)).size).toBe(3);
    // Nothing new: an empty page, and the same cursor to poll with.
    const quiet = await feed(page.pageInfo.endCursor);
    expect(quiet).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: page.pageInfo.endCursor },
    });
    const forged = await graph.execute(
      '{ reservationEvents(after: "not-a-cursor") { edges { cursor } } }',
    );
    expect(forged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('books a slot a search has just listed with one call to the clinic system, the booking', async () => {
    // Days no other test searched: the search asks the system itself, so nothing is revalidated later.
    const day = new Date(from.getTime() + 9 * 24 * 3600_000);
    const { data } = await graph.execute(
      'query ($filter: AvailabilityFilter!) { availability(filter: $filter, first: 1) { edges { node { id } } } }',
      {
        filter: {
          from: day.toISOString(),
          to: new Date(day.getTime() + 2 * 24 * 3600_000).toISOString(),
          providerIds: [nordklinik],
        },
      },
    );
    const slotId = data.availability.edges[0].node.id;
    await fetch(`${graph.simulator.url}/_admin/calls`, { method: 'DELETE' });
    const reserved = await mutate('reserve', { slotId, patient, idempotencyKey: key() });
    expect(reserved.reservation).toMatchObject({ status: 'CONFIRMED', slot: { id: slotId } });
    const calls = (await (await fetch(`${graph.simulator.url}/_admin/calls`)).json()) as {
      connections: Record<string, { calls: { access: string }[] }>;
    };
    const made = Object.values(calls.connections).flatMap((c) => c.calls.map((s) => s.access));
    expect(made).toEqual(['write']);
  });

  it('returns the first result for a repeated key, and IdempotencyConflict for the key with other input', async () => {
    const slotId = takeSlot();
    const idempotencyKey = key();
    const before = (await simulatorBookings()).length;
    const first = await mutate('reserve', { slotId, patient, idempotencyKey });
    const again = await mutate('reserve', { slotId, patient, idempotencyKey });
    expect(first.reservation.status).toBe('CONFIRMED');
    expect(again.reservation.id).toBe(first.reservation.id);
    const conflict = await mutate('reserve', { slotId: takeSlot(), patient, idempotencyKey });
    expect(conflict).toMatchObject({ __typename: 'IdempotencyConflict', idempotencyKey });
    expect((await simulatorBookings()).length).toBe(before + 1);
  });

  it('books a slot raced by 12 concurrent reserveSlot calls exactly once', async () => {
    const slotId = takeSlot();
    const before = (await simulatorBookings()).length;
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        mutate('reserve', { slotId, patient, idempotencyKey: key() }),
      ),
    );
    const names = results.map((r) => r.__typename);
    expect(names.filter((n) => n === 'ReservationResult')).toHaveLength(1);
    expect(names.filter((n) => n === 'SlotUnavailable')).toHaveLength(11);
    expect((await simulatorBookings()).length).toBe(before + 1);
  });

  it.each([
    ['a bad checksum', '19900101-0018'],
    ['31 February', '19900231-0017'],
    ['the wrong length', '1990010100'],
    ['letters', '19900101-00AB'],
  ])(
    'rejects an identity number with %s as InvalidInput and writes nothing',
    async (_case, number) => {
      const before = await ledgerCount();
      const result = await mutate('reserve', {
        slotId: freeSlots[0],
        patient: { ...patient, personalIdentityNumber: number },
        idempotencyKey: key(),
      });
      expect(result).toMatchObject({
        __typename: 'InvalidInput',
        field: 'patient.personalIdentityNumber',
      });
      expect(result.message).not.toContain(number);
      expect(await ledgerCount()).toBe(before);
    },
  );

  it('rejects a malformed slot id as InvalidInput and writes nothing, not even the key', async () => {
    const before = await ledgerCount();
    const result = await mutate('hold', { slotId: 'not-a-slot', idempotencyKey: key() });
    expect(result).toMatchObject({ __typename: 'InvalidInput', field: 'slotId' });
    expect(await ledgerCount()).toBe(before);
  });

  it('settles a booking whose answer was lost: the retry returns the same reservation, booked once', async () => {
    const slotId = takeSlot();
    const before = (await simulatorBookings()).length;
    await graph.configureSimulator({ lostResponses: 1 });
    const idempotencyKey = key();
    const first = await mutate('reserve', { slotId, patient, idempotencyKey });
    expect(first.__typename).toBe('ReservationResult');
    expect(first.reservation.status).toBe('PENDING');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await graph.scheduling.reconciler.tick();
    const retry = await mutate('reserve', { slotId, patient, idempotencyKey });
    expect(retry.reservation).toMatchObject({ id: first.reservation.id, status: 'CONFIRMED' });
    expect((await simulatorBookings()).length).toBe(before + 1);
  });

  it('cancels a reservation a lost answer left PENDING: the booking made at the clinic is cancelled there', async () => {
    const slotId = takeSlot();
    await graph.configureSimulator({ lostResponses: 1 });
    const first = await mutate('reserve', { slotId, patient, idempotencyKey: key() });
    expect(first.reservation.status).toBe('PENDING');
    // Cliniq made the booking; the platform never heard. Once the call is certainly over, a
    // cancel looks the reservation up, and cancels what Cliniq has rather than refusing.
    const made = (await simulatorBookings()).filter((b) => b.status === 'booked').length;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const cancelled = await mutate('cancel', {
      reservationId: first.reservation.id,
      idempotencyKey: key(),
    });
    expect(cancelled.reservation).toMatchObject({ id: first.reservation.id, status: 'CANCELLED' });
    expect((await simulatorBookings()).filter((b) => b.status === 'booked')).toHaveLength(made - 1);
    expect(await availableSlotIds()).toContain(slotId);
  });

  it('books again by the same reservation id when a pending booking is not found at the provider', async () => {
    // As after a crash before the provider call left the process: a PENDING row, nothing booked.
    const slotId = takeSlot();
    const local = JSON.parse(Buffer.from(slotId, 'base64url').toString('utf8')) as string[];
    const before = (await simulatorBookings()).length;
    const row = await graph.scheduling.ledger.insert({
      clientId: 'in-process-client',
      connectionId: local[1]!,
      slotId: local[2]!,
      status: 'PENDING',
      pendingOperation: 'BOOK',
      holdKind: null,
      expiresAt: null,
      snapshot: {
        clinicId: 'unknown',
        start: window.from,
        end: window.from,
        treatmentIds: [],
        requestedTreatmentId: null,
        practitioner: null,
      },
      patientSealed: createPatientCipher(developmentPatientDataKey).encrypt({
        ...patient,
        personalIdentityNumber: '199001010017',
        kind: 'personnummer',
        email: null,
        phone: null,
      }),
      rescheduledFrom: null,
    });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await graph.scheduling.reconciler.tick();
    expect((await graph.scheduling.ledger.find(row!.id))?.status).toBe('CONFIRMED');
    expect((await simulatorBookings()).length).toBe(before + 1);
  });

  it('confirms again by the same reservation id when a pending confirmation was not made at the provider', async () => {
    // As after a crash between recording PENDING and calling the provider: the hold lives on at
    // Cliniq, unconfirmed, and the patient's confirmation is in the ledger.
    const slotId = takeSlot();
    const held = await mutate('hold', { slotId, idempotencyKey: key() });
    expect(held.reservation.status).toBe('HELD');
    const caller = { clientId: 'in-process-client', subject: null, admin: false };
    const row = (await graph.scheduling.reservations.get(caller, held.reservation.id))!;
    const stored = (await graph.scheduling.ledger.find(row.id))!;
    const before = (await simulatorBookings()).length;
    const pending = await graph.scheduling.ledger.transition(stored.id, {
      from: ['HELD'],
      version: stored.version,
      to: 'PENDING',
      pendingOperation: 'CONFIRM',
      resumeStatus: 'HELD',
      operation: 'CONFIRM',
      patientSealed: createPatientCipher(developmentPatientDataKey).encrypt({
        ...patient,
        personalIdentityNumber: '199001010017',
        kind: 'personnummer',
        email: null,
        phone: null,
      }),
    });
    expect(pending?.status).toBe('PENDING');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await graph.scheduling.reconciler.tick();
    expect((await graph.scheduling.ledger.find(stored.id))?.status).toBe('CONFIRMED');
    expect((await simulatorBookings()).length).toBe(before + 1);
  });

  it('answers HoldExpired after the hold lapses and offers the slot again', async () => {
    await graph.configureSimulator({ holdTtlSeconds: 1 });
    try {
      const slotId = takeSlot();
      const held = await mutate('hold', { slotId, idempotencyKey: key() });
      expect(held.reservation.status).toBe('HELD');
      await new Promise((resolve) => setTimeout(resolve, 1300));
      const late = await mutate('confirm', {
        reservationId: held.reservation.id,
        patient,
        idempotencyKey: key(),
      });
      expect(late).toMatchObject({ __typename: 'HoldExpired', reservationId: held.reservation.id });
      expect(await availableSlotIds()).toContain(slotId);
    } finally {
      await graph.configureSimulator({ holdTtlSeconds: 300 });
    }
  });

  it('expires a lapsed hold in the sweeper, releasing it at the provider', async () => {
    await graph.configureSimulator({ holdTtlSeconds: 1 });
    try {
      const slotId = takeSlot();
      const held = await mutate('hold', { slotId, idempotencyKey: key() });
      expect(await availableSlotIds()).not.toContain(slotId);
      await new Promise((resolve) => setTimeout(resolve, 1300));
      await graph.scheduling.reconciler.tick();
      const { data } = await graph.execute(
        'query ($id: ID!) { reservation(id: $id) { status expiresAt } }',
        {
          id: held.reservation.id,
        },
      );
      expect(data.reservation).toEqual({ status: 'EXPIRED', expiresAt: null });
      expect(await availableSlotIds()).toContain(slotId);
    } finally {
      await graph.configureSimulator({ holdTtlSeconds: 300 });
    }
  });

  it('keeps the original booking when the new slot of a reschedule is taken', async () => {
    const original = await mutate('reserve', {
      slotId: takeSlot(),
      patient,
      idempotencyKey: key(),
    });
    const taken = takeSlot();
    await mutate('reserve', { slotId: taken, patient, idempotencyKey: key() });
    const moved = await mutate('reschedule', {
      reservationId: original.reservation.id,
      newSlotId: taken,
      idempotencyKey: key(),
    });
    expect(moved).toMatchObject({ __typename: 'SlotUnavailable', slotId: taken });
    const { data } = await graph.execute('query ($id: ID!) { reservation(id: $id) { status } }', {
      id: original.reservation.id,
    });
    expect(data.reservation.status).toBe('CONFIRMED');
    const atProvider = (await simulatorBookings()).filter((b) => b.status === 'booked');
    expect(
      atProvider.some(
        (b) => original.reservation.providerReference === (b as { bookingId?: string }).bookingId,
      ),
    ).toBe(true);
  });

  it('moves a booking: the new slot is confirmed, then the old one cancelled', async () => {
    const original = await mutate('reserve', {
      slotId: takeSlot(),
      patient,
      idempotencyKey: key(),
    });
    const target = takeSlot();
    const moved = await mutate('reschedule', {
      reservationId: original.reservation.id,
      newSlotId: target,
      idempotencyKey: key(),
    });
    expect(moved.reservation).toMatchObject({
      status: 'CONFIRMED',
      slot: { id: target },
      rescheduledFrom: { id: original.reservation.id, status: 'CANCELLED' },
    });
  });

  it('does not show one client’s reservation to another', async () => {
    const mine = await mutate('reserve', { slotId: takeSlot(), patient, idempotencyKey: key() });
    expect(
      await graph.scheduling.reservations.get(
        { clientId: 'someone-else', subject: null, admin: false },
        mine.reservation.id,
      ),
    ).toBeNull();
    const cancel = await graph.scheduling.reservations.cancel(
      { clientId: 'someone-else', subject: null, admin: false },
      {
        reservationId: mine.reservation.id,
        idempotencyKey: key(),
      },
    );
    expect(cancel).toMatchObject({ __typename: 'InvalidInput', field: 'reservationId' });
  });
});
