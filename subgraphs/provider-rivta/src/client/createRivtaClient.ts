import type { RequestBudget } from '@booking/provider-kit';
import type { Dispatcher } from 'undici';
import type { Requests } from './buildRequestEnvelope.js';
import type { InteractionName } from './interactions.js';
import type { Responses, RivTimeslot } from './schemas.js';
import { faultError, type SoapOutcome, sendSoapRequest } from './sendSoapRequest.js';

export interface RivtaClientOptions {
  /** The service platform's base URL, e.g. `http://127.0.0.1:4103/vp`. */
  baseUrl: string;
  /** The care unit's HSA id: the `LogicalAddress` every request is routed by. */
  logicalAddress: string;
  /** The connection's own keep-alive dispatcher (the kit's `Agent`); closed by its owner, not here. */
  dispatcher: Dispatcher;
}

export type RivtaClient = ReturnType<typeof createRivtaClient>;

/**
 * RIV-TA crm:scheduling 1.1 for one care unit: every interaction by name, its request and its
 * validated response as `Requests` and `Responses` have them (`interactions.ts`). `read` throws
 * on a fault (the producer refused to answer: unavailable); `send` returns faults as outcomes,
 * for the calls whose faults mean something.
 */
export function createRivtaClient(options: RivtaClientOptions) {
  const endpoint = { baseUrl: options.baseUrl, dispatcher: options.dispatcher };
  const { logicalAddress } = options;

  /** One interaction: its validated response, or the fault it was refused with. */
  function send<N extends InteractionName>(
    interaction: N,
    request: Requests[N],
    budget: RequestBudget,
  ): Promise<SoapOutcome<Responses[N]>> {
    // MakeBooking names the patient as the one acting (`Actor` header).
    const actor =
      interaction === 'MakeBooking'
        ? {
            actorId: (request as Requests['MakeBooking']).subjectOfCare,
            actorType: 'subject_of_care' as const,
          }
        : undefined;
    return sendSoapRequest(endpoint, { interaction, logicalAddress, request, actor, budget });
  }

  /** A call whose every fault means the producer did not answer: unavailable, nothing done. */
  async function read<N extends InteractionName>(
    interaction: N,
    request: Requests[N],
    budget: RequestBudget,
  ): Promise<Responses[N]> {
    const outcome = await send(interaction, request, budget);
    if (outcome.ok) return outcome.value;
    throw faultError(interaction, outcome.fault);
  }

  return {
    logicalAddress,
    send,
    read,

    /**
     * The booking's timeslot, or `null` when the producer faults with `Client`: the response
     * has no resultCode, so an unknown or cancelled booking can only be a fault.
     */
    async bookingDetails(
      request: Requests['GetBookingDetails'],
      budget: RequestBudget,
    ): Promise<RivTimeslot | null> {
      const outcome = await send('GetBookingDetails', request, budget);
      if (outcome.ok) return outcome.value.timeslotDetail;
      const { faultCode, platformCode } = outcome.fault;
      if (faultCode === 'Client' && platformCode === undefined) return null;
      throw faultError('GetBookingDetails', outcome.fault);
    },
  };
}
