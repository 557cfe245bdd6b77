import { useApolloClient, useMutation } from '@apollo/client/react';
import type {
  ConfirmReservationMutation,
  HoldSlotMutation,
  PatientInput,
  ReservationDetailsFragment,
  SlotSummaryFragment,
} from '@varden/booking-sdk';
import {
  AvailabilityDocument,
  CancelReservationDocument,
  ConfirmReservationDocument,
  HoldSlotDocument,
  MyReservationsDocument,
} from '@varden/booking-sdk/documents';
import { useRef, useState } from 'react';
import { createIntentKeys } from './createIntentKeys.js';

/** Where the patient is in booking one slot. */
export type BookingStep =
  | { kind: 'idle' }
  | { kind: 'holding'; slot: SlotSummaryFragment }
  | { kind: 'held'; reservation: ReservationDetailsFragment }
  | { kind: 'confirming'; reservation: ReservationDetailsFragment }
  | { kind: 'confirmed'; reservation: ReservationDetailsFragment };

/** An outcome the patient is told about beside the step, and what they can do about it. */
export type BookingNotice =
  | { kind: 'slot-taken' }
  | { kind: 'book-on-site'; message: string; bookingUrl: string }
  | { kind: 'provider-unavailable'; providerName: string; retryAfterSeconds: number | null }
  | { kind: 'hold-expired' }
  | { kind: 'refused'; message: string }
  /** The API call itself failed (network, sign-in, …): retrying repeats it with the same key. */
  | { kind: 'api-error'; error: unknown };

/** A field of the patient form the API refused, with its reason. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * The booking of one slot: hold it, confirm it with the patient's details, or let it go. Each
 * call carries the idempotency key of its intent (this slot; this reservation with these
 * details), kept across retries, so a retry after a lost answer never books twice. Every member
 * of each result union is handled: a slot taken meanwhile refreshes the list, a confirmation
 * that cannot go through releases the hold, a provider that does not answer can be retried.
 */
