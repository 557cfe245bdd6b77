import { invalidInput } from '../errors.js';

/** The kinds of object that carry a public id. */
export type GlobalIdType =
  | 'Provider'
  | 'Clinic'
  | 'Slot'
  | 'Practitioner'
  | 'Reservation'
  | 'ReservationEvent'
  | 'WebhookEndpoint'
  | 'WebhookDelivery'
  | 'AvailabilityWatch'
  | 'AvailabilityEvent';

/**
 * Public ids are opaque: base64url of `[type, connectionId, localId?]`. They encode the provider
 * connection, so any id can be routed to the provider that owns it without a lookup.
 */
export function encodeGlobalId(type: GlobalIdType, connectionId: string, localId?: string): string {
  const parts = localId === undefined ? [type, connectionId] : [type, connectionId, localId];
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/**
 * The longest public id accepted. The ids the platform issues are a few hundred characters at
 * most; a longer one is refused before anything is decoded, and never reaches a provider.
 */
export const maxGlobalIdLength = 1024;

export interface DecodedGlobalId {
  connectionId: string;
  localId: string;
}

/**
 * Decodes an id of the expected `type`; throws a BAD_USER_INPUT error naming `field` otherwise, so
 * a client that passes a clinic id where a slot id belongs learns it at once.
 */
export function decodeGlobalId(type: GlobalIdType, id: string, field: string): DecodedGlobalId {
  if (id.length > maxGlobalIdLength) {
    throw invalidInput(field, `a ${type} id is at most ${maxGlobalIdLength} characters`);
  }
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  } catch {
    throw invalidInput(field, `"${id}" is not a valid ${type} id`);
  }
  const valid =
    Array.isArray(parts) &&
    parts[0] === type &&
    typeof parts[1] === 'string' &&
    (parts.length === 2 || (parts.length === 3 && typeof parts[2] === 'string'));
  if (!valid) throw invalidInput(field, `"${id}" is not a valid ${type} id`);
  const [, connectionId, localId = ''] = parts as [string, string, string?];
  return { connectionId, localId };
}

/** The "connection" of a watch's public id: watches belong to no provider connection. */
export const watchSpace = 'watches';
