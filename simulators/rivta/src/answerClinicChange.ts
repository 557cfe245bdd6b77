import type http from 'node:http';
import { clinicChangeRequest } from '@booking/simulator-kit';
import { z } from 'zod';
import type { BookingRecord, CareUnitStore } from './createCareUnitStore.js';
import type { Timeslot } from './generateTimeslots.js';
import { type Answer, json, readBody } from './httpAnswer.js';
import type { RivtaLogger } from './server.js';

/**
 * A booking as consumers address it: its bare id (`BK00000001`), or the facility and id every
 * call about it names (`<facility HSA id>|<bookingId>`, the provider subgraph's reference).
 */
const bookingRef = z
  .string()
  .min(1)
  .max(200)
  .transform((text, context) => {
    try {
      const parts = text.split('|').map((part) => decodeURIComponent(part));
      if (parts.length === 1) return { facility: undefined, bookingId: parts[0]! };
      if (parts.length === 2) return { facility: parts[0], bookingId: parts[1]! };
    } catch {
      // A malformed %-escape: reported below like any other unreadable reference.
    }
    context.addIssue({ code: 'custom', message: 'a booking id, or <facility>|<booking id>' });
    return z.NEVER;
  });
// OPEN_SLOT without `start`: the next time the book has room for, from now.
const changeSchema = clinicChangeRequest({ booking: bookingRef });

/** What the control protocol's change answers: the booking without the patient's identity or name. */
function publicBooking(record: BookingRecord) {
  return {
    bookingId: record.bookingId,
    status: record.status,
    ...publicTimeslot(record.timeslot),
  };
}

function publicTimeslot(slot: Timeslot) {
  return {
    healthcareFacility: slot.facilityHsaId,
    performer: slot.performerHsaId,
    start: slot.start,
    end: slot.end,
    timeTypeId: slot.timeTypeId,
  };
}

/**
 * `POST /_admin/clinic-changes`: the care unit's staff change their own book, which consumers
 * then see through the contracts (GetBookingDetails, GetAvailableTimeslots), as RIV-TA pushes
 * nothing. crm:scheduling 1.1 cannot express a no-show: `TimeslotType` has no attendance or
 * status element, and GetBookingDetails answers either the booked timeslot or a fault, so
 * NO_SHOW is answered 501. Every change runs synchronously on the unit's store once the body is
 * read, so it cannot interleave with a booking.
 */
export async function answerClinicChange(
  units: () => ReadonlyMap<string, CareUnitStore>,
  req: http.IncomingMessage,
  logger: RivtaLogger,
): Promise<Answer> {
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch (error) {
    if (error instanceof SyntaxError) {
      return json(400, { error: 'invalid_request', message: 'Body is not JSON.' });
    }
    throw error;
  }
  const parsed = changeSchema.safeParse(body);
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
      .join('; ');
    return json(400, { error: 'invalid_request', message });
  }
  const change = parsed.data;
  const store = units().get(change.connection);
  if (!store) {
    return json(404, { error: 'not_found', message: `Unknown unit ${change.connection}.` });
  }
  if (change.kind === 'NO_SHOW') {
    return json(501, {
      error: 'not_implemented',
      message:
        'crm:scheduling 1.1 has no no-show: a booking is booked or gone, TimeslotType records no attendance.',
    });
  }
  if (change.kind === 'OPEN_SLOT') {
    const facility = store.facility(change.clinic);
    if (!facility) {
      return json(404, { error: 'not_found', message: `Unknown facility ${change.clinic}.` });
    }
    const opened = store.openAtClinic(facility, change.start);
    if (!opened.ok) return json(opened.status, { error: 'conflict', message: opened.message });
    logger.info('timeslot opened at the clinic', {
      unit: change.connection,
      healthcareFacility: facility.hsaId,
      start: opened.value.start,
    });
    return json(200, { slot: publicTimeslot(opened.value) });
  }
  const { facility, bookingId } = change.booking;
  const known = store.allBookings().find((record) => record.bookingId === bookingId);
  if (!known || (facility !== undefined && known.timeslot.facilityHsaId !== facility)) {
    return json(404, { error: 'not_found', message: `Unknown booking ${bookingId}.` });
  }
  const outcome =
    change.kind === 'CANCEL'
      ? store.cancelAtClinic(bookingId)
      : store.moveAtClinic(bookingId, change.start);
  if (!outcome.ok) {
    const error = outcome.status === 404 ? 'not_found' : 'conflict';
    return json(outcome.status, { error, message: outcome.message });
  }
  // The booking id and the unit only: the record holds the patient, who is never logged.
  logger.info('booking changed at the clinic', {
    unit: change.connection,
    kind: change.kind,
    bookingId,
  });
  return json(200, { booking: publicBooking(outcome.value) });
}
