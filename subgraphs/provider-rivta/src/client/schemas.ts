import { z } from 'zod';
import type { InteractionName } from './interactions.js';

/**
 * Zod schemas of every RIV-TA answer the adapter reads, over the namespace-resolved tree of
 * `parseSoapEnvelope`: every child element is a list (the schemas' `maxOccurs`), leaves are text.
 * Unknown elements are dropped; a missing, repeated or malformed one fails the call as
 * PROVIDER_BAD_RESPONSE at the boundary, not three layers further in.
 */

/** Exactly one occurrence. */
const one = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .length(1)
    .transform((values) => values[0] as z.output<T>);

/** `minOccurs="0" maxOccurs="1"`. */
const optional = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .max(1)
    .optional()
    .transform((values) => values?.[0] as z.output<T> | undefined);

/** `maxOccurs="unbounded"`. */
const many = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .optional()
    .transform((values) => (values ?? []) as z.output<T>[]);

const text = z.string();
const id = z.string().min(1);

/** RIV-TA `TS`: Swedish wall time `YYYYMMDDhhmmss` without offset, as the core schema's pattern. */
export const tsPattern =
  /^[1-9][0-9]{3}(0[1-9]|1[0-2])([0-2][0-9]|3[0-1])([0-1][0-9]|2[0-3])[0-5][0-9][0-5][0-9]$/;
const ts = z.string().regex(tsPattern, 'expected a TS: YYYYMMDDhhmmss');

/** `xs:boolean`. */
const boolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** @link standards/riv-crm-scheduling-1.1/core_components/crm_scheduling_1.1.xsd */
export const resultCodeSchema = z.enum(['OK', 'INFO', 'ERROR']);

/** @link standards/riv-crm-scheduling-1.1/core_components/crm_scheduling_1.1.xsd */
export const timeslotSchema = z.object({
  startTimeInclusive: optional(ts),
  endTimeExclusive: optional(ts),
  healthcare_facility: one(id),
  performer: optional(text),
  bookingId: optional(text),
  subject_of_care: optional(text),
  purpose: optional(text),
  reason: optional(text),
  healthcare_facility_name: optional(text),
  performerName: optional(text),
  timeTypeName: optional(text),
  timeTypeID: optional(text),
  careTypeName: optional(text),
  careTypeID: optional(text),
  cancel_booking_allowed: optional(boolean),
  rebooking_allowed: optional(boolean),
});

/** @link standards/riv-crm-scheduling-1.1/interactions/GetAllHealthcareFacilitiesInteraction/GetAllHealthcareFacilitiesResponder_1.1.xsd */
export const healthcareFacilitiesSchema = z.object({
  healthcareFacilityInfos: many(
    z.object({ healthcare_facility: one(id), healthcare_facility_name: optional(text) }),
  ),
});

/** @link standards/riv-crm-scheduling-1.1/interactions/GetAllTimeTypesInteraction/GetAllTimeTypesResponder_1.1.xsd */
export const timeTypesSchema = z.object({
  // The response's list is `ListOfTimeTypes` and its id `timeTypeId`, unlike `timeTypeID` elsewhere.
  ListOfTimeTypes: many(z.object({ timeTypeName: one(text), timeTypeId: one(id) })),
});

/** @link standards/riv-crm-scheduling-1.1/interactions/GetAllPerformersInteraction/GetAllPerformersResponder_1.1.xsd */
export const performersSchema = z.object({
  // `perfomer` (sic): the core schema's own spelling in PerformerInfoType.
  performerInfos: many(
    z.object({
      perfomer: one(id),
      firstName: one(text),
      lastName: one(text),
      title: optional(text),
    }),
  ),
});

/** @link standards/riv-crm-scheduling-1.1/interactions/GetAvailableTimeslotsInteraction/GetAvailableTimeslotsResponder_1.1.xsd */
export const availableTimeslotsSchema = z.object({ timeslotDetail: many(timeslotSchema) });

/** @link standards/riv-crm-scheduling-1.1/interactions/MakeBookingInteraction/MakeBookingResponder_1.1.xsd */
export const makeBookingSchema = z.object({
  bookingId: optional(id),
  resultCode: one(resultCodeSchema),
  resultText: optional(text),
});

/** @link standards/riv-crm-scheduling-1.1/interactions/CancelBookingInteraction/CancelBookingResponder_1.1.xsd */
export const cancelBookingSchema = z.object({
  resultCode: one(resultCodeSchema),
  resultText: optional(text),
});

/** @link standards/riv-crm-scheduling-1.1/interactions/GetBookingDetailsInteraction/GetBookingDetailsResponder_1.1.xsd */
export const bookingDetailsSchema = z.object({ timeslotDetail: one(timeslotSchema) });

/** @link standards/riv-crm-scheduling-1.1/interactions/GetSubjectOfCareScheduleInteraction/GetSubjectOfCareScheduleResponder_1.1.xsd */
export const subjectOfCareScheduleSchema = z.object({ timeslotDetail: many(timeslotSchema) });

/** The schema of each interaction's response. */
export const responseSchemas = {
  GetAllHealthcareFacilities: healthcareFacilitiesSchema,
  GetAllTimeTypes: timeTypesSchema,
  GetAllPerformers: performersSchema,
  GetAvailableTimeslots: availableTimeslotsSchema,
  MakeBooking: makeBookingSchema,
  CancelBooking: cancelBookingSchema,
  GetBookingDetails: bookingDetailsSchema,
  GetSubjectOfCareSchedule: subjectOfCareScheduleSchema,
} satisfies { [N in InteractionName]: z.ZodType };

/** Every response this adapter reads, by interaction, as validated. */
export type Responses = { [N in InteractionName]: z.output<(typeof responseSchemas)[N]> };

export type RivTimeslot = z.output<typeof timeslotSchema>;
export type RivTimeType = z.output<typeof timeTypesSchema>['ListOfTimeTypes'][number];
