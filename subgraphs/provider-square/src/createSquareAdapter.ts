import {
  type ContractSlot,
  type ProviderAdapter,
  type ProviderCall,
  ProviderError,
  ProviderErrorCode,
  type SlotWindow,
  splitWindow,
} from '@booking/provider-kit';
import * as square from './__generated__/client.gen.js';
import { bookSquareSlot, squareBookings } from './bookSquareSlot.js';
import { cancelSquareBooking } from './cancelSquareBooking.js';
import {
  parseSlotId,
  type Service,
  servicesOf,
  toContractBooking,
  toContractClinic,
  toContractSlot,
} from './mapping.js';
import type { SquareConnection } from './provider.js';

export type SquareCall = ProviderCall<SquareConnection, undefined>;

const hourMs = 60 * 60 * 1000;
/** SearchAvailability's `start_at_range` is 24 hours to 32 days long. */
const rangeLimits = { minMs: 24 * hourMs, maxMs: 32 * 24 * hourMs };
const iso = (ms: number) => new Date(ms).toISOString();

/** The location, its mapped services and the names of its bookable team members. */
async function catalogue({ connection: c, ...budget }: SquareCall) {
  const services = { attribute_name: 'product_type', attribute_value: 'APPOINTMENTS_SERVICE' };
  const [locations, items, profiles] = await Promise.all([
    c.client.value(square.ListLocations(), budget),
    c.client.all(
      (cursor) =>
        square.SearchCatalogObjects({
          body: { object_types: ['ITEM'], query: { exact_query: services }, cursor },
        }),
      (page) => page.objects,
      budget,
    ),
    c.client.all(
      (cursor) =>
        square.ListTeamMemberBookingProfiles({
          query: { bookable_only: true, location_id: c.locationId, cursor },
        }),
      (page) => page.team_member_booking_profiles,
      budget,
    ),
  ]);
  const location = locations.locations?.find((l) => l.id === c.locationId);
  if (!location) throw new ProviderError(ProviderErrorCode.Internal, 'Square lacks the location');
  const names = new Map(profiles.map((p) => [p.team_member_id, p.display_name]));
  /** The slot with its practitioner's display name. */
  const named = (slot: ContractSlot): ContractSlot => {
    const id = slot.practitioner?.id ?? '';
    return { ...slot, practitioner: { id, name: names.get(id) ?? id } };
  };
  return { location, services: servicesOf(items, c.treatments, c.locationId), named };
}

/** The free slots of one service (and team member) in a window. */
async function search(
  call: SquareCall,
  service: Service,
  window: SlotWindow,
  member?: string | null,
) {
  const { client, locationId } = call.connection;
  const members = member ? { team_member_id_filter: { any: [member] } } : {};
  const segment_filters = [{ service_variation_id: service.variationId, ...members }];
  const answers = await Promise.all(
    splitWindow(window, rangeLimits).map(({ fromMs, toMs }) => {
      const start_at_range = { start_at: iso(fromMs), end_at: iso(toMs) };
      const filter = { location_id: locationId, segment_filters, start_at_range };
      return client.value(square.SearchAvailability({ body: { query: { filter } } }), call);
    }),
  );
  return answers.flatMap(({ availabilities }) =>
    (availabilities ?? []).flatMap((a) => {
      const [segment, ...more] = a.appointment_segments ?? [];
      if (!segment || more.length || !a.start_at) return [];
      const key = {
        startMs: Date.parse(a.start_at),
        durationMinutes: segment.duration_minutes ?? service.durationMinutes,
        teamMemberId: segment.team_member_id,
        variationId: service.variationId,
        version: Number(segment.service_variation_version ?? service.version),
      };
      return [toContractSlot(key, locationId, service)];
    }),
  );
}

/** Square Appointments behind the provider contract; no holds (the platform holds). */
export function createSquareAdapter(
  connections: readonly SquareConnection[],
): ProviderAdapter<SquareConnection, undefined> {
  return {
    system: 'square',
    connections,
    createScope: () => undefined,
    async describe(call) {
      const { location, services } = await catalogue(call);
      const treatments = services.map((s) => s.treatment);
      const clinics = [toContractClinic(location, treatments)];
      return { capabilities: ['API_BOOKING', 'CANCEL'], clinics, treatments };
    },
    async findSlots(query, call) {
      const { clinicIds, treatmentId, practitionerId } = query;
      if (clinicIds && !clinicIds.includes(call.connection.locationId)) return [];
      const { services, named } = await catalogue(call);
      const wanted = services.filter((s) => !treatmentId || s.treatment.id === treatmentId);
      const found = await Promise.all(wanted.map((s) => search(call, s, query, practitionerId)));
      return found.flat().map(named);
    },
    async getSlot(slotId, call) {
      const key = parseSlotId(slotId);
      const { services, named } = await catalogue(call);
      const service = services.find((s) => s.variationId === key?.variationId);
      if (!key || !service) return null;
      const window = { fromMs: key.startMs, toMs: key.startMs + 1 };
      const free = (await search(call, service, window, key.teamMemberId)).some(
        (s) => s.id === slotId,
      );
      const slot = named(toContractSlot(key, call.connection.locationId, service));
      return { slot, status: free ? 'FREE' : 'BOOKED' };
    },
    async getBooking(reservationId, call) {
      const found = await squareBookings(call).find(reservationId);
      return found && toContractBooking(found.booking, reservationId, found.entry.slotId);
    },
    book: bookSquareSlot,
    cancel: cancelSquareBooking,
  };
}
