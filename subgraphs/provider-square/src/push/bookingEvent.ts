import { z } from 'zod';
import { zBooking } from '../__generated__/zod.gen.js';

const rfc3339 = z.iso.datetime({ offset: true });

/** The events a connection subscribes to and reads: every booking created or changed, by any channel. */
export const bookingEventTypes = ['booking.created', 'booking.updated'];

/**
 * Square's event notification. A booking event's `data` (`BookingCreatedEvent`,
 * `BookingUpdatedEvent`) is read as `bookingEventData`: what the adapter needs is required (the
 * booking's id, version, status, start and times), the rest is Square's `Booking` as generated
 * from the document. Other event types have the same envelope and are acknowledged unread.
 * @link https://developer.squareup.com/reference/square/bookings-api/webhooks/booking.updated
 */
export const squareEvent = z.object({
  merchant_id: z.string().min(1),
  type: z.string().min(1),
  event_id: z.string().min(1).max(255),
  created_at: rfc3339,
  data: z.unknown(),
});

export const bookingEventData = z.object({
  type: z.literal('booking'),
  object: z.object({
    booking: zBooking.extend({
      id: z.string().min(1),
      version: z.int().min(0),
      status: zBooking.shape.status.unwrap(),
      start_at: rfc3339,
      updated_at: rfc3339,
      location_id: z.string().min(1),
    }),
  }),
});
