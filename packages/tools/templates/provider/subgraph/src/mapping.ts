import type { ContractBooking, ContractClinic, ContractSlot } from '@booking/provider-kit';
import type { VendorBooking, VendorClinic, VendorSlot } from './client/schemas.js';

/*
 * Translation between the vendor's dialect and the provider contract: ids, codes, time zones.
 * Vendor times here carry offsets; a vendor with local times uses the kit's `localToInstant`.
 */

export function toContractClinic(clinic: VendorClinic): ContractClinic {
  return {
    id: clinic.id,
    name: clinic.name,
    address: { line: clinic.name, postalCode: null, city: clinic.city },
    location: null,
    timeZone: 'Europe/Stockholm',
    treatmentIds: clinic.treatments,
  };
}

export function toContractSlot(slot: VendorSlot, treatmentIds: string[]): ContractSlot {
  return {
    id: slot.id,
    clinicId: slot.clinicId,
    start: new Date(slot.start).toISOString(),
    end: new Date(slot.end).toISOString(),
    treatmentIds,
    practitioner: null,
    bookingUrl: null,
    capacity: null,
  };
}

export function toContractBooking(booking: VendorBooking): ContractBooking {
  return {
    reservationId: booking.externalRef,
    slotId: booking.slotId,
    status: booking.status === 'booked' ? 'BOOKED' : 'CANCELLED',
    providerReference: booking.id,
    expiresAt: null,
  };
}
