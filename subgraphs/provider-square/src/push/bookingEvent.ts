import { z } from 'zod';
import { zBooking } from '../__generated__/zod.gen.js';

const rfc3339 = z.iso.datetime({ offset: true });

/**
 * Square's `BookingCreatedEvent` and `BookingUpdatedEvent` as the adapter reads them: what it
 * needs is required (the event's id and time, the booking's id, version, status, start and
 * segments), the rest is Square's `Booking` as generated from the document. Other event types
 * have the same envelope and are acknowledged unread.
 * @link https://developer.squareup.com/reference/square/bookings-api/webhooks/booking.updated
 */
export const squareEvent = z.object({
  merchant_id: z.string().min(1),
  type: z.string().min(1),
  event_id: z.string().min(1).max(255),
  created_at: rfc3339,
  data: z.unknown(),
});

export const bookingEventTypes = ['booking.created', 'booking.updated'];

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

export type SquareBookingEvent = z.output<typeof squareEvent>;
export type EventBooking = z.output<typeof bookingEventData>['object']['booking'];
