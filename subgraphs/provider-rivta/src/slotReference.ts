import { tsPattern } from './client/schemas.js';

/**
 * RIV-TA timeslots have no id: a timeslot is what MakeBooking's `requestedTimeslot` names, its
 * facility, performer, start, end and time type. The contract's slot id carries exactly those
 * (each part URI-encoded, joined by `|`), with the producer's own `TS` strings, so that a booking
 * repeats them byte for byte and no time is converted back and forth.
 */
export interface TimeslotKey {
  healthcareFacility: string;
  performer: string | undefined;
  /** `TS`, as the producer wrote it. */
  start: string;
  end: string;
  timeTypeId: string | undefined;
}

const separator = '|';

export function encodeSlotId(key: TimeslotKey): string {
  return [key.healthcareFacility, key.performer ?? '', key.start, key.end, key.timeTypeId ?? '']
    .map(encodeURIComponent)
    .join(separator);
}

/** The timeslot a slot id names, or `undefined` when it is not one of ours. */
export function decodeSlotId(slotId: string): TimeslotKey | undefined {
  const parts = slotId.split(separator);
  if (parts.length !== 5) return undefined;
  let decoded: string[];
  try {
    decoded = parts.map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [healthcareFacility, performer, start, end, timeTypeId] = decoded as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (!healthcareFacility || !tsPattern.test(start) || !tsPattern.test(end)) return undefined;
  return {
    healthcareFacility,
    performer: performer || undefined,
    start,
    end,
    timeTypeId: timeTypeId || undefined,
  };
}

/** A booking at a producer: the facility is needed by every call about it. */
export interface BookingKey {
  healthcareFacility: string;
  bookingId: string;
}

/** The contract's `providerReference` of a booking: `<facility>|<bookingId>`, URI-encoded parts. */
export function encodeProviderReference(key: BookingKey): string {
  return [key.healthcareFacility, key.bookingId].map(encodeURIComponent).join(separator);
}

export function decodeProviderReference(reference: string): BookingKey | undefined {
  const parts = reference.split(separator);
  if (parts.length !== 2) return undefined;
  try {
    const [healthcareFacility, bookingId] = parts.map(decodeURIComponent) as [string, string];
    return healthcareFacility && bookingId ? { healthcareFacility, bookingId } : undefined;
  } catch {
    return undefined;
  }
}
