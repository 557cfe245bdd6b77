import type { ContractChange, ContractChangeSource } from '@booking/provider-kit';
import type { FhirAppointment, FhirSlot } from '../client/schemas.js';
import { belongs } from '../fhirReads.js';
import type { FhirCatalogue } from '../loadFhirCatalogue.js';
import {
  referenceId,
  reservationIdOf,
  toContractBooking,
  toContractSlot,
  toUtc,
} from '../mapping.js';

/**
 * A version of a resource as a change: the same version always has the same id, whether a
 * notification or the catch-up poll brought it, and however often, so the change log keeps it once.
 */
export const changeIdOf = (resource: FhirAppointment | FhirSlot) =>
  `${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`;

/** When the version was written (`meta.lastUpdated`), else when the subgraph learnt of it. */
const occurredAt = (resource: FhirAppointment | FhirSlot, learntAt: number) =>
  resource.meta.lastUpdated ? toUtc(resource.meta.lastUpdated) : new Date(learntAt).toISOString();

/**
 * An Appointment as `BOOKING_UPDATED`: the booking as it is now. Only the platform's own
 * Appointments (with its reservation id) at this organisation's clinics are bookings the platform
 * follows; any other is none of its business (null).
 */
export function appointmentChange(
  appointment: FhirAppointment,
  catalogue: FhirCatalogue,
  source: ContractChangeSource,
  now: number,
): ContractChange | null {
  if (!reservationIdOf(appointment) || !belongs(appointment, catalogue)) return null;
  return {
    id: changeIdOf(appointment),
    kind: 'BOOKING_UPDATED',
    source,
    occurredAt: occurredAt(appointment, now),
    booking: toContractBooking(appointment, now),
    slot: null,
  };
}

/**
 * A Slot of one of this organisation's schedules as `SLOT_OPENED` when it is free now, else
 * `SLOT_CLOSED` (booked, held, blocked or withdrawn); null for another organisation's slot.
 */
export function slotChange(
  slot: FhirSlot,
  catalogue: FhirCatalogue,
  source: ContractChangeSource,
  now: number,
): ContractChange | null {
  const schedule = catalogue.schedules.get(referenceId(slot.schedule.reference, 'Schedule') ?? '');
  if (!schedule) return null;
  return {
    id: changeIdOf(slot),
    kind: slot.status === 'free' ? 'SLOT_OPENED' : 'SLOT_CLOSED',
    source,
    occurredAt: occurredAt(slot, now),
    booking: null,
    slot: toContractSlot(slot, schedule),
  };
}
