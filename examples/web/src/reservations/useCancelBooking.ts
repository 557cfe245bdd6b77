import { useMutation } from '@apollo/client/react';
import { AvailabilityDocument, CancelReservationDocument } from '@varden/booking-sdk/documents';
import { useRef, useState } from 'react';
import { createIntentKeys } from '../booking/createIntentKeys.js';

/** What became of the last cancellation, for the patient. */
export type CancelOutcome =
  | { kind: 'cancelled' }
  | { kind: 'refused'; message: string }
  | { kind: 'provider-unavailable'; providerName: string; retryAfterSeconds: number | null }
  | { kind: 'api-error'; error: unknown };

/**
 * Cancels one of the patient's bookings. The answer's reservation replaces the cached one (the
 * cache keys reservations by id), so every list showing it shows it cancelled. A retry of a
 * cancellation whose answer was lost carries the same idempotency key.
 */
export function useCancelBooking() {
  const [cancelReservation] = useMutation(CancelReservationDocument, {
    // The slot is offered again: a list of free times showing the window shows it again.
    refetchQueries: [AvailabilityDocument],
  });
  const keys = useRef(createIntentKeys()).current;
  const [busyId, setBusyId] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ id: string; outcome: CancelOutcome } | null>(null);

  async function cancel(reservationId: string) {
    setBusyId(reservationId);
    setOutcome(null);
    const idempotencyKey = keys.keyFor(reservationId);
    const settle = (next: CancelOutcome) => {
      setOutcome({ id: reservationId, outcome: next });
      setBusyId(null);
    };
    try {
      const { data } = await cancelReservation({
        variables: {
          input: { reservationId, idempotencyKey, reason: 'Cancelled by the patient' },
        },
      });
      const result = data!.cancelReservation;
      if (result.__typename === 'ProviderUnavailable') {
        return settle({
          kind: 'provider-unavailable',
          providerName: result.provider.name,
          retryAfterSeconds: result.retryAfterSeconds,
        });
      }
      keys.forget();
      settle(
        result.__typename === 'ReservationResult'
          ? { kind: 'cancelled' }
          : { kind: 'refused', message: result.message },
      );
    } catch (error) {
      settle({ kind: 'api-error', error });
    }
  }

  return { cancel, busyId, outcome };
}
