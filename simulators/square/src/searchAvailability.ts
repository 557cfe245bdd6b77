import type { SellerStore } from './createSellerStore.js';
import { invalid, notFound } from './errors.js';
import { type Operation, ok } from './operation.js';
import {
  asObject,
  type Fields,
  optionalArray,
  requiredString,
  requireValue,
} from './readFields.js';
import { catalogVersion, type TeamMemberSeed } from './seed.js';
import { dayMs, formatTime, hourMs, minuteMs, parseTime } from './time.js';
import { type Span, workingWindows } from './workingWindows.js';

/** Square's limits on `start_at_range` (SearchAvailabilityFilter): 24 hours to 32 days. */
export const minRangeMs = 24 * hourMs;
export const maxRangeMs = 32 * dayMs;

interface Segment {
  variationId: string;
  durationMinutes: number;
  members: TeamMemberSeed[];
}

const overlaps = (busy: readonly Span[], span: Span) =>
  busy.some((b) => b.start < span.end && span.start < b.end);

function readRange(filter: Fields): Span {
  const field = 'query.filter.start_at_range';
  const range = asObject(requireValue(filter, 'start_at_range', field), field);
  const start = parseTime(
    requireValue(range, 'start_at', `${field}.start_at`),
    `${field}.start_at`,
  );
  const end = parseTime(requireValue(range, 'end_at', `${field}.end_at`), `${field}.end_at`);
  if (end - start < minRangeMs || end - start > maxRangeMs) {
    throw invalid(
      'INVALID_TIME_RANGE',
      'The time range of start_at_range must be at least 24 hours and at most 32 days long.',
      field,
    );
  }
  return { start, end };
}

function readSegments(store: SellerStore, filter: Fields, locationId: string): Segment[] {
  const field = 'query.filter.segment_filters';
  const filters = optionalArray(filter, 'segment_filters', field);
  if (!filters || filters.length === 0) {
    throw invalid('MISSING_REQUIRED_PARAMETER', `Missing required parameter ${field}.`, field);
  }
  return filters.map((raw, i) => {
    const path = `${field}[${i}]`;
    const segment = asObject(raw, path);
    const variationId = requiredString(
      segment,
      'service_variation_id',
      `${path}.service_variation_id`,
      36,
    );
    const found = store.variations.get(variationId);
    if (!found || found.variation.availableForBooking === false) {
      throw invalid(
        'INVALID_VALUE',
        `Service variation ${variationId} does not exist or is not available for booking.`,
        `${path}.service_variation_id`,
      );
    }
    const memberFilter =
      segment.team_member_id_filter === undefined
        ? {}
        : asObject(segment.team_member_id_filter, `${path}.team_member_id_filter`);
    if (memberFilter.all !== undefined) {
      throw invalid(
        'BAD_REQUEST',
        'team_member_id_filter.all is not supported.',
        `${path}.team_member_id_filter.all`,
      );
    }
    const any = optionalArray(memberFilter, 'any', `${path}.team_member_id_filter.any`)?.map(
      String,
    );
    const none =
      optionalArray(memberFilter, 'none', `${path}.team_member_id_filter.none`)?.map(String) ?? [];
    const members = found.variation.teamMemberIds
      .map((id) => store.teamMembers.get(id))
      .filter((m): m is TeamMemberSeed => m?.isBookable === true && m.locationId === locationId)
      .filter((m) => (!any || any.includes(m.id)) && !none.includes(m.id));
    return { variationId, durationMinutes: found.variation.durationMinutes, members };
  });
}

/**
 * The free starts of a chain of segments: the first segment's team members in turn, each start
 * on the seller's grid from the start of a working window; later segments follow back to back,
 * served by the first of their team members who works then and is free.
 */
