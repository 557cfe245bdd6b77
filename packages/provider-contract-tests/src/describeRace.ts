import { describe, expect, it } from 'vitest';
import {
  type BookingResult,
  resultFields,
  type SuiteContext,
  testPatient,
} from './suiteContext.js';

/** How many clients book the one slot at once. */
const contenders = 5;

/**
 * Concurrent bookings of one slot under different reservation ids: the provider's system must
 * let exactly one win, and the adapter must tell every other caller the slot is taken.
 */
export function describeRace(suite: SuiteContext): void {
  describe('race', () => {
    it(`lets exactly one of ${contenders} concurrent bookings of one slot win; the others get SLOT_UNAVAILABLE`, async (context) => {
      const [connection] = suite.writingWith(context, 'API_BOOKING');
      const slot = await suite.freeSlot(connection!.id);
      const ids = Array.from({ length: contenders }, () => suite.reservationId());
      const answers = await Promise.all(
        ids.map((reservationId) =>
          suite.graphql<{ contractBook: BookingResult }>(
            `mutation ($input: ContractBookInput!) { contractBook(input: $input) { ${resultFields} } }`,
            {
              input: {
                connectionId: connection!.id,
                slotId: slot.id,
                reservationId,
                patient: testPatient,
              },
            },
          ),
        ),
      );
      for (const answer of answers) expect(answer.errors).toBeUndefined();
      const results = answers.map((answer) => answer.data!.contractBook);
      const winners = results.filter((r) => r.booking?.status === 'BOOKED');
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => r.error?.code === 'SLOT_UNAVAILABLE')).toHaveLength(
        contenders - 1,
      );
      const winner = winners[0]!.booking!;
      expect(await suite.lookUp(connection!.id, winner.reservationId)).toMatchObject({
        status: 'FOUND',
        booking: { status: 'BOOKED', providerReference: winner.providerReference },
      });
      for (const id of ids.filter((id) => id !== winner.reservationId)) {
        expect((await suite.lookUp(connection!.id, id)).status).not.toBe('FOUND');
      }
      expect(await suite.slotState(connection!.id, slot.id)).toBe('BOOKED');
    });
  });
}
