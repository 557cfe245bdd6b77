import * as kit from '@booking/provider-kit';
import { z } from 'zod';
import type { zBooking, zCatalogObject, zLocation } from './__generated__/zod.gen.js';
import type { SquareErrors } from './client/createSquareClient.js';

type CatalogObject = z.output<typeof zCatalogObject>;
/** A Square booking as the generated schema reads it (every field optional). */
export type Booking = z.output<typeof zBooking>;

/** What Square needs to book an availability again (it has no id of its own): the slot id. */
const slotKey = z.object({
  startMs: z.number().int(),
  // The rest is the booking's appointment segment, as Square names its fields.
  duration_minutes: z.number().int().min(1).max(1500),
  team_member_id: z.string().min(1),
  service_variation_id: z.string().min(1),
  service_variation_version: z.number().int(),
});
export type SlotKey = z.infer<typeof slotKey>;
export const parseSlotId = (id: string) => kit.decodeSlotKey(id, slotKey);

/** Whether two slot keys are the same time with the same team member: anything else is no move. */
export const sameTime = (a: SlotKey, b: SlotKey) =>
  a.startMs === b.startMs && a.team_member_id === b.team_member_id;

export const iso = (ms: number) => new Date(ms).toISOString();

/** The seller note that carries the reservation id: how a booking whose answer was lost is found. */
export const sellerNote = (reservationId: string) => `Vården reservation ${reservationId}`;

/** The reservation id in a seller note the platform wrote; undefined in any other note. */
export const reservationOf = (note: string | null | undefined) =>
  /^Vården reservation (\S+)$/.exec(note ?? '')?.[1];

const bookableAt = (v: CatalogObject, locationId: string) =>
  !v.is_deleted &&
  v.item_variation_data?.available_for_booking === true &&
  (v.present_at_all_locations === true || !!v.present_at_location_ids?.includes(locationId));

/**
 * The variations of the mapped APPOINTMENTS_SERVICE items bookable at `locationId`, each a
 * platform treatment with Square's variation id as its code and Square's name.
 */
export function servicesOf(
  items: readonly CatalogObject[],
  treatments: Readonly<Record<string, string>>,
  locationId: string,
) {
  return items.flatMap((item) => {
    const treatmentId = treatments[item.id];
    if (!treatmentId || item.item_data?.product_type !== 'APPOINTMENTS_SERVICE') return [];
    // Validated as CatalogObject by the generated schema, typed `any` there (a recursive type).
    const variations = (item.item_data.variations ?? []) as CatalogObject[];
    return variations.flatMap((v) => {
      if (!bookableAt(v, locationId)) return [];
      const durationMinutes = Number(v.item_variation_data?.service_duration ?? 0) / 60_000;
      const name = `${item.item_data?.name ?? ''} ${v.item_variation_data?.name ?? ''}`.trim();
      const treatment = { id: treatmentId, providerCode: v.id, name, durationMinutes };
      return [{ variationId: v.id, version: Number(v.version ?? 0), treatment }];
    });
  });
}
/** A bookable service variation at the connection's location, mapped to the catalogue. */
export type Service = ReturnType<typeof servicesOf>[number];

export function toContractClinic(
  location: z.output<typeof zLocation>,
  treatments: readonly kit.ContractTreatment[],
): kit.ContractClinic {
  const { address: a, coordinates: c } = location;
  return {
    id: location.id ?? '',
    name: location.name ?? '',
    address: a?.address_line_1
      ? { line: a.address_line_1, postalCode: a.postal_code ?? null, city: a.locality ?? '' }
      : null,
    location: c?.latitude && c.longitude ? { latitude: c.latitude, longitude: c.longitude } : null,
    timeZone: location.timezone ?? 'UTC',
    treatmentIds: [...new Set(treatments.map((t) => t.id))],
  };
}

export function toContractSlot(
  key: SlotKey,
  clinicId: string,
  treatmentId: string,
  practitionerName: string,
): kit.ContractSlot {
  return {
    id: kit.encodeSlotKey(key),
    clinicId,
    start: iso(key.startMs),
    end: iso(key.startMs + key.duration_minutes * 60_000),
    treatmentIds: [treatmentId],
    practitioner: { id: key.team_member_id, name: practitionerName },
    bookingUrl: null,
    capacity: null,
  };
}

/**
 * Square's `BookingStatus` in the contract: the seller's and the customer's cancels and a declined
 * request are `CANCELLED`, `NO_SHOW` is `NO_SHOW`, and a pending or accepted booking is `BOOKED`.
 */
const statuses: Partial<Record<string, kit.ContractBookingStatus>> = {
  CANCELLED_BY_SELLER: 'CANCELLED',
  CANCELLED_BY_CUSTOMER: 'CANCELLED',
  DECLINED: 'CANCELLED',
  NO_SHOW: 'NO_SHOW',
};

/**
 * The slot an availability or a booking of one appointment segment takes, as the adapter's slot
 * ids encode it (the key's fields in the schema's order, so the same time gives the same id); a
 * field Square left out is the service's, when given. Null for several segments, which the
 * adapter never offers.
 */
export function slotKeyOf(
  timed: Pick<Booking, 'start_at' | 'appointment_segments'>,
  service?: Service,
): SlotKey | null {
  const [segment, ...more] = timed.appointment_segments ?? [];
  if (!segment || more.length > 0) return null;
  const parsed = slotKey.safeParse({
    startMs: Date.parse(timed.start_at ?? ''),
    duration_minutes: segment.duration_minutes ?? service?.treatment.durationMinutes,
    team_member_id: segment.team_member_id,
    service_variation_id: segment.service_variation_id ?? service?.variationId,
    service_variation_version: Number(segment.service_variation_version ?? service?.version),
  });
  return parsed.success ? parsed.data : null;
}

/**
 * A booking in the contract. `start` and `end` are Square's `start_at` and the segments' length;
 * `slotId` is the slot booked, `bookedSlotId`, unless the clinic moved the booking: then the slot
 * it takes now.
 */
export function toContractBooking(
  booking: Booking,
  reservationId: string,
  bookedSlotId: string,
): kit.ContractBooking {
  const key = slotKeyOf(booking);
  const booked = parseSlotId(bookedSlotId);
  const startMs = Date.parse(booking.start_at ?? '');
  const segments = booking.appointment_segments ?? [];
  const minutes = segments.reduce((sum, s) => sum + (s.duration_minutes ?? 0), 0);
  const timed = !Number.isNaN(startMs) && minutes > 0;
  return {
    reservationId,
    slotId: key && booked && !sameTime(key, booked) ? kit.encodeSlotKey(key) : bookedSlotId,
    status: statuses[booking.status ?? ''] ?? 'BOOKED',
    providerReference: booking.id ?? '',
    expiresAt: null,
    start: timed ? iso(startMs) : null,
    end: timed ? iso(startMs + minutes * 60_000) : null,
  };
}

/** Square's refusal of a booking write as the contract's typed failure: codes, never details. */
export function toBookingFailure(
  status: number,
  { errors }: SquareErrors,
): kit.ContractBookingResult {
  const codes = errors.map((e) => e.code).join(', ');
  const field = errors[0]?.field;
  if (status === 409 || field?.endsWith('start_at')) {
    return kit.bookingFailure('SLOT_UNAVAILABLE', `the slot is taken (${codes})`);
  }
  if (status === 404) return kit.bookingFailure('NOT_FOUND', `Square: ${codes}`);
  return kit.bookingFailure('INVALID_INPUT', `Square refused (${codes})`, field ? { field } : {});
}
