import type { ReservationRecord } from '../../access/ledger/createLedger.js';
import type { BookingResult, ProviderAnswer } from '../../access/providers/createProviderAccess.js';
import {
  holdLapsed,
  madeAs,
  type ProviderVerdict,
  repeatVerdict,
  settleStep,
} from '../../engines/reservationRules.js';
import {
  answer,
  invalid,
  type Outcome,
  providerUnavailable,
  type ReservationContext,
  refused,
  reservationPublicId,
  slotTaken,
} from './reservationContext.js';

/** Public path of a provider's complaint about a patient field, e.g. `patient.email`. */
function publicField(field: string | null): string {
  if (!field) return 'patient';
  if (field.startsWith('patient.') || field === 'patient') return field;
  return `patient.${field}`;
}

function verdictOf(reply: ProviderAnswer<BookingResult>): ProviderVerdict {
  if (reply.kind !== 'answered') return { kind: reply.kind };
  const { booking, error } = reply.data;
  if (booking) return { kind: 'booking', status: madeAs(booking.status) };
  return {
    kind: 'failed',
    code: error?.code ?? 'PROVIDER_UNAVAILABLE',
    hasBookingUrl: Boolean(error?.bookingUrl),
  };
}

/**
 * Records what a provider said about a PENDING reservation (`engines/reservationRules.ts` decides
 * its next state and the public result) and turns it into the result. `onFailure` is where the
 * reservation goes back to when the provider did nothing, and the slot the result names;
 * `onlyBookingSettles` keeps it PENDING unless the provider answers a booking (a repeat sent
 * because a look-up could not tell).
 */
export async function settle(
  context: ReservationContext,
  row: ReservationRecord,
  reply: ProviderAnswer<BookingResult>,
  onFailure: { status: 'FAILED' | 'HELD' | 'CONFIRMED'; slotId: string },
  onlyBookingSettles = false,
): Promise<Outcome> {
  const { ledger } = context;
  const verdict = repeatVerdict(verdictOf(reply), onlyBookingSettles);
  const step = settleStep(verdict, row.pending_operation, onFailure.status);
  if (step.to === null) {
    // The provider may have acted: leave the row PENDING for the reconciler to settle.
    context.logger.warn(
      { reservation: row.id, operation: row.pending_operation },
      'provider outcome unknown',
    );
    return answer(row);
  }
  const data = reply.kind === 'answered' ? reply.data : null;
  const booking = data?.booking;
  const updated = await ledger.transition(row.id, {
    from: ['PENDING'],
    version: row.version,
    to: step.to,
    operation: step.operation,
    failureReason: step.failureReason,
    providerReference: booking?.providerReference,
    ...(booking &&
      step.to === 'HELD' && { expiresAt: booking.expiresAt ? new Date(booking.expiresAt) : null }),
  });
  const error = data?.error;
  const message = error?.message ?? 'the provider refused';
  switch (step.outcome) {
    case 'ReservationResult': {
      const current = updated ?? (await ledger.find(row.id))!;
      if (current.status === 'CONFIRMED' && current.rescheduled_from) {
        await context.finishReschedule(current);
      }
      return answer(current);
    }
    case 'SlotUnavailable':
      return slotTaken(onFailure.slotId);
    case 'HoldExpired':
      return refused(holdLapsed, reservationPublicId(row));
    case 'InvalidInput':
      return invalid(publicField(error?.field ?? null), 'the provider rejected this value');
    case 'NotCancellable':
      return refused({ outcome: 'NotCancellable', message }, reservationPublicId(row));
    case 'BookingByLink':
      return {
        __typename: 'BookingByLink',
        message,
        bookingUrl: error!.bookingUrl!,
        slotId: onFailure.slotId,
      };
    default:
      return providerUnavailable(
        row.connection_id,
        reply.kind === 'refused'
          ? 'the provider did not take the request; nothing was changed'
          : message,
      );
  }
}
