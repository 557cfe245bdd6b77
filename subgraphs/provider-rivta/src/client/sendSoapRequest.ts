import {
  describeIssues,
  ProviderError,
  ProviderErrorCode,
  type RequestBudget,
  sendHttpRequest,
} from '@booking/provider-kit';
import type { Dispatcher } from 'undici';
import { type Actor, buildRequestEnvelope, type Requests } from './buildRequestEnvelope.js';
import {
  endpointPath,
  type InteractionName,
  responderNamespace,
  soapAction,
  writeInteractions,
} from './interactions.js';
import { EnvelopeError, parseSoapEnvelope } from './parseSoapEnvelope.js';
import { type Responses, responseSchemas } from './schemas.js';

/** A SOAP fault the producer (or the service platform in front of it) answered with. */
export interface SoapFaultInfo {
  /** `Client`: the request was refused; `Server`: the producer or platform failed. */
  faultCode: string;
  /**
   * The national service platform's error code (`VP004` unknown logical address, `VP009`
   * producer unreachable, …) when the fault string starts with one: safe to log, unlike the rest.
   */
  platformCode: string | undefined;
  /** The producer's own words. May quote the request, patient data included: never logged. */
  faultString: string;
}

/** A call's result: the validated response, or the fault it was refused with (never thrown). */
export type SoapOutcome<T> = { ok: true; value: T } | { ok: false; fault: SoapFaultInfo };

/** The error of a fault that means the producer did not answer: unavailable, nothing done. */
export function faultError(interaction: InteractionName, fault: SoapFaultInfo): ProviderError {
  const code = fault.platformCode ? ` ${fault.platformCode}` : '';
  return new ProviderError(
    ProviderErrorCode.Unavailable,
    `RIV-TA ${interaction}: SOAP fault ${fault.faultCode}${code}`,
  );
}

/** Where and how to reach the service platform. */
export interface SoapEndpoint {
  /** The platform's base URL, e.g. `http://127.0.0.1:4103/vp`; interactions hang below it. */
  readonly baseUrl: string;
  /** Keep-alive connection pool to the platform. */
  readonly dispatcher: Dispatcher;
}

/** One call: interaction, routing and request. */
export interface SoapCall<N extends InteractionName> {
  interaction: N;
  logicalAddress: string;
  request: Requests[N];
  actor?: Actor | undefined;
  /** What the caller may still spend: its abort signal and deadline. */
  budget: RequestBudget;
}

/** Responses larger than this are refused: no answer of these contracts comes near it. */
const maxResponseBytes = 8 * 1024 * 1024;

/**
 * Sends one RIVTABP21 request through the kit's HTTP transport (statuses, Retry-After, deadline,
 * lost answers) and reads the envelope. A response is checked to be the interaction's response
 * element and validated against `schema`; a SOAP fault (HTTP 500, or misplaced in a 200) comes
 * back as an outcome for the caller to judge; anything else throws a `ProviderError`. Writes are
 * never retried: their lost answers are reconciled.
 */
export async function sendSoapRequest<N extends InteractionName>(
  endpoint: SoapEndpoint,
  call: SoapCall<N>,
): Promise<SoapOutcome<Responses[N]>> {
  const what = `RIV-TA ${call.interaction}`;
  const base = endpoint.baseUrl.endsWith('/') ? endpoint.baseUrl : `${endpoint.baseUrl}/`;
  const { status, text } = await sendHttpRequest({
    what,
    url: new URL(endpointPath(call.interaction), base).href,
    method: 'POST',
    dispatcher: endpoint.dispatcher,
    headers: {
      'content-type': 'text/xml; charset=utf-8',
      accept: 'text/xml',
      soapaction: `"${soapAction(call.interaction)}"`,
    },
    body: buildRequestEnvelope(call.interaction, call.logicalAddress, call.request, call.actor),
    isWrite: writeInteractions.has(call.interaction),
    budget: call.budget,
    // SOAP 1.1 answers a fault with 500 and a fault envelope; a 404 is a route the platform lacks.
    answered: [404, 500],
    maxResponseBytes,
  });
  const unavailable = () =>
    new ProviderError(ProviderErrorCode.Unavailable, `${what}: HTTP ${status}`, { status });
  const badResponse = (detail: string) =>
    new ProviderError(ProviderErrorCode.BadResponse, `${what}: ${detail}`, { status });
  if (status === 404) throw unavailable();
  let parsed: ReturnType<typeof parseSoapEnvelope>;
  try {
    parsed = parseSoapEnvelope(text);
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    // A 500 without a fault envelope is a plain failure.
    throw status === 500 ? unavailable() : badResponse(error.message);
  }
  if (parsed.kind === 'fault') {
    const platformCode = /^(VP\d{3})\b/.exec(parsed.faultString)?.[1];
    return {
      ok: false,
      fault: { faultCode: parsed.faultCode, platformCode, faultString: parsed.faultString },
    };
  }
  if (status === 500) throw badResponse('HTTP 500 without a fault');
  const expected = `${call.interaction}Response`;
  if (parsed.namespace !== responderNamespace(call.interaction) || parsed.name !== expected) {
    throw badResponse(`expected ${expected}, got {${parsed.namespace}}${parsed.name}`);
  }
  const validated = responseSchemas[call.interaction].safeParse(parsed.payload);
  if (!validated.success) {
    throw badResponse(`unexpected response (${describeIssues(validated.error)})`);
  }
  return { ok: true, value: validated.data as Responses[N] };
}
