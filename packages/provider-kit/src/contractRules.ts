import { GraphQLError } from 'graphql';
import { DateTime } from 'luxon';
import type {
  ContractBookingResult,
  ContractErrorCode,
  ContractSlot,
} from './__generated__/contract.js';
import { ProviderError, ProviderErrorCode } from './errors.js';

/** A typed expected failure, e.g. `bookingFailure('SLOT_UNAVAILABLE', 'the slot is taken')`. */
export function bookingFailure(
  code: ContractErrorCode,
  message: string,
  extra: { field?: string; bookingUrl?: string } = {},
): ContractBookingResult {
  return {
    booking: null,
    error: { code, message, field: extra.field ?? null, bookingUrl: extra.bookingUrl ?? null },
  };
}

/**
 * INVALID_INPUT on `patient.personalIdentityNumber` unless it is 12 digits, else `null`. Scheduling
 * normalises personnummer and samordningsnummer to `YYYYMMDDNNNN`; an adapter that would send
 * anything else to its vendor refuses it here instead. The message never quotes the number.
 */
export function identityNumberFailure(patient: {
  personalIdentityNumber: string;
}): ContractBookingResult | null {
  return /^\d{12}$/.test(patient.personalIdentityNumber)
    ? null
    : bookingFailure('INVALID_INPUT', 'the identity number must be 12 digits', {
        field: 'patient.personalIdentityNumber',
      });
}

/** INVALID_INPUT on `reservationId`: the reservation id already names a booking of another slot. */
export function reservationReusedFailure(): ContractBookingResult {
  return bookingFailure('INVALID_INPUT', 'this reservation id is already used for another slot', {
    field: 'reservationId',
  });
}

/** `items` in consecutive pieces of at most `size`, e.g. ids per search so a URL stays short. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const pieces: T[][] = [];
  for (let at = 0; at < items.length; at += size) pieces.push(items.slice(at, at + size));
  return pieces;
}

const dayMs = 24 * 60 * 60 * 1000;
/** The longest window accepted: twice the platform's public 31-day limit, so a bug cannot fan out. */
export const maxWindowDays = 62;

/** A slot search's window as instants (epoch ms), `[fromMs, toMs)`. */
export interface SlotWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** An ISO instant with an offset (`Z` or `±hh:mm`): a time without one means nothing here. */
function parseInstant(value: string, name: string): number {
  const parsed = DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid || !/(?:Z|[+-]\d\d:?\d\d)$/i.test(value)) {
    throw badUserInput(`${name} must be an RFC 3339 instant with an offset, got "${value}"`);
  }
  return parsed.toMillis();
}

/**
 * The window of a slot search, checked once for every adapter: both ends instants with an
 * offset, at most `maxWindowDays` long. `null` for an empty window (`to` not after `from`),
 * which asks the provider nothing.
 */
export function slotWindow(input: { from: string; to: string }): SlotWindow | null {
  const fromMs = parseInstant(input.from, 'from');
  const toMs = parseInstant(input.to, 'to');
  if (toMs <= fromMs) return null;
  if (toMs - fromMs > maxWindowDays * dayMs) {
    throw badUserInput(`the window may span at most ${maxWindowDays} days`);
  }
  return { fromMs, toMs };
}

/** What a slot search asks for besides its window. */
export interface SlotFilters {
  readonly treatmentId?: string | null | undefined;
  readonly practitionerId?: string | null | undefined;
  readonly clinicIds?: readonly string[] | null | undefined;
}

/**
 * What an adapter found, as the contract promises it whatever the vendor answered: each slot
 * once, starting in `[fromMs, toMs)`, ending after it starts, bookable for at least one
 * treatment and matching every filter asked, ordered by start then id. Vendors widen windows
 * (local days, pages), filter loosely and order as they like.
 */
export function answeringSlots(
  slots: readonly ContractSlot[],
  query: SlotWindow & SlotFilters,
): ContractSlot[] {
  const { fromMs, toMs, treatmentId, practitionerId, clinicIds } = query;
  const clinics = clinicIds ? new Set(clinicIds) : null;
  const kept = new Map<string, { slot: ContractSlot; startMs: number }>();
  for (const slot of slots) {
    const startMs = Date.parse(slot.start);
    if (kept.has(slot.id) || !(startMs >= fromMs && startMs < toMs)) continue;
    if (!(Date.parse(slot.end) > startMs) || slot.treatmentIds.length === 0) continue;
    if (treatmentId && !slot.treatmentIds.includes(treatmentId)) continue;
    if (practitionerId && slot.practitioner?.id !== practitionerId) continue;
    if (clinics && !clinics.has(slot.clinicId)) continue;
    kept.set(slot.id, { slot, startMs });
  }
  return [...kept.values()]
    .sort(
      (a, b) =>
        a.startMs - b.startMs || (a.slot.id < b.slot.id ? -1 : a.slot.id > b.slot.id ? 1 : 0),
    )
    .map(({ slot }) => slot);
}

/**
 * A write the provider refused (down, 5xx, 429, a fault) did nothing: that is the contract's typed
 * PROVIDER_UNAVAILABLE, with the provider's `Retry-After` when it gave one. Timeouts and lost
 * answers stay errors: their outcome is unknown, and the platform reconciles them.
 */
export async function typedUnavailable(
  work: () => Promise<ContractBookingResult>,
): Promise<ContractBookingResult> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProviderError && error.code === ProviderErrorCode.Unavailable) {
      const retry = error.details.retryAfterSeconds;
      return bookingFailure(
        'PROVIDER_UNAVAILABLE',
        retry === undefined ? error.message : `${error.message}; retry after ${retry} s`,
      );
    }
    throw error;
  }
}
