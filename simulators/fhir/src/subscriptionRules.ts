import {
  badRequest,
  getSearchParameter,
  isResourceType,
  OperationOutcomeError,
  parseSearchRequest,
} from '@medplum/core';
import type { Subscription } from '@medplum/fhirtypes';

/**
 * What this server accepts of an R4 Subscription (https://hl7.org/fhir/R4/subscription.html), and
 * how it takes one on. Only the `rest-hook` channel is served: a server may refuse channel types it
 * does not offer, and R4 leaves which ones to the server.
 */

/** Payload types the server can send: JSON only (no XML serialiser here). */
const jsonPayloads = new Set(['application/fhir+json', 'application/json']);

/** RFC 9110 `field-name: value`, without line breaks (a header cannot smuggle another one). */
const headerLine = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:[^\r\n]*$/;

/** The media type of a `channel.payload` without its parameters (`; fhirVersion=4.0`). */
export function payloadMediaType(payload: string): string {
  return (payload.split(';')[0] ?? '').trim().toLowerCase();
}

function refuse(message: string, expression: string): never {
  throw new OperationOutcomeError(badRequest(message, expression));
}

function checkCriteria(criteria: string): void {
  const resourceType = criteria.split('?')[0] ?? '';
  if (!isResourceType(resourceType)) {
    refuse(
      `criteria must start with a resource type, e.g. Appointment?status=booked`,
      'Subscription.criteria',
    );
  }
  if (resourceType === 'Subscription') {
    refuse('criteria on Subscription are not supported', 'Subscription.criteria');
  }
  let filters: { code: string }[];
  try {
    filters = parseSearchRequest(criteria).filters ?? [];
  } catch {
    refuse('criteria is not a valid search', 'Subscription.criteria');
  }
  for (const filter of filters) {
    if (!getSearchParameter(resourceType, filter.code)) {
      refuse(
        `unknown search parameter ${resourceType}.${filter.code} in criteria`,
        'Subscription.criteria',
      );
    }
  }
}

function checkChannel(channel: Subscription['channel']): void {
  if (channel.type !== 'rest-hook') {
    refuse(
      `channel type ${channel.type} is not supported; use rest-hook`,
      'Subscription.channel.type',
    );
  }
  let endpoint: URL | undefined;
  try {
    endpoint = channel.endpoint ? new URL(channel.endpoint) : undefined;
  } catch {
    endpoint = undefined;
  }
  if (!endpoint || (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:')) {
    refuse('a rest-hook needs an absolute http(s) endpoint', 'Subscription.channel.endpoint');
  }
  for (const [index, header] of (channel.header ?? []).entries()) {
    if (!headerLine.test(header)) {
      refuse('a header is "Name: value" on one line', `Subscription.channel.header[${index}]`);
    }
  }
  if (channel.payload !== undefined && !jsonPayloads.has(payloadMediaType(channel.payload))) {
    refuse('payload must be application/fhir+json (or none)', 'Subscription.channel.payload');
  }
}

/**
 * The Subscription as the server stores it, or an `OperationOutcomeError` (400) naming what is
 * wrong, so that nothing is stored. A client asks with status `requested`; the server has checked
 * it and serves it at once, so it is stored `active`, and an `error` it had is cleared (R4: the
 * client re-requests a subscription that failed). `off` and `error` are kept as written.
 */
export function admitSubscription(subscription: Subscription): Subscription {
  checkCriteria(subscription.criteria);
  checkChannel(subscription.channel);
  if (subscription.status !== 'requested') return subscription;
  const { error: _cleared, ...rest } = subscription;
  return { ...rest, status: 'active' };
}
