import type { ContractBookingResult } from '../__generated__/contract.js';
import { bookingFailure } from '../contractRules.js';

/**
 * The longest provider-local id (a slot id, a practitioner id, a provider reference) the contract
 * carries. No provider issues longer ones, so a longer one is answered as unknown without calling
 * the provider: a client's oversized input must never become a provider failure.
 */
export const maxLocalIdLength = 512;

/**
 * What one kind of the system's ids looks like: a pattern (anchored, without the `g` flag) or a
 * check such as an id codec's `decode(id).ok`.
 */
export type LocalIdFormat = RegExp | ((id: string) => boolean);

/**
 * What any system's id looks like unless its adapter says otherwise: visible characters only, and
 * none that would give a URL structure (`/`, `?`, `#`) when the id is put in a vendor's path.
 */
export const defaultLocalIdFormat: LocalIdFormat = /^[^\s\p{Cc}/?#]+$/u;

/**
 * What a system's own ids look like, declared by its adapter. Ids reach a provider from clients
 * (a slot id, a practitioner id in a search), so one that cannot be the system's own is answered
 * as unknown without calling the system: a made-up id never makes the vendor refuse, and never
 * counts against the provider's health. Every kind is optional (default `defaultLocalIdFormat`);
 * the size (`maxLocalIdLength`) is always checked.
 */
export interface LocalIdFormats {
  /** Slot ids: `contractSlot`, holds and bookings. */
  readonly slot?: LocalIdFormat;
  /** Practitioner ids: a search's `practitionerId`. */
  readonly practitioner?: LocalIdFormat;
}

/** Whether `id` can be one the system issued: not empty, not oversized, and of its `format`. */
export function isOwnId(id: string, format: LocalIdFormat = defaultLocalIdFormat): boolean {
  if (id.length === 0 || id.length > maxLocalIdLength) return false;
  return typeof format === 'function' ? format(id) : format.test(id);
}

/** The typed failure for a write naming an id the system cannot have issued, else `null`. */
export function unknownIdFailure(
  input: { slotId?: string; providerReference?: string },
  formats: LocalIdFormats | undefined,
): ContractBookingResult | null {
  if (input.slotId !== undefined && !isOwnId(input.slotId, formats?.slot)) {
    return bookingFailure('SLOT_UNAVAILABLE', 'no slot has this id');
  }
  // Provider references are the platform's record of what the system answered, never a client's.
  // They are only sized: their shape is each system's own (a FHIR reference has a `/`).
  if ((input.providerReference?.length ?? 0) > maxLocalIdLength) {
    return bookingFailure('NOT_FOUND', 'no booking has this reference');
  }
  return null;
}
