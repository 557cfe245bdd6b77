import { ProviderError, ProviderErrorCode, type RequestBudget } from '@booking/provider-kit';
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import type { Requests, SubjectOfCareInfo } from './buildRequestEnvelope.js';
import type { InteractionName } from './interactions.js';
import {
  availableTimeslotsSchema,
  bookingDetailsSchema,
  cancelBookingSchema,
  healthcareFacilitiesSchema,
  makeBookingSchema,
  performersSchema,
  type RivFacility,
  type RivPerformer,
  type RivResult,
  type RivTimeslot,
  type RivTimeType,
  subjectOfCareScheduleSchema,
  timeTypesSchema,
} from './schemas.js';
import { type SoapOutcome, sendSoapRequest } from './sendSoapRequest.js';

export interface RivtaClientOptions {
  /** The service platform's base URL, e.g. `http://127.0.0.1:4103/vp`. */
  baseUrl: string;
  /** The care unit's HSA id: the `LogicalAddress` every request is routed by. */
  logicalAddress: string;
  /** The connection's own keep-alive dispatcher (the kit's `Agent`); closed by its owner, not here. */
  dispatcher: Dispatcher;
}

/** A booking request in the adapter's terms; times are the producer's own `TS` strings. */
export interface BookingRequest {
  healthcareFacility: string;
  startTimeInclusive: string;
  endTimeExclusive: string;
  performer?: string | undefined;
  timeTypeId?: string | undefined;
  /** The 12-digit personnummer or samordningsnummer. */
  subjectOfCare: string;
  subject: SubjectOfCareInfo;
  /** Carried in the timeslot's `purpose`: the producer stores it and shows it again. */
  purpose: string;
  notification?: string | undefined;
}

export type RivtaClient = ReturnType<typeof createRivtaClient>;

/**
 * RIV-TA crm:scheduling 1.1 for one care unit: one method per interaction the adapter uses,
 * every answer validated. Reads throw on a fault (the producer refused to answer: unavailable);
 * the calls whose faults mean something (GetBookingDetails: no such booking) return outcomes.
 */
export function createRivtaClient(options: RivtaClientOptions) {
  const endpoint = { baseUrl: options.baseUrl, dispatcher: options.dispatcher };
  const { logicalAddress } = options;

  function send<N extends InteractionName, T>(
    interaction: N,
    request: Requests[N],
    schema: z.ZodType<T>,
    budget: RequestBudget,
    actor?: { actorId: string; actorType: 'subject_of_care' },
  ): Promise<SoapOutcome<T>> {
    return sendSoapRequest(endpoint, {
      interaction,
      logicalAddress,
      request,
      actor,
      schema,
      budget,
    });
  }

  /** A call whose every fault means the producer did not answer: unavailable, nothing done. */
  async function read<N extends InteractionName, T>(
    interaction: N,
    request: Requests[N],
    schema: z.ZodType<T>,
    budget: RequestBudget,
  ): Promise<T> {
    const outcome = await send(interaction, request, schema, budget);
    if (outcome.ok) return outcome.value;
    const { faultCode, platformCode } = outcome.fault;
    throw new ProviderError(
      ProviderErrorCode.Unavailable,
      `RIV-TA ${interaction}: SOAP fault ${faultCode}${platformCode ? ` ${platformCode}` : ''}`,
    );
  }

  return {
    logicalAddress,

    /** The facilities under `healthcareFacility` (the unit's own HSA id: all of them). */
    async healthcareFacilities(
      healthcareFacility: string,
      subjectOfCare: string,
      budget: RequestBudget,
    ): Promise<RivFacility[]> {
      const answer = await read(
        'GetAllHealthcareFacilities',
        { healthcareFacility, subjectOfCare },
        healthcareFacilitiesSchema,
        budget,
      );
      return answer.healthcareFacilityInfos;
    },

    /** The time types (tidstyper) bookable at a facility. */
    async timeTypes(
      healthcareFacility: string,
      subjectOfCare: string,
      budget: RequestBudget,
    ): Promise<RivTimeType[]> {
      const answer = await read(
        'GetAllTimeTypes',
        { healthcareFacility, subjectOfCare },
        timeTypesSchema,
        budget,
      );
      return answer.ListOfTimeTypes;
    },

    /** The performers (HSA person ids) with bookable time at a facility. */
    async performers(
      healthcareFacility: string,
      subjectOfCare: string,
      budget: RequestBudget,
    ): Promise<RivPerformer[]> {
      const answer = await read(
        'GetAllPerformers',
        { healthcareFacility, subjectOfCare },
        performersSchema,
        budget,
      );
      return answer.performerInfos;
    },

    /** Free timeslots at a facility on local days `startDateInclusive`..`endDateInclusive`. */
    async availableTimeslots(
      request: Requests['GetAvailableTimeslots'],
      budget: RequestBudget,
    ): Promise<RivTimeslot[]> {
      const answer = await read('GetAvailableTimeslots', request, availableTimeslotsSchema, budget);
      return answer.timeslotDetail;
    },

    /**
     * MakeBooking, the patient acting (`Actor` header). The result (`resultCode` OK, INFO or
     * ERROR in an HTTP 200) is the caller's to judge; a fault means the request was refused.
     */
    makeBooking(request: BookingRequest, budget: RequestBudget): Promise<SoapOutcome<RivResult>> {
      return send(
        'MakeBooking',
        {
          healthcareFacility: request.healthcareFacility,
          timeslot: {
            startTimeInclusive: request.startTimeInclusive,
            endTimeExclusive: request.endTimeExclusive,
            healthcareFacility: request.healthcareFacility,
            performer: request.performer,
            subjectOfCare: request.subjectOfCare,
            purpose: request.purpose,
            timeTypeId: request.timeTypeId,
          },
          subject: request.subject,
          notification: request.notification,
        },
        makeBookingSchema,
        budget,
        { actorId: request.subjectOfCare, actorType: 'subject_of_care' },
      );
    },

    /** CancelBooking; the result is the caller's to judge. */
    cancelBooking(
      healthcareFacility: string,
      bookingId: string,
      budget: RequestBudget,
    ): Promise<SoapOutcome<z.output<typeof cancelBookingSchema>>> {
      return send('CancelBooking', { healthcareFacility, bookingId }, cancelBookingSchema, budget);
    },

    /**
     * The booking's timeslot, or `null` when the producer faults with `Client`: the response
     * has no resultCode, so an unknown or cancelled booking can only be a fault.
     */
    async bookingDetails(
      healthcareFacility: string,
      bookingId: string,
      budget: RequestBudget,
    ): Promise<RivTimeslot | null> {
      const outcome = await send(
        'GetBookingDetails',
        { healthcareFacility, bookingId },
        bookingDetailsSchema,
        budget,
      );
      if (outcome.ok) return outcome.value.timeslotDetail;
      if (outcome.fault.faultCode === 'Client' && outcome.fault.platformCode === undefined)
        return null;
      const { faultCode, platformCode } = outcome.fault;
      throw new ProviderError(
        ProviderErrorCode.Unavailable,
        `RIV-TA GetBookingDetails: SOAP fault ${faultCode}${platformCode ? ` ${platformCode}` : ''}`,
      );
    },

    /** The subject's bookings at a facility. */
    async subjectOfCareSchedule(
      healthcareFacility: string,
      subjectOfCare: string,
      budget: RequestBudget,
    ): Promise<RivTimeslot[]> {
      const answer = await read(
        'GetSubjectOfCareSchedule',
        { healthcareFacility, subjectOfCare },
        subjectOfCareScheduleSchema,
        budget,
      );
      return answer.timeslotDetail;
    },
  };
}
