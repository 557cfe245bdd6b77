import { bookingFailure, type ProviderAdapter } from '@booking/provider-kit';
import { toContractBooking, toContractClinic, toContractSlot } from './mapping.js';
import type { SquareConnection } from './provider.js';

/** The Square system behind the provider contract. */
export function createSquareAdapter(
  connections: readonly SquareConnection[],
): ProviderAdapter<SquareConnection, undefined> {
  return {
    system: 'square',
    connections,
    createScope: () => undefined,
    async describe({ connection, signal }) {
      const clinics = await connection.client.clinics(signal);
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
    async findSlots(input, { connection, signal }) {
      const [clinics, slots] = await Promise.all([
        connection.client.clinics(signal),
        connection.client.slots(input.from, input.to, signal),
      ]);
      if (!clinics.ok || !slots.ok) throw new Error('slot search failed');
      const treatments = new Map(clinics.value.map((c) => [c.id, c.treatments]));
      // The kit has checked the window, and clips and orders this answer to it.
      return slots.value
        .map((slot) => toContractSlot(slot, treatments.get(slot.clinicId) ?? []))
        .filter((slot) => !input.clinicIds || input.clinicIds.includes(slot.clinicId))
        .filter((slot) => !input.treatmentId || slot.treatmentIds.includes(input.treatmentId));
    },
    async getSlot(slotId, { connection, signal }) {
      const [clinics, slot] = await Promise.all([
        connection.client.clinics(signal),
        connection.client.slot(slotId, signal),
      ]);
      if (!slot.ok || !clinics.ok) return null;
      const treatments = clinics.value.find((c) => c.id === slot.value.clinicId)?.treatments ?? [];
      return {
        slot: toContractSlot(slot.value, treatments),
        status: slot.value.booked ? 'BOOKED' : 'FREE',
      };
    },
    async getBooking(reservationId, { connection, signal }) {
      const found = await connection.client.bookingsByRef(reservationId, signal);
      const booking = found.ok ? found.value[0] : undefined;
      return booking ? toContractBooking(booking) : null;
    },
    async book(input, { connection, signal }) {
      const booked = await connection.client.book(input.slotId, input.reservationId, signal);
      if (booked.ok) return { booking: toContractBooking(booked.value), error: null };
      return booked.status === 409 || booked.status === 404
        ? bookingFailure('SLOT_UNAVAILABLE', 'the slot is taken')
        : bookingFailure('PROVIDER_UNAVAILABLE', `square answered ${booked.status}`);
    },
    async cancel(input, { connection, signal }) {
      const cancelled = await connection.client.cancel(input.providerReference, signal);
      return cancelled.ok
        ? { booking: toContractBooking(cancelled.value), error: null }
        : bookingFailure('NOT_FOUND', 'no such booking');
    },
  };
}
