import * as kit from '@booking/provider-kit';
import * as square from './__generated__/client.gen.js';
import { bookSquareSlot, squareBookings } from './bookSquareSlot.js';
import { cancelSquareBooking } from './cancelSquareBooking.js';
import {
  iso,
  parseSlotId,
  type Service,
  slotKeyOf,
  toContractBooking,
  toContractClinic,
} from './mapping.js';
import type { SquareConnection } from './provider.js';

export type SquareCall = kit.ProviderCall<SquareConnection, undefined>;

/** SearchAvailability's `start_at_range` is 24 hours to 32 days long. */
const rangeLimits = { minMs: 86_400_000, maxMs: 32 * 86_400_000 };

/** The location's catalogue, from the kit's cache: never read on a search or booking path. */
const catalogue = (call: SquareCall) => call.connection.catalogue.get(call.signal);

/** The free times of one service (and team member) in a window, as slot keys. */
async function search(call: SquareCall, s: Service, w: kit.SlotWindow, member?: string | null) {
  const { client, locationId } = call.connection;
  const members = member ? { team_member_id_filter: { any: [member] } } : {};
  const segment_filters = [{ service_variation_id: s.variationId, ...members }];
  const answers = await Promise.all(
    kit.splitWindow(w, rangeLimits).map(({ fromMs, toMs }) => {
      const start_at_range = { start_at: iso(fromMs), end_at: iso(toMs) };
      const filter = { location_id: locationId, segment_filters, start_at_range };
      return client.value(square.SearchAvailability({ body: { query: { filter } } }), call);
    }),
  );
  return answers
    .flatMap(({ availabilities }) => (availabilities ?? []).map((a) => slotKeyOf(a, s)))
    .filter((key) => key !== null);
}

/** Square Appointments behind the provider contract; no holds (the platform holds). */
export function createSquareAdapter(
  connections: readonly SquareConnection[],
): kit.ProviderAdapter<SquareConnection, undefined> {
  return {
    system: 'square',
    connections,
    localIds: { slot: (id) => parseSlotId(id) !== null },
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
      const { services, slotOf } = await catalogue(call);
      const wanted = services.filter((s) => !treatmentId || s.treatment.id === treatmentId);
      const found = await Promise.all(wanted.map((s) => search(call, s, query, practitionerId)));
      return found.flat().flatMap((key) => slotOf(key) ?? []);
    },
    async getSlot(slotId, call) {
      const key = parseSlotId(slotId);
      const { services, slotOf } = await catalogue(call);
      const service = services.find((s) => s.variationId === key?.service_variation_id);
      const slot = key && slotOf(key);
      if (!key || !service || !slot) return null;
      const at = { fromMs: key.startMs, toMs: key.startMs + 1 };
      const found = await search(call, service, at, key.team_member_id);
      const free = found.some((k) => kit.encodeSlotKey(k) === slotId);
      return { slot, status: free ? 'FREE' : 'BOOKED' };
    },
    async getBooking(reservationId, call) {
      const found = await squareBookings(call).find(reservationId);
      if (found.status !== 'FOUND') return found;
      const { booking, entry } = found.booking;
      return kit.bookingFound(toContractBooking(booking, reservationId, entry.slotId));
    },
    book: bookSquareSlot,
    cancel: cancelSquareBooking,
  };
}
