import { randomUUID } from 'node:crypto';
import type { Logger } from '@booking/server-kit';
import {
  ContractBookDocument,
  type ContractBookingResultFieldsFragment,
  ContractCancelDocument,
  ContractConfirmDocument,
  ContractHoldDocument,
  ContractSlotDocument,
} from '../__generated__/providerOperations.js';
import type { DirectoryEntry, ProviderDirectory } from '../access/createProviderDirectory.js';
import type { Ledger, ReservationRecord } from '../access/ledger/createLedger.js';
import type { SlotSnapshot } from '../access/ledger/ledgerTables.js';
import type { ProviderGuard } from '../access/providers/createProviderGuard.js';
import type { PatientCipher } from '../engines/createPatientCipher.js';
import { decodeGlobalId, encodeGlobalId } from '../engines/globalId.js';
import { type ValidPatient, validatePatient } from '../engines/validatePatient.js';
import { callProvider, type ProviderCallOutcome } from './callProvider.js';
import type { BookingOutcome, Caller } from './models.js';
import { createIdempotency } from './withIdempotency.js';

export interface PatientInput {
  personalIdentityNumber: string;
  givenName: string;
  familyName: string;
  email?: string | null;
  phone?: string | null;
}

export interface ReservationManagerOptions {
  ledger: Ledger;
  directory: ProviderDirectory;
  /** Every provider call goes through it (deadline, circuit, bounded concurrency, retries). */
  guard: ProviderGuard;
  cipher: PatientCipher;
  logger: Logger;
  now: () => number;
  /** How long a platform-side hold lasts (providers without holds). */
  platformHoldMs: number;
  /** How long a repeated call waits for the first call with its key to finish. */
  replayWaitMs: number;
  /**
   * Told when a provider's listing of a slot changed after its last ledger transition (a lapsed
   * hold released at the provider after the row became EXPIRED), so caches drop the slot's day.
   * Every other change is followed by a transition, which the ledger reports itself.
   */
  slotReleased?: (row: ReservationRecord) => Promise<void>;
}

type Outcome = BookingOutcome;
type BookingResult = ContractBookingResultFieldsFragment;

const keyLimits = { min: 1, max: 200 };
const noteLimit = 1000;
const reasonLimit = 500;

function invalid(field: string, message: string): Outcome {
  return { __typename: 'InvalidInput', field, message };
}

/** Public path of a provider's complaint about a patient field, e.g. `patient.email`. */
function publicField(field: string | null): string {
  if (!field) return 'patient';
  if (field.startsWith('patient.') || field === 'patient') return field;
  return `patient.${field}`;
}

/** The public id of a reservation: opaque, and it encodes the provider connection. */
export const reservationPublicId = (row: Pick<ReservationRecord, 'connection_id' | 'id'>) =>
  encodeGlobalId('Reservation', row.connection_id, row.id);

/**
 * The booking side of the Manager: holds, confirmations, cancellations and moves through the
 * provider contract, with the ledger written before every provider call so that nothing is lost
 * and nothing is booked twice, whatever fails in between.
 */