export function findAvailabilities(
  store: SellerStore,
  locationId: string,
  segments: Segment[],
  range: Span,
  /** A booking being rescheduled: its own time counts as free. */
  exceptBookingId?: string,
) {
  const totalMs = segments.reduce((sum, s) => sum + s.durationMinutes * minuteMs, 0);
  const horizon = { start: range.start, end: range.end + totalMs };
  const allMembers = new Set(segments.flatMap((s) => s.members.map((m) => m.id)));
  store.prepare(allMembers, horizon);
  const busy = new Map(
    [...allMembers].map((id) => [id, store.busySpans(id, horizon, exceptBookingId)]),
  );
  const now = store.clock().getTime();
  const step = store.seller.slotIntervalMinutes * minuteMs;
  const [first, ...rest] = segments;
  const found: { start: number; segments: { memberId: string; segment: Segment }[] }[] = [];
  for (const member of first?.members ?? []) {
    for (const window of workingWindows(member.hours, store.zone, horizon)) {
      for (
        let at = window.start;
        at + (first?.durationMinutes ?? 0) * minuteMs <= window.end;
        at += step
      ) {
        if (at < range.start || at >= range.end || at <= now) continue;
        const chain = [{ memberId: member.id, segment: first as Segment }];
        let cursor = at + (first as Segment).durationMinutes * minuteMs;
        if (overlaps(busy.get(member.id) ?? [], { start: at, end: cursor })) continue;
        for (const segment of rest) {
          const span = { start: cursor, end: cursor + segment.durationMinutes * minuteMs };
          const next = segment.members.find(
            (m) => store.worksDuring(m.id, span) && !overlaps(busy.get(m.id) ?? [], span),
          );
          if (!next) break;
          chain.push({ memberId: next.id, segment });
          cursor = span.end;
        }
        if (chain.length === segments.length) found.push({ start: at, segments: chain });
      }
    }
  }
  found.sort(
    (a, b) =>
      a.start - b.start ||
      (a.segments[0]?.memberId ?? '').localeCompare(b.segments[0]?.memberId ?? ''),
  );
  return found.map((availability) => ({
    start_at: formatTime(availability.start),
    location_id: locationId,
    appointment_segments: availability.segments.map(({ memberId, segment }) => ({
      duration_minutes: segment.durationMinutes,
      service_variation_id: segment.variationId,
      team_member_id: memberId,
      service_variation_version: catalogVersion,
    })),
  }));
}

/**
 * `booking_id` instead of `location_id` and `segment_filters`: the times the booking could move
 * to, with its own services and team members, its current time counted as free.
 */
function rescheduleAvailabilities(store: SellerStore, filter: Fields, range: Span) {
  if (filter.location_id !== undefined || filter.segment_filters !== undefined) {
    throw invalid(
      'CONFLICTING_PARAMETERS',
      'booking_id cannot be set together with location_id or segment_filters.',
      'query.filter.booking_id',
    );
  }
  const bookingId = requiredString(filter, 'booking_id', 'query.filter.booking_id', 36);
  const booking = store.get(bookingId)?.booking;
  if (!booking)
    throw notFound(`Specified booking ${bookingId} was not found.`, 'query.filter.booking_id');
  const segments = booking.appointment_segments.map((segment) => ({
    variationId: segment.service_variation_id,
    durationMinutes: segment.duration_minutes,
    members: [store.teamMembers.get(segment.team_member_id)].filter(
      (m): m is TeamMemberSeed => m !== undefined,
    ),
  }));
  const found = findAvailabilities(store, booking.location_id, segments, range, booking.id);
  return { availabilities: found, errors: [] };
}

/**
 * `POST /v2/bookings/availability/search` [SearchAvailability]: the free starts in
 * `query.filter.start_at_range` (24 hours to 32 days long) at `location_id` for
 * `segment_filters`, from the team members' working hours minus every booking, never in the past.
 */
export const searchAvailability: Operation = (store, { body }) => {
  const request = asObject(body ?? {}, '');
  const query = asObject(requireValue(request, 'query', 'query'), 'query');
  const filter = asObject(requireValue(query, 'filter', 'query.filter'), 'query.filter');
  const range = readRange(filter);
  if (filter.booking_id !== undefined) return ok(rescheduleAvailabilities(store, filter, range));
  const locationId = requiredString(filter, 'location_id', 'query.filter.location_id', 32);
  if (!store.locations.has(locationId)) {
    throw invalid('INVALID_VALUE', `Unknown location ${locationId}.`, 'query.filter.location_id');
  }
  const segments = readSegments(store, filter, locationId);
  return ok({ availabilities: findAvailabilities(store, locationId, segments, range), errors: [] });
};
