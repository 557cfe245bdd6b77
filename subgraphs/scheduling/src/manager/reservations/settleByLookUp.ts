import type { ReservationRecord } from '../../access/ledger/createLedger.js';
import { type LookUpAnswer, madeAs, reconcileStep } from '../../engines/reservationRules.js';
import { cancelAtProvider } from './cancelAtProvider.js';
import { repeatBooking } from './repeatBooking.js';
import type { ReservationContext } from './reservationContext.js';

/** What settling a PENDING reservation by look-up came to. */
export interface LookUpSettlement {
  /** What the provider said: its booking's status, `NOT_BOOKED`, or `UNKNOWN`. */
  found: LookUpAnswer;
  /** Why the provider could not tell, for `UNKNOWN`: its reason, or why it was not answered. */
  reason: string | null;
  /** The reservation as the ledger holds it afterwards: still PENDING when nothing settled it. */
  row: ReservationRecord;
}

/**
 * Settles a PENDING reservation by looking it up at its provider by the reservation id, as
 * `reconcileStep` decides: records what the provider has, books or confirms again by the same id,
 * or finishes the pending cancellation by cancelling what the provider has. A provider that
 * cannot tell (or does not answer) leaves it PENDING. Only for a reservation no call is in flight
 * for any more (older than the longest deadline): the reconciler's rows, and a cancel's.
 */
export async function settleByLookUp(
  context: ReservationContext,
  row: ReservationRecord,
): Promise<LookUpSettlement> {
  const { ledger } = context;
  const entry = context.directory.get(row.connection_id);
  const lookup = entry ? await context.providers.findBooking(entry, row.id) : null;
  const answered = lookup?.kind === 'answered' ? lookup.data : null;
  const booking = answered?.booking ?? null;
  const found: LookUpAnswer =
    answered?.status === 'FOUND' && booking
      ? madeAs(booking.status)
      : answered?.status === 'NOT_BOOKED'
        ? 'NOT_BOOKED'
        : 'UNKNOWN';
  const reason =
    found !== 'UNKNOWN'
      ? null
      : !lookup
        ? 'the provider is not connected'
        : lookup.kind === 'answered'
          ? (lookup.data.reason ?? 'the provider cannot tell')
          : `${lookup.failure.code}: the look-up was not answered`;
  const step = reconcileStep(
    {
      pending: row.pending_operation,
      holdKind: row.hold_kind,
      expiresAtMs: row.expires_at?.getTime() ?? null,
      hasPatient: Boolean(row.patient_sealed),
    },
    found,
    context.now(),
  );
  if (step.step === 'repeat') {
    await repeatBooking(context, row, step.onlyBookingSettles);
  } else if (step.step === 'transition') {
    const changed = await ledger.transition(row.id, {
      from: ['PENDING'],
      version: row.version,
      detail: { reconciled: true },
      to: step.to,
      operation: 'RECONCILE',
      failureReason: step.failureReason,
      ...(step.records !== 'nothing' && { providerReference: booking?.providerReference }),
      ...(step.records === 'hold' && {
        expiresAt: booking?.expiresAt ? new Date(booking.expiresAt) : row.expires_at,
      }),
    });
    if (step.after === 'finishReschedule' && changed?.rescheduled_from) {
      await context.finishReschedule(changed);
    }
    // Still there: recorded as the provider has it; cancel again (providers cancel idempotently).
    if (step.after === 'cancelAgain' && changed) {
      await cancelAtProvider(context, changed, 'cancelled');
    }
  }
  return { found, reason, row: (await ledger.find(row.id)) ?? row };
}
