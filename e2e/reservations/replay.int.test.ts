import { type ValidPatient, validatePatient } from '@varden/booking-sdk/patient';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPatientCipher } from '../../subgraphs/scheduling/src/engines/createPatientCipher.js';
import { developmentPatientDataKey } from '../../subgraphs/scheduling/src/environment.js';
import {
  createInProcessGraph,
  freeSlotIds,
  type InProcessGraph,
  inProcessPrincipal,
} from '../support/inProcessGraph.js';

const patient = {
  personalIdentityNumber: '19900101-0017',
  givenName: 'Astrid',
  familyName: 'Lindgren',
};
const hold = `mutation ($input: HoldSlotInput!) { holdSlot(input: $input) {
  __typename ... on ReservationResult { reservation { id status } } } }`;
const confirm = `mutation ($input: ConfirmReservationInput!) { confirmReservation(input: $input) {
  __typename ... on ReservationResult { reservation { id status } }
  ... on ProviderUnavailable { message retryAfterSeconds } } }`;
const reserve = `mutation ($input: ReserveSlotInput!) { reserveSlot(input: $input) {
  __typename ... on ReservationResult { reservation { id status } } } }`;
const reschedule = `mutation ($input: RescheduleReservationInput!) { rescheduleReservation(input: $input) {
  __typename ... on ReservationResult { reservation { id status rescheduledFrom { id status } } } } }`;
const cancel = `mutation ($input: CancelReservationInput!) { cancelReservation(input: $input) {
  __typename ... on ReservationResult { reservation { id status } } } }`;
const cipher = createPatientCipher(developmentPatientDataKey);
const valid = (validatePatient(patient) as { ok: true; patient: ValidPatient }).patient;
/** The ledger id and connection of a public id. */
const local = (publicId: string) => {
  const [, connectionId, id] = JSON.parse(Buffer.from(publicId, 'base64url').toString('utf8'));
  return { connectionId: connectionId as string, id: id as string };
};
/** A claim of `key` by an instance that was killed: its lease runs out in 200 ms. */
const killedClaim = { holder: 'killed-instance:1', until: () => new Date(Date.now() + 200) };
const owner = { clientId: inProcessPrincipal.clientId, subject: null };

let keyCounter = 0;
const key = () => `replay-${Date.now()}-${++keyCounter}`;

