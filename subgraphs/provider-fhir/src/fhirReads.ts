import {
  chunked,
  type ProviderCall,
  type SlotWindow,
  splitWindow,
  unexpectedOutcome,
} from '@booking/provider-kit';
import type { z } from 'zod';
import { escapeSearchValue, issueCodes } from './client/createFhirClient.js';
import {
  appointmentSchema,
  type FhirAppointment,
  type FhirSlot,
  fhirId,
  slotSchema,
} from './client/schemas.js';
import type { FhirCatalogue } from './loadFhirCatalogue.js';
import {
  type CatalogueSchedule,
  isLapsedHold,
  referenceId,
  reservationSystem,
  slotIdOf,
} from './mapping.js';
import type { FhirConnection } from './provider.js';

/*
 * The adapter's reads of one organisation's server: a search's slots and holds at once,
 * Appointments by reservation id or by slot, Slots and Appointments by id, and which tentative
 * slots only a lapsed platform hold keeps.
 */

type Call = ProviderCall<FhirConnection, undefined>;

/** Schedule references per Slot search, and slot references per Appointment search. */
export const referencesPerSearch = 30;

/** Whether the Appointment is at one of this organisation's clinics (several may share a server). */
export function belongs(appointment: FhirAppointment, catalogue: FhirCatalogue): boolean {
  return appointment.participant.some((participant) => {
    const id = referenceId(participant.actor?.reference, 'Location');
    return id !== undefined && catalogue.clinics.some((clinic) => clinic.id === id);
  });
}

/** The Appointment carrying the reservation id; the conditional create keeps it to one. */
export async function findAppointment(reservationId: string, call: Call) {
  const found = await call.connection.client.search(
    'Appointment',
    { identifier: `${reservationSystem}|${escapeSearchValue(reservationId)}` },
    appointmentSchema,
    call,
  );
  return found.find((a) => a.status !== 'cancelled') ?? found[0] ?? null;
}

async function readResource<T>(
  type: 'Slot' | 'Appointment',
  id: string,
  schema: z.ZodType<T>,
  call: Call,
): Promise<T | null> {
  if (!fhirId.safeParse(id).success) return null;
  const outcome = await call.connection.client.read(type, id, schema, call);
  if (outcome.ok) return outcome.value;
  return outcome.status === 404 || outcome.status === 410
    ? null
    : unexpectedOutcome(`FHIR read ${type}`, outcome, issueCodes);
}
export const readSlot = (id: string, call: Call) => readResource('Slot', id, slotSchema, call);
export const readAppointment = (id: string, call: Call) =>
  readResource('Appointment', id, appointmentSchema, call);

/** Pending Appointments on each of `slotIds`. */
export async function pendingOn(slotIds: readonly string[], call: Call) {
  const answers = await Promise.all(
    chunked(slotIds, referencesPerSearch).map((ids) =>
      call.connection.client.search(
        'Appointment',
        { slot: ids.map((id) => `Slot/${id}`).join(','), status: 'pending' },
        appointmentSchema,
        call,
      ),
    ),
  );
  return bySlot(answers.flat());
}

/** Pending Appointments by slot id. */
function bySlot(appointments: readonly FhirAppointment[]): Map<string, FhirAppointment[]> {
  const found = new Map<string, FhirAppointment[]>();
  for (const appointment of appointments) {
    const slotId = slotIdOf(appointment);
    if (slotId) found.set(slotId, [...(found.get(slotId) ?? []), appointment]);
  }
  return found;
}

/**
 * Pending Appointments at `clinicIds` starting in [from, to): the holds a slot search may meet,
 * asked at the same time as the slots rather than after them.
 */
async function pendingAt(
  clinicIds: readonly string[],
  window: { from: number; to: number },
  call: Call,
): Promise<Map<string, FhirAppointment[]>> {
  const answers = await Promise.all(
    chunked(clinicIds, referencesPerSearch).map((ids) =>
      call.connection.client.search(
        'Appointment',
        [
          ['actor', ids.map((id) => `Location/${id}`).join(',')],
          ['status', 'pending'],
          ['date', `ge${new Date(window.from).toISOString()}`],
          ['date', `lt${new Date(window.to).toISOString()}`],
        ],
        appointmentSchema,
        call,
      ),
    ),
  );
  return bySlot(answers.flat());
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * The free and tentative slots of `schedules` in the window, and the pending Appointments (holds)
 * at their clinics, all asked at once: one round trip. A search's further pages are reached only
 * through its `next` link, which only the page before names, so the window is asked a day at a
 * time, every day at once, each within one page (the server's cap, often 100 to 1000).
 */
export async function slotsAndHolds(
  schedules: readonly CatalogueSchedule[],
  window: SlotWindow,
  call: Call,
): Promise<{ found: FhirSlot[]; holds: Map<string, FhirAppointment[]> }> {
  const clinicIds = [...new Set(schedules.map((schedule) => schedule.clinicId))].sort();
  const days = splitWindow(window, { maxMs: dayMs });
  const [answers, holds] = await Promise.all([
    Promise.all(
      chunked(schedules, referencesPerSearch).flatMap((group) =>
        days.map((day) =>
          call.connection.client.search(
            'Slot',
            [
              ['schedule', group.map((s) => `Schedule/${s.id}`).join(',')],
              ['status', 'free,busy-tentative'],
              ['start', `ge${new Date(day.fromMs).toISOString()}`],
              ['start', `lt${new Date(day.toMs).toISOString()}`],
            ],
            slotSchema,
            call,
          ),
        ),
      ),
    ),
    pendingAt(clinicIds, { from: window.fromMs, to: window.toMs }, call),
  ]);
  return { found: answers.flat(), holds };
}

/**
 * Tentative slots that only platform holds past their expiry keep: free in all but name.
 * A tentative slot without such a hold belongs to a live hold or to another client.
 */
export function lapsedFrom(
  slots: readonly FhirSlot[],
  holds: ReadonlyMap<string, readonly FhirAppointment[]>,
  now: number,
): Set<string> {
  return new Set(
    slots
      .filter((slot) => slot.status === 'busy-tentative')
      .map((slot) => slot.id)
      .filter((id) => {
        const pending = holds.get(id) ?? [];
        return pending.length > 0 && pending.every((hold) => isLapsedHold(hold, now));
      }),
  );
}

/** `lapsedFrom`, asking for the holds of the tentative slots among `slots`. */
export async function lapsedAmong(
  slots: readonly FhirSlot[],
  now: number,
  call: Call,
): Promise<Set<string>> {
  const tentative = slots.filter((slot) => slot.status === 'busy-tentative').map((s) => s.id);
  if (tentative.length === 0) return new Set();
  return lapsedFrom(slots, await pendingOn(tentative, call), now);
}
