import { notBooked, type ProviderAdapter } from '@booking/provider-kit';
import type { IndexedSlot } from './buildPublicationIndex.js';
import { toContractSlot } from './mapping.js';
import type { SmartConnection } from './provider.js';

export interface SmartAdapterOptions {
  /** The publishers served, one connection each (`smartProvider.connect`). */
  connections: readonly SmartConnection[];
}

/** Index of the first slot starting at or after `from` in a list ordered by start. */
function lowerBound(slots: readonly IndexedSlot[], from: number): number {
  let low = 0;
  let high = slots.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((slots[middle] as IndexedSlot).startMs < from) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * SMART Scheduling Links publishers behind the provider contract. Every answer comes from the
 * in-memory index the connection's sync keeps: a search never calls the publisher. Booking is by
 * deep link only, so `hold`, `book`, `confirm` and `cancel` are absent on purpose: the kit then
 * answers BOOKING_BY_LINK with the slot's `bookingUrl`.
 */
export function createSmartAdapter(options: SmartAdapterOptions): ProviderAdapter<SmartConnection> {
  return {
    system: 'smart',
    connections: options.connections,
    createScope: () => undefined,

    async describe(call) {
      const index = await call.connection.sync.index(call.signal);
      return {
        capabilities: ['DEEP_LINK_ONLY'],
        holdTtlSeconds: null,
        clinics: [...index.clinics],
        treatments: [...index.treatments],
      };
    },

    async findSlots(input, call) {
      const { fromMs: from, toMs: to } = input;
      const index = await call.connection.sync.index(call.signal);
      const clinics = input.clinicIds ? new Set(input.clinicIds) : null;
      const found: IndexedSlot[] = [];
      for (const schedule of index.schedules.values()) {
        if (clinics && !clinics.has(schedule.clinicId)) continue;
        if (input.treatmentId && !schedule.treatmentIds.includes(input.treatmentId)) continue;
        if (input.practitionerId && schedule.practitioner?.id !== input.practitionerId) continue;
        const slots = index.openSlotsBySchedule.get(schedule.id) ?? [];
        for (let i = lowerBound(slots, from); i < slots.length; i += 1) {
          const slot = slots[i] as IndexedSlot;
          if (slot.startMs >= to) break;
          found.push(slot);
        }
      }
      // Per schedule in start order already; the kit merges the schedules' lists.
      return found.map(toContractSlot);
    },

    async getSlot(slotId, call) {
      const index = await call.connection.sync.index(call.signal);
      const slot = index.slotsById.get(slotId);
      if (!slot) return null;
      // A free slot nobody can book (no link, no capacity left) is as good as taken.
      const status =
        slot.status === 'FREE' && (slot.bookingUrl === null || slot.capacity === 0)
          ? 'BOOKED'
          : slot.status;
      return { slot: toContractSlot(slot), status };
    },

    async getBooking() {
      // Patients book on the publisher's own portal: no booking is ever made through the platform.
      return notBooked();
    },
  };
}