export function useBookingFlow() {
  const client = useApolloClient();
  const [holdSlot] = useMutation(HoldSlotDocument);
  const [confirmReservation] = useMutation(ConfirmReservationDocument);
  const [cancelReservation] = useMutation(CancelReservationDocument);
  const keys = useRef({
    hold: createIntentKeys(),
    confirm: createIntentKeys(),
    release: createIntentKeys(),
  }).current;
  const [step, setStep] = useState<BookingStep>({ kind: 'idle' });
  const [notice, setNotice] = useState<BookingNotice | null>(null);
  const [fieldProblem, setFieldProblem] = useState<FieldProblem | null>(null);
  /** What to repeat after a failure that a retry may cure. */
  const [retry, setRetry] = useState<(() => void) | null>(null);

  // A list whose refresh fails shows the error itself (the query's own error); nothing to add.
  const refreshMyBookings = () =>
    client.refetchQueries({ include: [MyReservationsDocument] }).catch(() => undefined);
  const refreshSlots = () =>
    client.refetchQueries({ include: [AvailabilityDocument] }).catch(() => undefined);

  /** Shows what happened, and what a retry would repeat. */
  function tell(next: BookingNotice | null, again: (() => void) | null = null) {
    setNotice(next);
    setRetry(() => again);
    setFieldProblem(null);
  }

  /** Lets a held reservation go, so that the slot is offered again. */
  async function release(reservation: ReservationDetailsFragment, reason: string) {
    const idempotencyKey = keys.release.keyFor(reservation.id);
    try {
      await cancelReservation({
        variables: { input: { reservationId: reservation.id, idempotencyKey, reason } },
      });
      keys.release.forget();
    } catch {
      // The hold lapses by itself at `expiresAt`; the patient has nothing to do about it.
    }
    void refreshMyBookings();
  }

  async function hold(slot: SlotSummaryFragment) {
    if (step.kind === 'held') await release(step.reservation, 'The patient chose another time');
    setStep({ kind: 'holding', slot });
    tell(null);
    const idempotencyKey = keys.hold.keyFor(slot.id);
    let result: HoldSlotMutation['holdSlot'];
    try {
      const { data } = await holdSlot({
        variables: { input: { slotId: slot.id, idempotencyKey } },
      });
      result = data!.holdSlot;
    } catch (error) {
      setStep({ kind: 'idle' });
      return tell({ kind: 'api-error', error }, () => void hold(slot));
    }
    if (result.__typename === 'ProviderUnavailable') {
      setStep({ kind: 'idle' });
      return tell(
        {
          kind: 'provider-unavailable',
          providerName: result.provider.name,
          retryAfterSeconds: result.retryAfterSeconds,
        },
        () => void hold(slot),
      );
    }
    keys.hold.forget();
    switch (result.__typename) {
      case 'ReservationResult':
        setStep({ kind: 'held', reservation: result.reservation });
        void refreshMyBookings();
        return;
      case 'SlotUnavailable':
        setStep({ kind: 'idle' });
        tell({ kind: 'slot-taken' });
        void refreshSlots();
        return;
      case 'BookingByLink':
        setStep({ kind: 'idle' });
        return tell({
          kind: 'book-on-site',
          message: result.message,
          bookingUrl: result.bookingUrl,
        });
      case 'InvalidInput':
      case 'IdempotencyConflict':
        setStep({ kind: 'idle' });
        return tell({ kind: 'refused', message: result.message });
    }
  }

  async function confirm(reservation: ReservationDetailsFragment, patient: PatientInput) {
    setStep({ kind: 'confirming', reservation });
    tell(null);
    const idempotencyKey = keys.confirm.keyFor({ reservationId: reservation.id, patient });
    let result: ConfirmReservationMutation['confirmReservation'];
    try {
      const { data } = await confirmReservation({
        variables: { input: { reservationId: reservation.id, idempotencyKey, patient } },
      });
      result = data!.confirmReservation;
    } catch (error) {
      setStep({ kind: 'held', reservation });
      return tell({ kind: 'api-error', error }, () => void confirm(reservation, patient));
    }
    switch (result.__typename) {
      case 'ReservationResult':
        keys.confirm.forget();
        setStep({ kind: 'confirmed', reservation: result.reservation });
        void refreshMyBookings();
        return;
      case 'InvalidInput':
        // The hold stands: the patient corrects the field and confirms again (a new intent).
        setStep({ kind: 'held', reservation });
        setFieldProblem({ field: result.field, message: result.message });
        return;
      case 'ProviderUnavailable':
        // The hold stands, and the same confirmation may be repeated with the same key.
        setStep({ kind: 'held', reservation });
        return tell(
          {
            kind: 'provider-unavailable',
            providerName: result.provider.name,
            retryAfterSeconds: result.retryAfterSeconds,
          },
          () => void confirm(reservation, patient),
        );
      case 'HoldExpired':
        keys.confirm.forget();
        setStep({ kind: 'idle' });
        tell({ kind: 'hold-expired' });
        void refreshMyBookings();
        return;
      case 'SlotUnavailable':
        keys.confirm.forget();
        setStep({ kind: 'idle' });
        tell({ kind: 'slot-taken' });
        await release(reservation, 'The slot could not be booked');
        void refreshSlots();
        return;
      case 'IdempotencyConflict':
        keys.confirm.forget();
        setStep({ kind: 'idle' });
        tell({ kind: 'refused', message: result.message });
        await release(reservation, 'The booking could not be confirmed');
        return;
    }
  }

  /** The patient gives the held slot up. */
  async function abandon() {
    if (step.kind !== 'held') return;
    keys.confirm.forget();
    setStep({ kind: 'idle' });
    tell(null);
    await release(step.reservation, 'The patient did not go on with the booking');
    void refreshSlots();
  }

  /** After a booking (or a notice), back to choosing a time. */
  function startOver() {
    setStep({ kind: 'idle' });
    tell(null);
  }

  return {
    step,
    notice,
    fieldProblem,
    retry,
    hold,
    confirm,
    abandon,
    startOver,
    /** Clears a field's problem once the patient edits the form again. */
    clearFieldProblem: () => setFieldProblem(null),
  };
}

export type BookingFlow = ReturnType<typeof useBookingFlow>;
