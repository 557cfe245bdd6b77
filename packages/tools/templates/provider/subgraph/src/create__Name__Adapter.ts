import {
  bookingFailure,
  bookingFound,
  cannotTell,
  notBooked,
  type ProviderAdapter,
} from '@booking/provider-kit';
import { toContractBooking, toContractClinic, toContractSlot } from './mapping.js';
import type { __Name__Connection } from './provider.js';

/** The __Name__ system behind the provider contract. */
export function create__Name__Adapter(
  connections: readonly __Name__Connection[],
): ProviderAdapter<__Name__Connection, undefined> {
  return {
    system: '__name__',
    connections,
    createScope: () => undefined,
    async describe(call) {
      const clinics = await call.connection.client.clinics(call);
      // 5xx, 429, credentials refused, bad bodies: thrown by the kit's transport, typed by the kit.
      if (!clinics.ok) throw new Error(`clinics answered ${clinics.status}`);
      const treatmentIds = [...new Set(clinics.value.flatMap((c) => c.treatments))];
      return {
        capabilities: ['API_BOOKING', 'CANCEL', 'RESCHEDULE'],
        clinics: clinics.value.map(toContractClinic),
        treatments: treatmentIds.map((id) => ({
          id,
          providerCode: id,
          name: id,
          durationMinutes: null,
        })),
      };
    },
    async findSlots(input, call) {
      const [clinics, slots] = await Promise.all([
        call.connection.client.clinics(call),
        call.connection.client.slots(input.from, input.to, call),
      ]);
      if (!clinics.ok || !slots.ok) throw new Error('slot search failed');
      const treatments = new Map(clinics.value.map((c) => [c.id, c.treatments]));
      // The kit has checked the window and keeps only what answers the query (window, clinics,
      // treatment, practitioner), in order: answer what the vendor gave.
      return slots.value.map((slot) => toContractSlot(slot, treatments.get(slot.clinicId) ?? []));
    },
    async getSlot(slotId, call) {
      const [clinics, slot] = await Promise.all([
        call.connection.client.clinics(call),
        call.connection.client.slot(slotId, call),
      ]);
      if (!slot.ok || !clinics.ok) return null;
      const treatments = clinics.value.find((c) => c.id === slot.value.clinicId)?.treatments ?? [];
      return {
        slot: toContractSlot(slot.value, treatments),
        status: slot.value.booked ? 'BOOKED' : 'FREE',
      };
    },
    async getBooking(reservationId, call) {
      const found = await call.connection.client.bookingsByRef(reservationId, call);
      // A search that did not answer tells nothing: only an answered, empty one is NOT_BOOKED.
      if (!found.ok) return cannotTell(`the booking search answered ${found.status}`);
      const booking = found.value[0];
      return booking ? bookingFound(toContractBooking(booking)) : notBooked();
    },
    async book(input, call) {
      const booked = await call.connection.client.book(input.slotId, input.reservationId, call);
      if (booked.ok) return { booking: toContractBooking(booked.value), error: null };
      // 404 or 409: the vendor's only expected failures of a booking.
      return bookingFailure('SLOT_UNAVAILABLE', 'the slot is taken');
    },
    async cancel(input, call) {
      const cancelled = await call.connection.client.cancel(input.providerReference, call);
      return cancelled.ok
        ? { booking: toContractBooking(cancelled.value), error: null }
        : bookingFailure('NOT_FOUND', 'no such booking');
    },
  };
}
