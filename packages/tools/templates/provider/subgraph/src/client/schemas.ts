import { z } from 'zod';

/*
 * The vendor's payloads, validated on every response. Replace with the vendor's documented shapes;
 * keep the `@link` to the section of the vendor's documentation each schema follows.
 */

/** @link simulators/__name__/src/server.ts (404 and 409 answers) */
export const vendorError = z.object({ error: z.string() });
export type VendorError = z.infer<typeof vendorError>;

/** @link simulators/__name__/src/server.ts (GET /clinics) */
export const vendorClinic = z.object({
  id: z.string(),
  name: z.string(),
  city: z.string(),
  treatments: z.array(z.string()),
});
export type VendorClinic = z.infer<typeof vendorClinic>;

/** @link simulators/__name__/src/server.ts (GET /slots) */
export const vendorSlot = z.object({
  id: z.string(),
  clinicId: z.string(),
  start: z.string(),
  end: z.string(),
});
export type VendorSlot = z.infer<typeof vendorSlot>;

/** @link simulators/__name__/src/server.ts (GET /slots/:id) */
export const vendorSlotState = vendorSlot.extend({ booked: z.boolean() });

/** @link simulators/__name__/src/server.ts (POST /bookings) */
export const vendorBooking = z.object({
  id: z.string(),
  slotId: z.string(),
  externalRef: z.string(),
  status: z.enum(['booked', 'cancelled']),
});
export type VendorBooking = z.infer<typeof vendorBooking>;
