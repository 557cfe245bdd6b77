import {
  connectionFailure as classifyConnectionFailure,
  describeIssues,
  ProviderError,
  ProviderErrorCode,
} from '@booking/provider-kit';
import { type Dispatcher, request } from 'undici';
import type { z } from 'zod';
import { type Actor, buildRequestEnvelope, type Requests } from './buildRequestEnvelope.js';
import {
  endpointPath,
  type InteractionName,
  responderNamespace,
  soapAction,
  writeInteractions,
} from './interactions.js';
import { EnvelopeError, parseSoapEnvelope } from './parseSoapEnvelope.js';

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

/** Where and how to reach the service platform. */
export interface SoapEndpoint {
  /** The platform's base URL, e.g. `http://127.0.0.1:4103/vp`; interactions hang below it. */
  readonly baseUrl: string;
  /** Keep-alive connection pool to the platform. */
  readonly dispatcher: Dispatcher;
}

/** One call: interaction, routing, request and the schema of its response. */
export interface SoapCall<N extends InteractionName, T> {
  interaction: N;
  logicalAddress: string;
  request: Requests[N];
  actor?: Actor | undefined;
  schema: z.ZodType<T>;
  /** Aborted when the caller stops waiting. */
  signal: AbortSignal;
}

/** Responses larger than this are refused: no answer of these contracts comes near it. */
const maxResponseBytes = 8 * 1024 * 1024;

function connectionFailure(error: unknown, call: SoapCall<InteractionName, unknown>): unknown {
  return classifyConnectionFailure(error, {
    signal: call.signal,
    isWrite: writeInteractions.has(call.interaction),
    label: `RIV-TA ${call.interaction}`,
  });
}

function badResponse(call: SoapCall<InteractionName, unknown>, status: number, detail: string) {
  return new ProviderError(ProviderErrorCode.BadResponse, `RIV-TA ${call.interaction}: ${detail}`, {
    status,
  });
}

/**
 * Sends one RIVTABP21 request and classifies the answer. A response is checked to be the
 * interaction's response element and validated against `schema`; a SOAP fault (HTTP 500, or
 * misplaced in a 200) comes back as an outcome for the caller to judge; anything else throws a
 * `ProviderError`. Nothing is retried here: reads are cheap to ask again, writes are reconciled.
 */
export async function sendSoapRequest<N extends InteractionName, T>(
  endpoint: SoapEndpoint,
  call: SoapCall<N, T>,
): Promise<SoapOutcome<T>> {
  const base = endpoint.baseUrl.endsWith('/') ? endpoint.baseUrl : `${endpoint.baseUrl}/`;
  const url = new URL(endpointPath(call.interaction), base);
  const body = buildRequestEnvelope(
    call.interaction,
    call.logicalAddress,
    call.request,
    call.actor,
  );

  let response: Dispatcher.ResponseData;
  let text: string;
  try {
    response = await request(url, {
      dispatcher: endpoint.dispatcher,
      method: 'POST',
      signal: call.signal,
      headers: {
        'content-type': 'text/xml; charset=utf-8',
        accept: 'text/xml',
        soapaction: `"${soapAction(call.interaction)}"`,
      },
      body,
    });
    const declared = Number(response.headers['content-length'] ?? 0);
    if (declared > maxResponseBytes) {
      await response.body.dump();
      throw badResponse(call, response.statusCode, `response of ${declared} bytes`);
    }
    text = await response.body.text();
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    throw connectionFailure(error, call);
  }
  const status = response.statusCode;
  // SOAP 1.1 answers a fault with 500 and a fault envelope; a 500 without one is a plain failure.
  if (status !== 200 && status !== 500) {
    throw new ProviderError(
      status >= 500 || status === 429 || status === 404
        ? ProviderErrorCode.Unavailable
        : ProviderErrorCode.Internal,
      `RIV-TA ${call.interaction}: HTTP ${status}`,
      { status },
    );
  }
  let parsed: ReturnType<typeof parseSoapEnvelope>;
  try {
    parsed = parseSoapEnvelope(text);
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    if (status === 500) {
      throw new ProviderError(
        ProviderErrorCode.Unavailable,
        `RIV-TA ${call.interaction}: HTTP 500`,
        {
          status,
        },
      );
    }
    throw badResponse(call, status, error.message);
  }
  if (parsed.kind === 'fault') {
    const platformCode = /^(VP\d{3})\b/.exec(parsed.faultString)?.[1];
    return {
      ok: false,
      fault: { faultCode: parsed.faultCode, platformCode, faultString: parsed.faultString },
    };
  }
  if (status !== 200) throw badResponse(call, status, 'HTTP 500 without a fault');
  const expected = `${call.interaction}Response`;
  if (parsed.namespace !== responderNamespace(call.interaction) || parsed.name !== expected) {
    throw badResponse(
      call,
      status,
      `expected ${expected}, got {${parsed.namespace}}${parsed.name}`,
    );
  }
  const validated = call.schema.safeParse(parsed.payload);
  if (!validated.success) {
    throw badResponse(call, status, `unexpected response (${describeIssues(validated.error)})`);
  }
  return { ok: true, value: validated.data };
}
