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

export function toContractBooking(
  booking: { id?: string | undefined; status?: string | undefined },
  reservationId: string,
  slotId: string,
): kit.ContractBooking {
  const live = ['PENDING', 'ACCEPTED', 'NO_SHOW'].includes(booking.status ?? 'PENDING');
  const status = live ? 'BOOKED' : 'CANCELLED';
  return { reservationId, slotId, status, providerReference: booking.id ?? '', expiresAt: null };
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
