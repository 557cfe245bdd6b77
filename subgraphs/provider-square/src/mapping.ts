import * as kit from '@booking/provider-kit';
import { z } from 'zod';
import type { zCatalogObject, zLocation } from './__generated__/zod.gen.js';
import type { SquareErrors } from './client/createSquareClient.js';

type CatalogObject = z.output<typeof zCatalogObject>;

/** A bookable service variation at the connection's location, mapped to the catalogue. */
export interface Service {
  variationId: string;
  version: number;
  /** The platform treatment, with Square's variation id as its code and Square's name. */
  treatment: kit.ContractTreatment;
}

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

const bookableAt = (v: CatalogObject, locationId: string) =>
  !v.is_deleted &&
  v.item_variation_data?.available_for_booking === true &&
  (v.present_at_all_locations === true || !!v.present_at_location_ids?.includes(locationId));

/** The variations of the mapped APPOINTMENTS_SERVICE items bookable at `locationId`. */
export function servicesOf(
  items: readonly CatalogObject[],
  treatments: Readonly<Record<string, string>>,
  locationId: string,
): Service[] {
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

/** A slot; its practitioner named by id until the adapter knows the name. */
export function toContractSlot(key: SlotKey, clinicId: string, service: Service): kit.ContractSlot {
  return {
    id: kit.encodeSlotKey(key),
    clinicId,
    start: iso(key.startMs),
    end: iso(key.startMs + key.duration_minutes * 60_000),
    treatmentIds: [service.treatment.id],
    practitioner: { id: key.team_member_id, name: key.team_member_id },
    bookingUrl: null,
    capacity: null,
  };
}

/** The seller note that carries the reservation id: how a booking whose answer was lost is found. */
export const iso = (ms: number) => new Date(ms).toISOString();

export const sellerNote = (reservationId: string) => `Vården reservation ${reservationId}`;

/** A Square booking as the mapping reads it (the generated `Booking`, every field optional). */
export interface SquareBookingLike {
  id?: string | undefined;
  status?: string | undefined;
  start_at?: string | null | undefined;
  appointment_segments?:
    | readonly {
        duration_minutes?: number | null | undefined;
        team_member_id?: string | null | undefined;
        service_variation_id?: string | null | undefined;
        service_variation_version?: number | bigint | null | undefined;
      }[]
    | null
    | undefined;
}

/**
 * Square's `BookingStatus` in the contract: the seller's and the customer's cancels and a declined
 * request are `CANCELLED`, `NO_SHOW` is `NO_SHOW`, and a pending or accepted booking is `BOOKED`.
 */
export function toContractStatus(status: string | undefined): kit.ContractBookingStatus {
  switch (status) {
    case 'CANCELLED_BY_SELLER':
    case 'CANCELLED_BY_CUSTOMER':
    case 'DECLINED':
      return 'CANCELLED';
    case 'NO_SHOW':
      return 'NO_SHOW';
    default:
      return 'BOOKED';
  }
}

/**
 * The slot a booking of one appointment segment takes, as the adapter's slot ids encode it (the
 * fields in the order the search writes them, so the same time gives the same id); null for a
 * booking of several segments, which the adapter never offers.
 */
export function slotKeyOf(booking: SquareBookingLike): SlotKey | null {
  const [segment, ...more] = booking.appointment_segments ?? [];
  const startMs = Date.parse(booking.start_at ?? '');
  if (!segment || more.length > 0 || Number.isNaN(startMs)) return null;
  const parsed = slotKey.safeParse({
    startMs,
    duration_minutes: segment.duration_minutes,
    team_member_id: segment.team_member_id,
    service_variation_id: segment.service_variation_id,
    service_variation_version: Number(segment.service_variation_version),
  });
  return parsed.success ? parsed.data : null;
}

/**
 * A booking in the contract. `start` and `end` are Square's `start_at` and the segments' length;
 * `slotId` is the slot booked, `bookedSlotId`, unless the clinic moved the booking: then the slot
 * it takes now.
 */
export function toContractBooking(
  booking: SquareBookingLike,
  reservationId: string,
  bookedSlotId: string,
): kit.ContractBooking {
  const key = slotKeyOf(booking);
  const booked = parseSlotId(bookedSlotId);
  const moved =
    key !== null &&
    booked !== null &&
    (key.startMs !== booked.startMs || key.team_member_id !== booked.team_member_id);
  const startMs = Date.parse(booking.start_at ?? '');
  const minutes = (booking.appointment_segments ?? []).reduce(
    (sum, s) => sum + (s.duration_minutes ?? 0),
    0,
  );
  const timed = !Number.isNaN(startMs) && minutes > 0;
  return {
    reservationId,
    slotId: moved ? kit.encodeSlotKey(key) : bookedSlotId,
    status: toContractStatus(booking.status),
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