export function createReservationManager(options: ReservationManagerOptions) {
  const { ledger, directory, cipher, logger, now } = options;
  const withIdempotency = createIdempotency({
    ledger,
    now,
    replayWaitMs: options.replayWaitMs,
    abandonAfterMs: 30_000,
  });
  const call = <R, V>(
    entry: DirectoryEntry,
    document: Parameters<typeof callProvider<R, V>>[1],
    variables: V,
  ) => callProvider(entry, document, variables, options);

  function checkKey(key: string): Outcome | null {
    return key.length < keyLimits.min || key.length > keyLimits.max
      ? invalid('idempotencyKey', `must be ${keyLimits.min} to ${keyLimits.max} characters`)
      : null;
  }

  function decode(
    type: 'Slot' | 'Reservation',
    id: string,
    field: string,
  ): { connectionId: string; localId: string } | Outcome {
    try {
      return decodeGlobalId(type, id, field);
    } catch {
      return invalid(field, `is not a ${type.toLowerCase()} id of this API`);
    }
  }

  /** Malformed ids are rejected before anything (even the idempotency key) is written. */
  function checkId(type: 'Slot' | 'Reservation', id: string, field: string): Outcome | null {
    const decoded = decode(type, id, field);
    return isOutcome(decoded) ? decoded : null;
  }

  const isOutcome = (value: unknown): value is Outcome =>
    typeof value === 'object' && value !== null && '__typename' in value;

  /**
   * A reservation of this client, by public id; other clients' reservations do not exist for it
   * (the same answer as an unknown id, so nothing leaks). `admin` callers see every reservation.
   */
  async function ownReservation(id: string, caller: Caller): Promise<ReservationRecord | Outcome> {
    const decoded = decode('Reservation', id, 'reservationId');
    if (isOutcome(decoded)) return decoded;
    const row = await ledger.find(decoded.localId).catch(() => undefined);
    const visible = row && (caller.admin || row.client_id === caller.clientId);
    if (!row || !visible || row.connection_id !== decoded.connectionId) {
      return invalid('reservationId', 'no such reservation');
    }
    return row;
  }

  /** Checks that a slot can be booked through the API and snapshots it for the ledger. */
  async function bookableSlot(
    slotId: string,
    field: string,
    requestedTreatmentId: string | null,
  ): Promise<{ entry: DirectoryEntry; localId: string; snapshot: SlotSnapshot } | Outcome> {
    const decoded = decode('Slot', slotId, field);
    if (isOutcome(decoded)) return decoded;
    const entry = directory.get(decoded.connectionId);
    const gone: Outcome = {
      __typename: 'SlotUnavailable',
      message: 'the slot no longer exists',
      slotId,
    };
    if (!entry) return gone;
    const lookup = await call(entry, ContractSlotDocument, {
      connectionId: decoded.connectionId,
      slotId: decoded.localId,
    });
    if (lookup.kind !== 'answered') {
      return {
        __typename: 'ProviderUnavailable',
        message: 'the provider did not answer; nothing was reserved',
        connectionId: entry.connection.id,
      };
    }
    const state = lookup.data.contractSlot;
    if (!state) return gone;
    const capabilities = entry.connection.capabilities;
    if (capabilities.includes('DEEP_LINK_ONLY') || !capabilities.includes('API_BOOKING')) {
      return state.slot.bookingUrl
        ? {
            __typename: 'BookingByLink',
            message: `${entry.connection.name} takes bookings on its own site`,
            bookingUrl: state.slot.bookingUrl,
            slotId,
          }
        : {
            __typename: 'ProviderUnavailable',
            message: `${entry.connection.name} does not take bookings through the platform`,
            connectionId: entry.connection.id,
          };
    }
    if (state.status !== 'FREE') {
      return { __typename: 'SlotUnavailable', message: 'the slot has just been taken', slotId };
    }
    const { slot } = state;
    return {
      entry,
      localId: decoded.localId,
      snapshot: {
        clinicId: slot.clinicId,
        start: slot.start,
        end: slot.end,
        treatmentIds: slot.treatmentIds,
        requestedTreatmentId,
        practitioner: slot.practitioner,
      },
    };
  }

  /** Records what a provider said about a PENDING reservation and turns it into the result. */
  async function settle(
    row: ReservationRecord,
    outcome: ProviderCallOutcome<BookingResult>,
    onFailure: { status: 'FAILED' | 'HELD' | 'CONFIRMED'; slotId: string },
  ): Promise<Outcome> {
    const base = { from: ['PENDING'] as const, version: row.version };
    if (outcome.kind === 'uncertain') {
      // The provider may have acted: leave the row PENDING for the reconciler to settle.
      logger.warn(
        { reservation: row.id, operation: row.pending_operation },
        'provider outcome unknown',
      );
      return { __typename: 'ReservationResult', reservation: row };
    }
    const providerUnavailable = (message: string): Outcome => ({
      __typename: 'ProviderUnavailable',
      message,
      connectionId: row.connection_id,
    });
    if (outcome.kind === 'refused') {
      await ledger.transition(row.id, {
        ...base,
        to: onFailure.status,
        operation: `${row.pending_operation}_REFUSED`,
        failureReason: 'provider unavailable',
      });
      return providerUnavailable('the provider did not take the request; nothing was changed');
    }
    const { booking, error } = outcome.data;
    if (booking) {
      const to =
        booking.status === 'BOOKED'
          ? 'CONFIRMED'
          : booking.status === 'HELD'
            ? 'HELD'
            : 'CANCELLED';
      const updated = await ledger.transition(row.id, {
        ...base,
        to,
        operation: row.pending_operation ?? 'SETTLE',
        providerReference: booking.providerReference,
        ...(to === 'HELD' && { expiresAt: booking.expiresAt ? new Date(booking.expiresAt) : null }),
      });
      const current = updated ?? (await ledger.find(row.id))!;
      if (current.status === 'CONFIRMED' && current.rescheduled_from)
        await finishReschedule(current);
      return { __typename: 'ReservationResult', reservation: current };
    }
    const code = error?.code ?? 'PROVIDER_UNAVAILABLE';
    const failTo =
      code === 'HOLD_EXPIRED'
        ? 'EXPIRED'
        : code === 'SLOT_UNAVAILABLE'
          ? 'FAILED'
          : onFailure.status;
    await ledger.transition(row.id, {
      ...base,
      to: failTo,
      operation: `${row.pending_operation}_FAILED`,
      failureReason: code,
    });
    const message = error?.message ?? 'the provider refused';
    switch (code) {
      case 'SLOT_UNAVAILABLE':
        return {
          __typename: 'SlotUnavailable',
          message: 'the slot has just been taken',
          slotId: onFailure.slotId,
        };
      case 'HOLD_EXPIRED':
        return {
          __typename: 'HoldExpired',
          message: 'the hold lapsed',
          reservationId: reservationPublicId(row),
        };
      case 'INVALID_INPUT':
        return invalid(publicField(error?.field ?? null), 'the provider rejected this value');
      case 'NOT_CANCELLABLE':
        return { __typename: 'NotCancellable', message, reservationId: reservationPublicId(row) };
      case 'BOOKING_BY_LINK':
        return error?.bookingUrl
          ? {
              __typename: 'BookingByLink',
              message,
              bookingUrl: error.bookingUrl,
              slotId: onFailure.slotId,
            }
          : providerUnavailable(message);
      default:
        return providerUnavailable(message);
    }
  }

  /** Books a new reservation for a patient in one provider call (reserveSlot and reschedule). */
  async function bookNew(
    reservationId: string,
    clientId: string,
    slot: { entry: DirectoryEntry; localId: string; snapshot: SlotSnapshot },
    slotPublicId: string,
    patient: ValidPatient,
    note: string | null,
    rescheduledFrom: string | null,
  ): Promise<Outcome> {
    const row = await ledger.insert({
      id: reservationId,
      clientId,
      connectionId: slot.entry.connection.id,
      slotId: slot.localId,
      status: 'PENDING',
      pendingOperation: 'BOOK',
      holdKind: null,
      expiresAt: null,
      snapshot: slot.snapshot,
      patientSealed: cipher.encrypt(patient),
      rescheduledFrom,
    });
    if (!row)
      return {
        __typename: 'SlotUnavailable',
        message: 'the slot has just been taken',
        slotId: slotPublicId,
      };
    const outcome = await call(slot.entry, ContractBookDocument, {
      input: {
        connectionId: row.connection_id,
        slotId: row.slot_id,
        reservationId: row.id,
        patient: toContractPatient(patient),
        note,
      },
    });
    return settle(
      row,
      mapResult(outcome, (d) => d.contractBook),
      { status: 'FAILED', slotId: slotPublicId },
    );
  }

  /** Cancels the reservation a confirmed reschedule replaced; the reconciler retries on doubt. */
  async function finishReschedule(replacement: ReservationRecord): Promise<Outcome | null> {
    const old = await ledger.find(replacement.rescheduled_from!);
    if (old?.status !== 'CONFIRMED') return null;
    return cancelAtProvider(old, 'rescheduled');
  }

  async function cancelAtProvider(row: ReservationRecord, reason: string | null): Promise<Outcome> {
    const entry = directory.get(row.connection_id);
    const pending = await ledger.transition(row.id, {
      from: [row.status],
      version: row.version,
      to: 'PENDING',
      pendingOperation: 'CANCEL',
      resumeStatus: row.status,
      operation: 'CANCEL',
    });
    if (!pending)
      return { __typename: 'ReservationResult', reservation: (await ledger.find(row.id))! };
    if (!entry) {
      await ledger.transition(row.id, {
        from: ['PENDING'],
        version: pending.version,
        to: row.status,
        operation: 'CANCEL_REFUSED',
      });
      return {
        __typename: 'ProviderUnavailable',
        message: 'the provider is not connected',
        connectionId: row.connection_id,
      };
    }
    const outcome = await call(entry, ContractCancelDocument, {
      input: {
        connectionId: row.connection_id,
        reservationId: row.id,
        providerReference: row.provider_reference ?? '',
        reason,
      },
    });
    // A provider that no longer knows the booking has nothing left to cancel.
    const mapped = mapResult(outcome, (d) =>
      d.contractCancel.error?.code === 'NOT_FOUND'
        ? {
            booking: {
              reservationId: row.id,
              slotId: row.slot_id,
              status: 'CANCELLED' as const,
              providerReference: row.provider_reference ?? '',
              expiresAt: null,
            },
            error: null,
          }
        : d.contractCancel,
    );
    return settle(pending, mapped, {
      status: row.status as 'HELD' | 'CONFIRMED',
      slotId: encodeGlobalId('Slot', row.connection_id, row.slot_id),
    });
  }

  return {
    async hold(
      caller: Caller,
      input: { slotId: string; idempotencyKey: string },
    ): Promise<Outcome> {
      const { clientId } = caller;
      const bad = checkKey(input.idempotencyKey) ?? checkId('Slot', input.slotId, 'slotId');
      if (bad) return bad;
      return withIdempotency(
        {
          clientId,
          key: input.idempotencyKey,
          operation: 'HOLD',
          fingerprint: cipher.fingerprint(JSON.stringify(['HOLD', input.slotId])),
          reservationId: randomUUID(),
        },
        async (reservationId) => {
          const slot = await bookableSlot(input.slotId, 'slotId', null);
          if (isOutcome(slot)) return slot;
          const providerHolds = slot.entry.connection.capabilities.includes('HOLDS');
          const row = await ledger.insert({
            id: reservationId,
            clientId,
            connectionId: slot.entry.connection.id,
            slotId: slot.localId,
            // Without provider holds the platform holds the slot itself: the ledger row is the hold.
            status: providerHolds ? 'PENDING' : 'HELD',
            pendingOperation: providerHolds ? 'HOLD' : null,
            holdKind: providerHolds ? 'PROVIDER' : 'PLATFORM',
            expiresAt: providerHolds ? null : new Date(now() + options.platformHoldMs),
            snapshot: slot.snapshot,
            patientSealed: null,
            rescheduledFrom: null,
          });
          if (!row)
            return {
              __typename: 'SlotUnavailable',
              message: 'the slot has just been taken',
              slotId: input.slotId,
            };
          if (!providerHolds) return { __typename: 'ReservationResult', reservation: row };
          const outcome = await call(slot.entry, ContractHoldDocument, {
            input: { connectionId: row.connection_id, slotId: row.slot_id, reservationId: row.id },
          });
          return settle(
            row,
            mapResult(outcome, (d) => d.contractHold),
            { status: 'FAILED', slotId: input.slotId },
          );
        },
      );
    },

    async reserve(
      caller: Caller,
      input: {
        slotId: string;
        patient: PatientInput;
        idempotencyKey: string;
        note?: string | null;
      },
    ): Promise<Outcome> {
      const { clientId } = caller;
      const bad =
        checkKey(input.idempotencyKey) ??
        checkNote(input.note) ??
        checkId('Slot', input.slotId, 'slotId');
      if (bad) return bad;
      const patient = validatePatient(input.patient, { now });
      if (!patient.ok) return invalid(patient.field, patient.message);
      return withIdempotency(
        {
          clientId,
          key: input.idempotencyKey,
          operation: 'RESERVE',
          fingerprint: cipher.fingerprint(
            JSON.stringify(['RESERVE', input.slotId, patient.patient, input.note ?? null]),
          ),
          reservationId: randomUUID(),
        },
        async (reservationId) => {
          const slot = await bookableSlot(input.slotId, 'slotId', null);
          if (isOutcome(slot)) return slot;
          return bookNew(
            reservationId,
            clientId,
            slot,
            input.slotId,
            patient.patient,
            input.note ?? null,
            null,
          );
        },
      );
    },

    async confirm(
      caller: Caller,
      input: {
        reservationId: string;
        patient: PatientInput;
        idempotencyKey: string;
        note?: string | null;
      },
    ): Promise<Outcome> {
      const { clientId } = caller;
      const bad = checkKey(input.idempotencyKey) ?? checkNote(input.note);
      if (bad) return bad;
      const patient = validatePatient(input.patient, { now });
      if (!patient.ok) return invalid(patient.field, patient.message);
      const found = await ownReservation(input.reservationId, caller);
      if (isOutcome(found)) return found;
      return withIdempotency(
        {
          clientId,
          key: input.idempotencyKey,
          operation: 'CONFIRM',
          fingerprint: cipher.fingerprint(
            JSON.stringify(['CONFIRM', input.reservationId, patient.patient, input.note ?? null]),
          ),
          reservationId: found.id,
        },
        async () => {
          const row = (await ledger.find(found.id))!;
          const expired: Outcome = {
            __typename: 'HoldExpired',
            message: 'the hold lapsed',
            reservationId: input.reservationId,
          };
          if (row.status === 'CONFIRMED' || row.status === 'PENDING') {
            return { __typename: 'ReservationResult', reservation: row };
          }
          if (row.status === 'EXPIRED') return expired;
          if (row.status !== 'HELD')
            return invalid('reservationId', `the reservation is ${row.status.toLowerCase()}`);
          if (row.expires_at && row.expires_at.getTime() <= now()) {
            await expireHold(row);
            return expired;
          }
          const entry = directory.get(row.connection_id);
          if (!entry)
            return {
              __typename: 'ProviderUnavailable',
              message: 'the provider is not connected',
              connectionId: row.connection_id,
            };
          const pending = await ledger.transition(row.id, {
            from: ['HELD'],
            version: row.version,
            to: 'PENDING',
            pendingOperation: 'CONFIRM',
            resumeStatus: 'HELD',
            operation: 'CONFIRM',
            patientSealed: cipher.encrypt(patient.patient),
          });
          if (!pending)
            return { __typename: 'ReservationResult', reservation: (await ledger.find(row.id))! };
          const contractPatient = toContractPatient(patient.patient);
          const slotId = encodeGlobalId('Slot', row.connection_id, row.slot_id);
          // A provider hold is confirmed at the provider; a platform hold is booked there now.
          const outcome =
            row.hold_kind === 'PROVIDER'
              ? mapResult(
                  await call(entry, ContractConfirmDocument, {
                    input: {
                      connectionId: row.connection_id,
                      reservationId: row.id,
                      providerReference: row.provider_reference ?? '',
                      patient: contractPatient,
                      note: input.note ?? null,
                    },
                  }),
                  (d) => d.contractConfirm,
                )
              : mapResult(
                  await call(entry, ContractBookDocument, {
                    input: {
                      connectionId: row.connection_id,
                      slotId: row.slot_id,
                      reservationId: row.id,
                      patient: contractPatient,
                      note: input.note ?? null,
                    },
                  }),
                  (d) => d.contractBook,
                );
          return settle(pending, outcome, { status: 'HELD', slotId });
        },
      );
    },

    async cancel(
      caller: Caller,
      input: { reservationId: string; reason?: string | null; idempotencyKey: string },
    ): Promise<Outcome> {
      const { clientId } = caller;
      const bad =
        checkKey(input.idempotencyKey) ??
        ((input.reason?.length ?? 0) > reasonLimit
          ? invalid('reason', `must be at most ${reasonLimit} characters`)
          : null);
      if (bad) return bad;
      const found = await ownReservation(input.reservationId, caller);
      if (isOutcome(found)) return found;
      return withIdempotency(
        {
          clientId,
          key: input.idempotencyKey,
          operation: 'CANCEL',
          fingerprint: cipher.fingerprint(
            JSON.stringify(['CANCEL', input.reservationId, input.reason ?? null]),
          ),
          reservationId: found.id,
        },
        async () => {
          const row = (await ledger.find(found.id))!;
          if (row.status === 'CANCELLED')
            return { __typename: 'ReservationResult', reservation: row };
          if (row.status === 'HELD' && row.hold_kind === 'PLATFORM') {
            const released = await ledger.transition(row.id, {
              from: ['HELD'],
              version: row.version,
              to: 'CANCELLED',
              operation: 'RELEASE',
            });
            return {
              __typename: 'ReservationResult',
              reservation: released ?? (await ledger.find(row.id))!,
            };
          }
          if (row.status !== 'HELD' && row.status !== 'CONFIRMED') {
            return {
              __typename: 'NotCancellable',
              message:
                row.status === 'PENDING'
                  ? 'a provider call for this reservation is still being settled; try again shortly'
                  : `the reservation is already ${row.status.toLowerCase()}`,
              reservationId: input.reservationId,
            };
          }
          return cancelAtProvider(row, input.reason ?? null);
        },
      );
    },

    async reschedule(
      caller: Caller,
      input: { reservationId: string; newSlotId: string; idempotencyKey: string },
    ): Promise<Outcome> {
      const { clientId } = caller;
      const bad = checkKey(input.idempotencyKey) ?? checkId('Slot', input.newSlotId, 'newSlotId');
      if (bad) return bad;
      const found = await ownReservation(input.reservationId, caller);
      if (isOutcome(found)) return found;
      const newReservationId = randomUUID();
      return withIdempotency(
        {
          clientId,
          key: input.idempotencyKey,
          operation: 'RESCHEDULE',
          fingerprint: cipher.fingerprint(
            JSON.stringify(['RESCHEDULE', input.reservationId, input.newSlotId]),
          ),
          reservationId: found.id,
        },
        async () => {
          const old = (await ledger.find(found.id))!;
          if (old.status !== 'CONFIRMED' || !old.patient_sealed) {
            return {
              __typename: 'NotCancellable',
              message: `only a confirmed reservation can be moved; this one is ${old.status.toLowerCase()}`,
              reservationId: input.reservationId,
            };
          }
          const slot = await bookableSlot(
            input.newSlotId,
            'newSlotId',
            old.slot_snapshot.requestedTreatmentId,
          );
          if (isOutcome(slot)) return slot;
          const patient = cipher.decrypt<ValidPatient>(old.patient_sealed);
          // Book the new slot first: if anything fails, the original booking is untouched.
          const booked = await bookNew(
            newReservationId,
            clientId,
            slot,
            input.newSlotId,
            patient,
            null,
            old.id,
          );
          if (
            booked.__typename !== 'ReservationResult' ||
            booked.reservation.status !== 'CONFIRMED'
          ) {
            return booked;
          }
          const oldNow = (await ledger.find(old.id))!;
          if (oldNow.status === 'CANCELLED') return booked;
          if (oldNow.status === 'PENDING') return booked; // the reconciler finishes the cancel
          // The old booking could not be cancelled: give the new one back rather than double-book.
          const undo = await cancelAtProvider(booked.reservation, 'reschedule undone');
          logger.warn(
            { reservation: old.id, undo: undo.__typename },
            'reschedule undone: old booking not cancellable',
          );
          return {
            __typename: 'NotCancellable',
            message: 'the original booking cannot be cancelled any more, so it was not moved',
            reservationId: input.reservationId,
          };
        },
      );
    },

    async get(caller: Caller, id: string): Promise<ReservationRecord | null> {
      const found = await ownReservation(id, caller);
      return isOutcome(found) ? null : found;
    },

    /** A reservation of this client by its ledger id (e.g. the one a reschedule replaced). */
    async getByLedgerId(caller: Caller, ledgerId: string): Promise<ReservationRecord | null> {
      const row = await ledger.find(ledgerId);
      return row && (caller.admin || row.client_id === caller.clientId) ? row : null;
    },

    expireHold,
    cancelAtProvider,
    finishReschedule,
    repeatBooking,
  };

  /**
   * Sends a PENDING booking's request again, with the same reservation id. Providers book
   * idempotently by that id, so this records a booking that was made but not looked up (some
   * protocols cannot look up by the platform's id alone) or makes the one the patient asked for.
   */
  async function repeatBooking(row: ReservationRecord): Promise<Outcome | null> {
    const entry = directory.get(row.connection_id);
    if (!entry || !row.patient_sealed || row.pending_operation !== 'BOOK') return null;
    const patient = cipher.decrypt<ValidPatient>(row.patient_sealed);
    const outcome = await call(entry, ContractBookDocument, {
      input: {
        connectionId: row.connection_id,
        slotId: row.slot_id,
        reservationId: row.id,
        patient: toContractPatient(patient),
        note: null,
      },
    });
    return settle(
      row,
      mapResult(outcome, (d) => d.contractBook),
      {
        status: 'FAILED',
        slotId: encodeGlobalId('Slot', row.connection_id, row.slot_id),
      },
    );
  }

  /** Ends a lapsed hold in the ledger, then releases it at the provider (best effort). */
  async function expireHold(row: ReservationRecord): Promise<void> {
    const expired = await ledger.transition(row.id, {
      from: ['HELD'],
      version: row.version,
      to: 'EXPIRED',
      operation: 'EXPIRE',
    });
    const entry = directory.get(row.connection_id);
    if (!expired || row.hold_kind !== 'PROVIDER' || !entry || !row.provider_reference) return;
    // The provider's own hold lapses at the same time; releasing it early is a courtesy.
    const released = await call(entry, ContractCancelDocument, {
      input: {
        connectionId: row.connection_id,
        reservationId: row.id,
        providerReference: row.provider_reference,
        reason: 'hold expired',
      },
    });
    if (released.kind === 'answered') await options.slotReleased?.(expired);
  }

  function checkNote(note: string | null | undefined): Outcome | null {
    return (note?.length ?? 0) > noteLimit
      ? invalid('note', `must be at most ${noteLimit} characters`)
      : null;
  }
}

function toContractPatient(patient: ValidPatient) {
  return {
    personalIdentityNumber: patient.personalIdentityNumber,
    givenName: patient.givenName,
    familyName: patient.familyName,
    email: patient.email,
    phone: patient.phone,
  };
}

/** Picks the booking result out of a mutation's data, keeping the call's classification. */
function mapResult<T>(
  outcome: ProviderCallOutcome<T>,
  pick: (data: T) => BookingResult,
): ProviderCallOutcome<BookingResult> {
  return outcome.kind === 'answered' ? { kind: 'answered', data: pick(outcome.data) } : outcome;
}

export type ReservationManager = ReturnType<typeof createReservationManager>;
