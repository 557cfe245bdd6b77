import type { AppointmentSegment, SellerStore } from './createSellerStore.js';
import { segmentSpans } from './createSellerStore.js';
import { conflict, invalid } from './errors.js';
import { asObject, optionalInteger, requiredString, requireValue } from './readFields.js';
import { catalogVersion } from './seed.js';

/**
 * Reads `appointment_segments` of a booking: each names a team member who works at the location
 * and performs the service variation, and the variation's current version.
 */
export function readSegments(
  store: SellerStore,
  raw: unknown,
  locationId: string,
  field: string,
): AppointmentSegment[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw invalid('MISSING_REQUIRED_PARAMETER', `Missing required parameter ${field}.`, field);
  }
  return raw.map((value, i) => {
    const path = `${field}[${i}]`;
    const segment = asObject(value, path);
    const memberId = requiredString(segment, 'team_member_id', `${path}.team_member_id`, 32);
    const variationId = requiredString(
      segment,
      'service_variation_id',
      `${path}.service_variation_id`,
      36,
    );
    requireValue(segment, 'service_variation_version', `${path}.service_variation_version`);
    const version = optionalInteger(
      segment,
      'service_variation_version',
      `${path}.service_variation_version`,
    );
    const found = store.variations.get(variationId);
    if (!found || found.variation.availableForBooking === false) {
      throw invalid(
        'INVALID_VALUE',
        `Service variation ${variationId} is not bookable.`,
        `${path}.service_variation_id`,
      );
    }
    if (version !== catalogVersion) {
      throw invalid(
        'INVALID_VALUE',
        `Service variation version ${version} is not the current version ${catalogVersion}.`,
        `${path}.service_variation_version`,
      );
    }
    const member = store.teamMembers.get(memberId);
    if (
      member?.isBookable !== true ||
      member.locationId !== locationId ||
      !found.variation.teamMemberIds.includes(memberId)
    ) {
      throw invalid(
        'INVALID_VALUE',
        `Team member ${memberId} does not provide ${variationId} at location ${locationId}.`,
        `${path}.team_member_id`,
      );
    }
    const duration = optionalInteger(segment, 'duration_minutes', `${path}.duration_minutes`);
    if (duration !== undefined && (duration < 1 || duration > 1500)) {
      throw invalid(
        duration < 1 ? 'VALUE_TOO_LOW' : 'VALUE_TOO_HIGH',
        'duration_minutes must be 1..1500.',
        `${path}.duration_minutes`,
      );
    }
    const intermission =
      optionalInteger(segment, 'intermission_minutes', `${path}.intermission_minutes`) ?? 0;
    return {
      duration_minutes: duration ?? found.variation.durationMinutes,
      service_variation_id: variationId,
      team_member_id: memberId,
      service_variation_version: catalogVersion,
      intermission_minutes: Math.max(0, intermission),
      any_team_member: false,
    };
  });
}

/**
 * Refuses a time nobody can be booked for: in the past, outside a team member's working hours,
 * or overlapping another booking of the same team member (409 CONFLICT on `booking.start_at`).
 * Synchronous: the caller writes the booking in the same turn, so no other request can slip in.
 */
export function ensureBookable(
  store: SellerStore,
  startMs: number,
  segments: readonly AppointmentSegment[],
  exceptBookingId?: string,
): void {
  const field = 'booking.start_at';
  if (startMs <= store.clock().getTime())
    throw conflict('The requested time is in the past.', field);
  const spans = segmentSpans(startMs, segments);
  const last = spans[spans.length - 1];
  store.prepare(new Set(spans.map((s) => s.teamMemberId)), {
    start: startMs,
    end: last?.end ?? startMs,
  });
  for (const span of spans) {
    if (!store.worksDuring(span.teamMemberId, span)) {
      throw conflict(
        `Team member ${span.teamMemberId} is not available at the requested time.`,
        field,
      );
    }
    if (store.busySpans(span.teamMemberId, span, exceptBookingId).length > 0) {
      throw conflict(
        `The requested time is no longer available for team member ${span.teamMemberId}.`,
        field,
      );
    }
  }
}
