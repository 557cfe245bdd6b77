import { ianaTimeZone, latitude, longitude } from '@booking/provider-kit';
import { z } from 'zod';

/**
 * Zod schemas of every Cliniq response the adapter reads. Unknown fields are dropped, missing or
 * mistyped ones fail the call as PROVIDER_BAD_RESPONSE: a vendor that changes shape is caught at
 * the boundary, not three layers further in.
 */

/** Cliniq's local wall time without offset, `yyyy-MM-dd'T'HH:mm:ss` (Europe/Stockholm). */
export const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, "expected yyyy-MM-dd'T'HH:mm:ss without offset");

const id = z.string().min(1);

/** @link simulators/cliniq/README.md#quirks */
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    page: z.number().int().positive(),
    pageSize: z.number().int().positive(),
    totalPages: z.number().int().nonnegative(),
    totalItems: z.number().int().nonnegative(),
  });

/** @link simulators/cliniq/README.md#api */
export const errorSchema = z.object({
  error: z.string().min(1),
  message: z.string().optional(),
  field: z.string().optional(),
});
export type VendorError = z.output<typeof errorSchema>;

/** @link simulators/cliniq/README.md#api */
export const clinicSchema = z.object({
  id,
  name: z.string().min(1),
  address: z.object({ street: z.string(), postalCode: z.string(), city: z.string() }),
  geo: z.object({ lat: latitude, lng: longitude }),
  timezone: ianaTimeZone,
  serviceCodes: z.array(z.string()),
});
export type VendorClinic = z.output<typeof clinicSchema>;

/** @link simulators/cliniq/README.md#api */
export const serviceSchema = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  durationMinutes: z.number().int().positive(),
});
export type VendorService = z.output<typeof serviceSchema>;

/** @link simulators/cliniq/README.md#api */
export const slotSchema = z.object({
  id,
  clinicId: id,
  practitionerId: id,
  practitionerName: z.string(),
  serviceCodes: z.array(z.string()),
  start: localDateTime,
  end: localDateTime,
});
export type VendorSlot = z.output<typeof slotSchema>;

/** @link simulators/cliniq/README.md#api */
export const slotStateSchema = slotSchema.extend({ status: z.enum(['free', 'held', 'booked']) });
export type VendorSlotState = z.output<typeof slotStateSchema>;

/** @link simulators/cliniq/README.md#api */
export const holdSchema = z.object({
  holdId: id,
  slotId: id,
  externalRef: z.string().min(1),
  status: z.enum(['held', 'confirmed', 'released', 'expired']),
  expiresAt: localDateTime,
  bookingId: id.nullable().optional(),
});
export type VendorHold = z.output<typeof holdSchema>;

/** @link simulators/cliniq/README.md#api */
export const bookingSchema = z.object({
  bookingId: id,
  slotId: id,
  externalRef: z.string().min(1),
  status: z.enum(['booked', 'cancelled']),
  start: localDateTime,
  end: localDateTime,
  clinicId: id,
  practitionerId: id,
  createdAt: localDateTime,
});
export type VendorBooking = z.output<typeof bookingSchema>;

/** @link simulators/cliniq/README.md#api */
export const bookingListSchema = z.object({ data: z.array(bookingSchema).max(1) });

/** @link simulators/cliniq/README.md#api */
export const holdListSchema = z.object({ data: z.array(holdSchema).max(1) });
