import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { ValidPatient } from '@varden/booking-sdk/patient';
import type { OperationDefinitionNode } from 'graphql';
import {
  ContractBookDocument,
  ContractBookingDocument,
  type ContractBookingQuery,
  type ContractBookingResultFieldsFragment,
  ContractCancelDocument,
  ContractChangesDocument,
  type ContractChangesQuery,
  ContractConfirmDocument,
  ContractHoldDocument,
  ContractSlotDocument,
  type ContractSlotQuery,
  ContractSlotsDocument,
  type ContractSlotsInput,
} from '../../__generated__/providerOperations.js';
import type { DirectoryEntry } from '../createProviderDirectory.js';
import type { ProviderGuard } from './createProviderGuard.js';
import { ProviderCallError } from './createProviderSubgraphClient.js';
import { CallErrorCode, isNothingDone, isTimeout } from './providerErrors.js';

/** Why a provider call produced no answer. */
export interface ProviderFailure {
  /** A `ProviderErrorCode` of the kit, or a `CallErrorCode` of the platform. */
  code: string;
  message: string;
  /** The deadline passed (at the platform or at the provider). */
  timedOut: boolean;
}

/**
 * How a provider call ended, from the ledger's point of view:
 * - `answered`: the provider's answer (which may itself be a typed refusal);
 * - `refused`: the provider certainly did nothing (it said so, or was never reached);
 * - `uncertain`: it may or may not have acted (timeout, lost answer) — only a look-up can tell.
 */
export type ProviderAnswer<T> =
  | { kind: 'answered'; data: T }
  | { kind: 'refused'; failure: ProviderFailure }
  | { kind: 'uncertain'; failure: ProviderFailure };

/** What a provider said to a hold, booking, confirmation or cancellation. */
export type BookingResult = ContractBookingResultFieldsFragment;
/** A slot and whether it is free, as its provider knows it now. */
export type SlotState = NonNullable<ContractSlotQuery['contractSlot']>;
/**
 * What a provider knows of a reservation, by the platform's id: its booking or hold (`FOUND`),
 * certainly none (`NOT_BOOKED`), or that it cannot tell (`UNKNOWN`, with a reason).
 */
export type ProviderLookup = ContractBookingQuery['contractBooking'];
/** A booking or hold as its provider knows it. */
export type ProviderBooking = NonNullable<ProviderLookup['booking']>;
/** A page of what changed at the clinic, as a connection with `CHANGES` reports it. */
export type ChangePage = ContractChangesQuery['contractChanges'];
/** One change at the clinic. */
export type ProviderChange = ChangePage['changes'][number];
/** A slot search of one connection. */
export type SlotSearch = Omit<ContractSlotsInput, 'connectionId'>;

/** What a booking call sends: the reservation id is the provider's idempotency key. */
interface BookingCall {
  reservationId: string;
  patient: ValidPatient;
  note: string | null;
}

function failureOf(error: unknown): ProviderFailure {
  const code = error instanceof ProviderCallError ? error.code : CallErrorCode.Internal;
  return { code, message: (error as Error).message, timedOut: isTimeout(code) };
}

const toContractPatient = (patient: ValidPatient) => ({
  personalIdentityNumber: patient.personalIdentityNumber,
  givenName: patient.givenName,
  familyName: patient.familyName,
  email: patient.email,
  phone: patient.phone,
});

/** Keeps an answer's classification while picking the part of its data the caller wants. */
function pick<T, R>(answer: ProviderAnswer<T>, part: (data: T) => R): ProviderAnswer<R> {
  return answer.kind === 'answered' ? { kind: 'answered', data: part(answer.data) } : answer;
}

/**
 * The one road to a provider: each business verb is one typed contract operation, run through
 * the guard (deadline, retries, circuit, bulkhead) on the connection's subgraph client, with its
 * failure classified as `refused` or `uncertain`. Reads may be repeated; so may every contract
 * mutation, because each carries the reservation id, which the provider contract requires to be
 * treated as an idempotency key.
 */
