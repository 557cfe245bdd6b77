import { createIdCodec } from '@booking/provider-kit';
import { z } from 'zod';
import { tsPattern } from './client/schemas.js';

const timeslotKeySchema = z.object({
  healthcareFacility: z.string(),
  performer: z.string().optional(),
  /** `TS`, as the producer wrote it. */
  start: z.string().regex(tsPattern, 'a TS'),
  end: z.string().regex(tsPattern, 'a TS'),
  timeTypeId: z.string().optional(),
});

/**
 * RIV-TA timeslots have no id: a timeslot is what MakeBooking's `requestedTimeslot` names, its
 * facility, performer, start, end and time type. The contract's slot id carries exactly those,
 * with the producer's own `TS` strings, so that a booking repeats them byte for byte and no time
 * is converted back and forth.
 */
export type TimeslotKey = z.output<typeof timeslotKeySchema>;

export const slotIds = createIdCodec({
  label: 'RIV-TA slot id',
  fields: ['healthcareFacility', 'performer', 'start', 'end', 'timeTypeId'],
  schema: timeslotKeySchema,
});

/** The timeslot a key names, as MakeBooking's request names it. */
export function requestedTimeslot(key: TimeslotKey) {
  return {
    healthcareFacility: key.healthcareFacility,
    startTimeInclusive: key.start,
    endTimeExclusive: key.end,
    performer: key.performer,
    timeTypeId: key.timeTypeId,
  };
}

/**
 * The contract's `providerReference` of a booking at a producer: the facility is needed by every
 * call about it.
 */
export const providerReferences = createIdCodec({
  label: 'RIV-TA booking reference',
  fields: ['healthcareFacility', 'bookingId'],
  schema: z.object({ healthcareFacility: z.string(), bookingId: z.string() }),
});