describe('repeating a mutation whose scheduling instance died before answering (in process)', () => {
  let graph: InProcessGraph;
  let freeSlots: string[] = [];
  // A repeat waits this long for a first call still running on a live instance (see server.ts).
  const replayWaitMs = 2 * 800 + 1000;

  async function apiBookings(status = 'booked') {
    const response = await fetch(`${graph.simulator.url}/_admin/bookings?tenant=nordklinik`);
    const body = (await response.json()) as { bookings: { status: string; origin: string }[] };
    return body.bookings.filter((b) => b.origin === 'api' && b.status === status);
  }

  beforeAll(async () => {
    graph = await createInProcessGraph({
      deadlineMs: 800,
      scheduling: { RECONCILE_AFTER_MS: '60000', RECONCILE_INTERVAL_MS: '60000' },
    });
    freeSlots = await freeSlotIds(graph);
  });
  afterAll(async () => {
    await graph?.stop();
  });

  /**
   * A held reservation whose confirmation's instance was killed: the key claimed under a lease the
   * dead instance no longer renews, and (`afterPending`) the reservation already PENDING.
   */
  async function confirmationKilled(afterPending: boolean) {
    const { data } = await graph.execute(hold, {
      input: { slotId: freeSlots.shift(), idempotencyKey: key() },
    });
    const publicId: string = data.holdSlot.reservation.id;
    const localId = (
      JSON.parse(Buffer.from(publicId, 'base64url').toString('utf8')) as string[]
    )[2]!;
    const row = (await graph.scheduling.ledger.find(localId))!;
    expect(row.status).toBe('HELD');
    const valid = validatePatient(patient) as { ok: true; patient: ValidPatient };
    const idempotencyKey = key();
    const fingerprint = cipher.fingerprint(
      JSON.stringify(['CONFIRM', publicId, valid.patient, null]),
    );
    await graph.scheduling.ledger.claimKey(owner, idempotencyKey, 'CONFIRM', fingerprint, row.id, {
      holder: 'killed-instance:1',
      until: new Date(Date.now() + 200),
    });
    if (afterPending) {
      await graph.scheduling.ledger.transition(row.id, {
        from: ['HELD'],
        version: row.version,
        to: 'PENDING',
        pendingOperation: 'CONFIRM',
        resumeStatus: 'HELD',
        operation: 'CONFIRM',
        patientSealed: cipher.encrypt(valid.patient),
      });
    }
    return { publicId, idempotencyKey };
  }

  for (const [when, afterPending] of [
    ['before it wrote anything', false],
    ['after it recorded the confirmation as PENDING', true],
  ] as const) {
    it(`answers a repeated confirmation, killed ${when}, CONFIRMED at once and books once`, async () => {
      const { publicId, idempotencyKey } = await confirmationKilled(afterPending);
      const before = (await apiBookings()).length;
      const started = Date.now();
      const { data, errors } = await graph.execute(confirm, {
        input: { reservationId: publicId, patient, idempotencyKey },
      });
      expect(errors).toBeUndefined();
      expect(data.confirmReservation).toEqual({
        __typename: 'ReservationResult',
        reservation: { id: publicId, status: 'CONFIRMED' },
      });
      expect(Date.now() - started).toBeLessThan(replayWaitMs);
      expect((await apiBookings()).length).toBe(before + 1);
      // The outcome is the key's now: the next repeat answers it without a provider call.
      const again = await graph.execute(confirm, {
        input: { reservationId: publicId, patient, idempotencyKey },
      });
      expect(again.data.confirmReservation.reservation.status).toBe('CONFIRMED');
      expect((await apiBookings()).length).toBe(before + 1);
    });
  }

  it('answers a repeated reserveSlot, killed while its booking was PENDING, CONFIRMED at once', async () => {
    const slotId = freeSlots.shift()!;
    const idempotencyKey = key();
    const reservationId = crypto.randomUUID();
    const fingerprint = cipher.fingerprint(JSON.stringify(['RESERVE', slotId, valid, null]));
    await graph.scheduling.ledger.claimKey(
      owner,
      idempotencyKey,
      'RESERVE',
      fingerprint,
      reservationId,
      {
        holder: killedClaim.holder,
        until: killedClaim.until(),
      },
    );
    const slot = local(slotId);
    await graph.scheduling.ledger.insert({
      id: reservationId,
      clientId: owner.clientId,
      connectionId: slot.connectionId,
      slotId: slot.id,
      status: 'PENDING',
      pendingOperation: 'BOOK',
      holdKind: null,
      expiresAt: null,
      snapshot: {
        clinicId: 'unknown',
        start: new Date().toISOString(),
        end: new Date().toISOString(),
        treatmentIds: [],
        requestedTreatmentId: null,
        practitioner: null,
      },
      patientSealed: cipher.encrypt(valid),
      rescheduledFrom: null,
    });
    const before = (await apiBookings()).length;
    const started = Date.now();
    const { data } = await graph.execute(reserve, { input: { slotId, patient, idempotencyKey } });
    expect(data.reserveSlot.__typename).toBe('ReservationResult');
    expect(local(data.reserveSlot.reservation.id).id).toBe(reservationId);
    expect(data.reserveSlot.reservation.status).toBe('CONFIRMED');
    expect(Date.now() - started).toBeLessThan(replayWaitMs);
    expect((await apiBookings()).length).toBe(before + 1);
  });

  it('answers a repeated cancellation, killed while it was PENDING, CANCELLED at once', async () => {
    const { data: booked } = await graph.execute(reserve, {
      input: { slotId: freeSlots.shift(), patient, idempotencyKey: key() },
    });
    const publicId: string = booked.reserveSlot.reservation.id;
    const row = (await graph.scheduling.ledger.find(local(publicId).id))!;
    expect(row.status).toBe('CONFIRMED');
    const idempotencyKey = key();
    const fingerprint = cipher.fingerprint(JSON.stringify(['CANCEL', publicId, null]));
    await graph.scheduling.ledger.claimKey(owner, idempotencyKey, 'CANCEL', fingerprint, row.id, {
      holder: killedClaim.holder,
      until: killedClaim.until(),
    });
    await graph.scheduling.ledger.transition(row.id, {
      from: ['CONFIRMED'],
      version: row.version,
      to: 'PENDING',
      pendingOperation: 'CANCEL',
      resumeStatus: 'CONFIRMED',
      operation: 'CANCEL',
    });
    const cancelledBefore = (await apiBookings('cancelled')).length;
    const started = Date.now();
    const { data } = await graph.execute(cancel, {
      input: { reservationId: publicId, idempotencyKey },
    });
    expect(data.cancelReservation).toEqual({
      __typename: 'ReservationResult',
      reservation: { id: publicId, status: 'CANCELLED' },
    });
    expect(Date.now() - started).toBeLessThan(replayWaitMs);
    expect((await apiBookings('cancelled')).length).toBe(cancelledBefore + 1);
  });

  it('answers a repeated reschedule, killed while its new booking was PENDING, with the move finished', async () => {
    const { data: booked } = await graph.execute(reserve, {
      input: { slotId: freeSlots.shift(), patient, idempotencyKey: key() },
    });
    const oldId: string = booked.reserveSlot.reservation.id;
    const old = (await graph.scheduling.ledger.find(local(oldId).id))!;
    const newSlotId = freeSlots.shift()!;
    const idempotencyKey = key();
    const fingerprint = cipher.fingerprint(JSON.stringify(['RESCHEDULE', oldId, newSlotId]));
    await graph.scheduling.ledger.claimKey(
      owner,
      idempotencyKey,
      'RESCHEDULE',
      fingerprint,
      old.id,
      {
        holder: killedClaim.holder,
        until: killedClaim.until(),
      },
    );
    const slot = local(newSlotId);
    const replacement = (await graph.scheduling.ledger.insert({
      clientId: owner.clientId,
      connectionId: slot.connectionId,
      slotId: slot.id,
      status: 'PENDING',
      pendingOperation: 'BOOK',
      holdKind: null,
      expiresAt: null,
      snapshot: old.slot_snapshot,
      patientSealed: old.patient_sealed,
      rescheduledFrom: old.id,
    }))!;
    const started = Date.now();
    const { data } = await graph.execute(reschedule, {
      input: { reservationId: oldId, newSlotId, idempotencyKey },
    });
    const moved = data.rescheduleReservation.reservation;
    expect(local(moved.id).id).toBe(replacement.id);
    expect(moved).toMatchObject({
      status: 'CONFIRMED',
      rescheduledFrom: { id: oldId, status: 'CANCELLED' },
    });
    expect(Date.now() - started).toBeLessThan(replayWaitMs);
  });
});