export function createProviderAccess(deps: { guard: ProviderGuard }) {
  async function call<TResult, TVariables>(
    entry: DirectoryEntry,
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<ProviderAnswer<TResult>> {
    const operation = document.definitions.find(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === 'OperationDefinition',
    );
    const kind = operation?.operation === 'query' ? 'read' : 'idempotentWrite';
    try {
      const data = await deps.guard.call(
        entry.connection.id,
        kind,
        (signal, deadlineAt) => entry.client.execute(document, variables, { signal, deadlineAt }),
        operation?.name?.value,
      );
      return { kind: 'answered', data };
    } catch (error) {
      const failure = failureOf(error);
      return isNothingDone(failure.code)
        ? { kind: 'refused', failure }
        : { kind: 'uncertain', failure };
    }
  }

  /** A contract mutation of the connection: its input, and the booking result of its answer. */
  async function write<TResult, TInput extends { connectionId: string | number }>(
    entry: DirectoryEntry,
    document: TypedDocumentNode<TResult, { input: TInput }>,
    input: Omit<TInput, 'connectionId'>,
    result: (data: TResult) => BookingResult,
  ): Promise<ProviderAnswer<BookingResult>> {
    const variables = { input: { connectionId: entry.connection.id, ...input } as TInput };
    return pick(await call(entry, document, variables), result);
  }

  /** A contract mutation that books for a patient: the patient is sent as the contract has it. */
  function writeBooking<TResult, TInput extends { connectionId: string | number }>(
    entry: DirectoryEntry,
    document: TypedDocumentNode<TResult, { input: TInput }>,
    { patient, ...input }: BookingCall & Omit<TInput, 'connectionId' | 'patient'>,
    result: (data: TResult) => BookingResult,
  ): Promise<ProviderAnswer<BookingResult>> {
    const sent = { ...input, patient: toContractPatient(patient) };
    return write(entry, document, sent as unknown as Omit<TInput, 'connectionId'>, result);
  }

  return {
    /** The connection's slots in a window. */
    findSlots: async (entry: DirectoryEntry, search: SlotSearch) =>
      pick(
        await call(entry, ContractSlotsDocument, {
          input: { connectionId: entry.connection.id, ...search },
        }),
        (data) => data.contractSlots,
      ),

    /** One slot and whether it is free; null when the provider does not know it. */
    getSlot: async (entry: DirectoryEntry, slotId: string) =>
      pick(
        await call(entry, ContractSlotDocument, { connectionId: entry.connection.id, slotId }),
        (data): SlotState | null => data.contractSlot,
      ),

    /** Holds a slot at the provider for a reservation. */
    hold: (entry: DirectoryEntry, input: { slotId: string; reservationId: string }) =>
      write(entry, ContractHoldDocument, input, (data) => data.contractHold),

    /** Books a slot for a patient in one call. */
    book: (entry: DirectoryEntry, input: BookingCall & { slotId: string }) =>
      writeBooking(entry, ContractBookDocument, input, (data) => data.contractBook),

    /** Confirms a provider's hold for a patient. */
    confirm: (entry: DirectoryEntry, input: BookingCall & { providerReference: string }) =>
      writeBooking(entry, ContractConfirmDocument, input, (data) => data.contractConfirm),

    /** Cancels a booking, or releases a hold. */
    cancel: (
      entry: DirectoryEntry,
      input: { reservationId: string; providerReference: string; reason: string | null },
    ) => write(entry, ContractCancelDocument, input, (data) => data.contractCancel),

    /**
     * What the provider knows of a reservation, by the platform's id. Only an answered
     * `NOT_BOOKED` says that nothing was made; a call that failed tells nothing either.
     */
    findBooking: async (entry: DirectoryEntry, reservationId: string) =>
      pick(
        await call(entry, ContractBookingDocument, {
          connectionId: entry.connection.id,
          reservationId,
        }),
        (data): ProviderLookup => data.contractBooking,
      ),

    /** What changed at the clinic after `after` (null: from now), for a connection with `CHANGES`. */
    changes: async (entry: DirectoryEntry, after: string | null, first: number) =>
      pick(
        await call(entry, ContractChangesDocument, {
          connectionId: entry.connection.id,
          after,
          first,
        }),
        (data): ChangePage => data.contractChanges,
      ),
  };
}

export type ProviderAccess = ReturnType<typeof createProviderAccess>;
