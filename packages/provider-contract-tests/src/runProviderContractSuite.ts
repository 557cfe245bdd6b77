import { findTreatment } from '@booking/catalogue';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { createContractClient } from './createContractClient.js';
import { describeClinicChanges } from './describeClinicChanges.js';
import { describeFaults } from './describeFaults.js';
import { describeMadeUpIds } from './describeMadeUpIds.js';
import { describeRace } from './describeRace.js';
import { describeRoundTrips } from './describeRoundTrips.js';
import { nextDstChange } from './nextDstChange.js';
import type {
  ContractSuiteOptions,
  ProviderUnderTest,
  RunningProvider,
} from './providerUnderTest.js';
import { type Connection, type Slot, type SuiteContext, testPatient } from './suiteContext.js';

/** The suite runs with this clock: a week before the autumn DST change of 2026 (25 October). */
export const contractSuiteNow = new Date('2026-10-19T08:00:00Z');

/**
 * The contract test kit: one suite that every provider subgraph passes against its simulator. It
 * speaks only the provider contract over HTTP (as scheduling does), checks what every provider must
 * do, and checks by capability what it may do — or that it refuses cleanly.
 */
export function runProviderContractSuite(
  provider: ProviderUnderTest,
  options: ContractSuiteOptions = {},
): void {
  const now = options.now ?? contractSuiteNow;
  describe(`provider contract: ${provider.system}`, () => {
    let running: RunningProvider;
    let connections: Connection[];
    let reservationCounter = 0;
    const reservationId = () =>
      `00000000-0000-4000-8000-${String(Date.now() % 1e6).padStart(6, '0')}${String(++reservationCounter).padStart(6, '0')}`;

    const client = createContractClient(() => running.graphqlUrl);
    const { graphql, findSlots, mutate, slotState, lookUp } = client;
    const weekFrom = () => new Date(now.getTime() + 24 * 3600_000);
    const weekTo = () => new Date(now.getTime() + 8 * 24 * 3600_000);
    /** A pool of free slots per connection, handed out one per test so tests do not collide. */
    const pools = new Map<string, Slot[]>();
    async function freeSlot(connectionId: string): Promise<Slot> {
      if (!pools.has(connectionId))
        pools.set(connectionId, await findSlots(connectionId, weekFrom(), weekTo()));
      const slot = pools.get(connectionId)!.shift();
      if (!slot) throw new Error(`no free slot left for ${connectionId}`);
      return slot;
    }
    /**
     * The connections a capability's test applies to; when none does, the test is reported as
     * skipped with the reason, never as passed without having checked anything.
     */
    const applying = (context: TestContext, chosen: Connection[], reason: string) => {
      if (chosen.length === 0) context.skip(`${provider.system}: ${reason}`);
      return chosen;
    };
    const withCapability = (context: TestContext, capability: string) =>
      applying(
        context,
        connections.filter((c) => c.capabilities.includes(capability)),
        `no connection has ${capability}`,
      );
    /** `withCapability` for a check that writes: skipped with the run's reason when it must not. */
    const writingWith = (context: TestContext, capability: string) => {
      if (options.skipWrites) context.skip(`${provider.system}: ${options.skipWrites}`);
      return withCapability(context, capability);
    };
    const suite: SuiteContext = {
      system: provider.system,
      now,
      running: () => running,
      connections: () => connections,
      graphql,
      findSlots,
      mutate,
      slotState,
      lookUp,
      freeSlot,
      reservationId,
      applying,
      writingWith,
    };

    beforeAll(async () => {
      running = await provider.start({ now });
      connections = await client.connections();
    }, 60_000);
    afterAll(async () => {
      await running?.stop();
    });

    describe('describe', () => {
      it('lists every connection it serves, available, with capabilities and a catalogue', () => {
        expect(connections.map((c) => c.id).sort()).toEqual([...running.connectionIds].sort());
        for (const connection of connections) {
          expect(connection.system).toBe(provider.system);
          expect(connection.id.startsWith(`${provider.system}-`)).toBe(true);
          expect(connection.unavailableReason).toBeNull();
          expect(connection.capabilities.length).toBeGreaterThan(0);
          expect(connection.clinics.length).toBeGreaterThan(0);
          expect(connection.treatments.length).toBeGreaterThan(0);
        }
      });

      it('maps every treatment and clinic offering to the platform catalogue, with IANA time zones', () => {
        for (const connection of connections) {
          for (const treatment of connection.treatments)
            expect(findTreatment(treatment.id)).toBeDefined();
          for (const clinic of connection.clinics) {
            expect(DateTime.now().setZone(clinic.timeZone).isValid).toBe(true);
            for (const id of clinic.treatmentIds) expect(findTreatment(id)).toBeDefined();
          }
        }
      });
    });

    describe('find', () => {
      it('returns slots in [from, to), ordered by start then id, at known clinics, ending after they start', async () => {
        for (const connection of connections) {
          const from = weekFrom();
          const to = weekTo();
          const slots = await findSlots(connection.id, from, to);
          expect(slots.length).toBeGreaterThan(0);
          const clinicIds = new Set(connection.clinics.map((c) => c.id));
          for (const [i, slot] of slots.entries()) {
            const start = Date.parse(slot.start);
            expect(slot.start).toMatch(/Z$/);
            expect(start).toBeGreaterThanOrEqual(from.getTime());
            expect(start).toBeLessThan(to.getTime());
            expect(Date.parse(slot.end)).toBeGreaterThan(start);
            expect(clinicIds.has(slot.clinicId)).toBe(true);
            for (const id of slot.treatmentIds) expect(findTreatment(id)).toBeDefined();
            const previous = slots[i - 1];
            if (previous) {
              const order = Date.parse(previous.start) - start || (previous.id < slot.id ? -1 : 1);
              expect(order).toBeLessThan(0);
            }
          }
        }
      });

      it('narrows by clinic and by treatment', async () => {
        const connection = connections[0]!;
        const clinic = connection.clinics.find((c) => c.treatmentIds.length > 0)!;
        const byClinic = await findSlots(connection.id, weekFrom(), weekTo(), {
          clinicIds: [clinic.id],
        });
        expect(byClinic.every((s) => s.clinicId === clinic.id)).toBe(true);
        const treatmentId = clinic.treatmentIds[0]!;
        const byTreatment = await findSlots(connection.id, weekFrom(), weekTo(), { treatmentId });
        expect(byTreatment.every((s) => s.treatmentIds.includes(treatmentId))).toBe(true);
      });

      it('keeps local opening times across the next DST change (same wall clock before and after)', async (context) => {
        const zoneOfAll = connections[0]?.clinics[0]?.timeZone ?? 'Europe/Stockholm';
        // Within the week the suite searches: a provider's book may not reach further.
        const change = nextDstChange(now, zoneOfAll, 8);
        if (!change)
          context.skip(`${provider.system}: no DST change in ${zoneOfAll} within 8 days`);
        // The Friday before a Sunday change (the old offset) and the Monday after (the new one).
        const dayBefore = change!.minus({ days: 2 });
        const dayAfter = change!.plus({ days: 1 });
        const [before, after] = [dayBefore.toFormat('yyyy-MM-dd'), dayAfter.toFormat('yyyy-MM-dd')];
        for (const connection of connections) {
          const slots = await findSlots(
            connection.id,
            dayBefore.startOf('day').toJSDate(),
            dayAfter.endOf('day').toJSDate(),
          );
          const zone = new Map(connection.clinics.map((c) => [c.id, c.timeZone]));
          const firstLocal = new Map<string, string>();
          for (const slot of slots) {
            const local = DateTime.fromISO(slot.start, {
              zone: zone.get(slot.clinicId) ?? 'Europe/Stockholm',
            });
            const day = local.toFormat('yyyy-MM-dd');
            if (day !== before && day !== after) continue;
            const key = `${slot.clinicId}|${slot.practitioner?.id ?? ''}|${day}`;
            const time = local.toFormat('HH:mm');
            if (!firstLocal.has(key) || time < firstLocal.get(key)!) firstLocal.set(key, time);
          }
          const firstBefore = new Map(
            [...firstLocal]
              .filter(([k]) => k.endsWith(before))
              .map(([k, v]) => [k.slice(0, -11), v]),
          );
          const firstAfter = new Map(
            [...firstLocal]
              .filter(([k]) => k.endsWith(after))
              .map(([k, v]) => [k.slice(0, -11), v]),
          );
          const both = [...firstBefore.keys()].filter((k) => firstAfter.has(k));
          expect(both.length).toBeGreaterThan(0);
          const same = both.filter((k) => firstBefore.get(k) === firstAfter.get(k));
          // A schedule may change, but a conversion that ignores DST would shift every one by an hour.
          expect(same.length).toBeGreaterThan(both.length / 2);
        }
      });

      it('rejects an unknown connection with UNKNOWN_CONNECTION', async () => {
        const result = await graphql(
          'query ($input: ContractSlotsInput!) { contractSlots(input: $input) { id } }',
          {
            input: {
              connectionId: `${provider.system}-does-not-exist`,
              from: weekFrom().toISOString(),
              to: weekTo().toISOString(),
            },
          },
        );
        expect(result.errors?.[0]?.extensions?.code).toBe('UNKNOWN_CONNECTION');
      });

      it('tells the state of a slot, and null for one it does not know', async () => {
        const connection = connections[0]!;
        const slot = await freeSlot(connection.id);
        expect(await slotState(connection.id, slot.id)).toBe('FREE');
        expect(await slotState(connection.id, `${slot.id}-unknown`)).toBeNull();
      });
    });

    describe('look-up by reservation id', () => {
      it('answers a reservation id it never saw as NOT_BOOKED or UNKNOWN with a reason, never a booking', async () => {
        for (const connection of connections) {
          const answer = await lookUp(connection.id, reservationId());
          expect(answer.booking).toBeNull();
          if (answer.status === 'UNKNOWN') expect(answer.reason).toMatch(/\S/);
          else expect(answer).toEqual({ status: 'NOT_BOOKED', booking: null, reason: null });
        }
      });
    });

    describe('booking, by capability', () => {
      it('books idempotently by reservation id, refuses a second reservation, and finds the booking by id', async (context) => {
        for (const connection of writingWith(context, 'API_BOOKING')) {
          const slot = await freeSlot(connection.id);
          const id = reservationId();
          const input = {
            connectionId: connection.id,
            slotId: slot.id,
            reservationId: id,
            patient: testPatient,
          };
          const first = await mutate('contractBook', input);
          expect(first.error).toBeNull();
          expect(first.booking).toMatchObject({
            reservationId: id,
            slotId: slot.id,
            status: 'BOOKED',
          });
          const again = await mutate('contractBook', input);
          expect(again.booking?.providerReference).toBe(first.booking?.providerReference);
          const other = await mutate('contractBook', { ...input, reservationId: reservationId() });
          expect(other.error?.code).toBe('SLOT_UNAVAILABLE');
          expect(await slotState(connection.id, slot.id)).toBe('BOOKED');
          expect(await lookUp(connection.id, id)).toMatchObject({
            status: 'FOUND',
            booking: { status: 'BOOKED', providerReference: first.booking?.providerReference },
          });
          // The refused second reservation: whatever the provider answers, it is not a booking.
          expect((await lookUp(connection.id, reservationId())).status).not.toBe('FOUND');
        }
      });

      it('refuses a slot another client of the provider took', async (context) => {
        const chosen = writingWith(context, 'API_BOOKING');
        const takeElsewhere = running.takeSlotElsewhere;
        if (!takeElsewhere) context.skip(`${provider.system}: no other client to take a slot`);
        for (const connection of chosen) {
          const slot = await freeSlot(connection.id);
          await takeElsewhere!.call(running, connection.id, slot.id);
          const result = await mutate('contractBook', {
            connectionId: connection.id,
            slotId: slot.id,
            reservationId: reservationId(),
            patient: testPatient,
          });
          expect(result.error?.code).toBe('SLOT_UNAVAILABLE');
        }
      });

      it('cancels a booking and offers the slot again', async (context) => {
        for (const connection of writingWith(context, 'CANCEL')) {
          const slot = await freeSlot(connection.id);
          const id = reservationId();
          const booked = await mutate('contractBook', {
            connectionId: connection.id,
            slotId: slot.id,
            reservationId: id,
            patient: testPatient,
          });
          const cancelled = await mutate('contractCancel', {
            connectionId: connection.id,
            reservationId: id,
            providerReference: booked.booking!.providerReference,
          });
          expect(cancelled.booking?.status).toBe('CANCELLED');
          expect(await slotState(connection.id, slot.id)).toBe('FREE');
          // The cancelled booking, or none at all for a vendor that forgets cancelled bookings.
          const after = await lookUp(connection.id, id);
          expect(after.status === 'FOUND' ? after.booking?.status : after.status).toMatch(
            /^(CANCELLED|NOT_BOOKED)$/,
          );
        }
      });

      it('holds, confirms and cancels where the provider holds slots', async (context) => {
        for (const connection of writingWith(context, 'HOLDS')) {
          const slot = await freeSlot(connection.id);
          const id = reservationId();
          const held = await mutate('contractHold', {
            connectionId: connection.id,
            slotId: slot.id,
            reservationId: id,
          });
          expect(held.booking).toMatchObject({ status: 'HELD', reservationId: id });
          expect(Date.parse(held.booking!.expiresAt!)).toBeGreaterThan(now.getTime());
          expect(await slotState(connection.id, slot.id)).toBe('HELD');
          expect((await lookUp(connection.id, id)).booking?.status).toBe('HELD');
          const taken = await mutate('contractHold', {
            connectionId: connection.id,
            slotId: slot.id,
            reservationId: reservationId(),
          });
          expect(taken.error?.code).toBe('SLOT_UNAVAILABLE');
          const confirmed = await mutate('contractConfirm', {
            connectionId: connection.id,
            reservationId: id,
            providerReference: held.booking!.providerReference,
            patient: testPatient,
          });
          expect(confirmed.booking?.status).toBe('BOOKED');
          expect((await lookUp(connection.id, id)).booking?.status).toBe('BOOKED');
          const cancelled = await mutate('contractCancel', {
            connectionId: connection.id,
            reservationId: id,
            providerReference: confirmed.booking!.providerReference,
          });
          expect(cancelled.booking?.status).toBe('CANCELLED');
        }
      });

      it('answers UNSUPPORTED to a hold where the provider has no holds', async (context) => {
        const bookingByApiWithoutHolds = connections.filter(
          (c) => !c.capabilities.includes('HOLDS') && !c.capabilities.includes('DEEP_LINK_ONLY'),
        );
        const reason = 'every connection holds slots or books by deep link';
        if (options.skipWrites) context.skip(`${provider.system}: ${options.skipWrites}`);
        for (const connection of applying(context, bookingByApiWithoutHolds, reason)) {
          const slot = await freeSlot(connection.id);
          const result = await mutate('contractHold', {
            connectionId: connection.id,
            slotId: slot.id,
            reservationId: reservationId(),
          });
          expect(result.error?.code).toBe('UNSUPPORTED');
          expect(await slotState(connection.id, slot.id)).toBe('FREE');
        }
      });

      it('answers BOOKING_BY_LINK with the slot’s URL where booking is by deep link only', async (context) => {
        if (options.skipWrites) context.skip(`${provider.system}: ${options.skipWrites}`);
        for (const connection of withCapability(context, 'DEEP_LINK_ONLY')) {
          const slot = await freeSlot(connection.id);
          expect(slot.bookingUrl).toMatch(/^https?:\/\//);
          for (const name of ['contractHold', 'contractBook'] as const) {
            const input =
              name === 'contractHold'
                ? { connectionId: connection.id, slotId: slot.id, reservationId: reservationId() }
                : {
                    connectionId: connection.id,
                    slotId: slot.id,
                    reservationId: reservationId(),
                    patient: testPatient,
                  };
            const result = await mutate(name, input);
            expect(result.error).toMatchObject({
              code: 'BOOKING_BY_LINK',
              bookingUrl: slot.bookingUrl,
            });
          }
        }
      });
    });

    describeMadeUpIds(suite);
    describeRoundTrips(suite);
    describeFaults(suite);
    describeRace(suite);
    describeClinicChanges(suite);
  });
}
