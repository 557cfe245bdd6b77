import { chunked, type ProviderCall, type SlotWindow, splitWindow } from '@booking/provider-kit';
import { escapeSearchValue } from './client/createFhirClient.js';
import type { FhirAppointment, FhirSlot } from './client/schemas.js';
import { type CatalogueSchedule, heldOnlyByLapsed, reservationSystem } from './mapping.js';
import type { FhirConnection } from './provider.js';

/*
 * The adapter's searches of one organisation's server: Appointments by reservation id or by slot,
 * and a slot search's bookable slots, its holds asked at the same time.
 */

type Call = ProviderCall<FhirConnection, undefined>;

/** References (`Type/id`) per search parameter: keeps one query string to a sensible length. */
const referencesPerSearch = 30;

/**
 * `search` of every group of `referencesPerSearch` references, each group joined into one OR
 * value, all at once.
 */
export async function searchReferences<T>(
  references: readonly string[],
  search: (joined: string) => Promise<T[]>,
): Promise<T[]> {
  const groups = chunked(references, referencesPerSearch);
  return (await Promise.all(groups.map((group) => search(group.join(','))))).flat();
}

/** The Appointment carrying the reservation id; the conditional create keeps it to one. */
export async function findAppointment(reservationId: string, call: Call) {
  const identifier = `${reservationSystem}|${escapeSearchValue(reservationId)}`;
  const found = await call.connection.client.search('Appointment', { identifier }, call);
  return found.find((a) => a.status !== 'cancelled') ?? found[0] ?? null;
}

/** The pending Appointments (platform holds, or another client's) on a slot. */
export function holdsOn(slotId: string, call: Call): Promise<FhirAppointment[]> {
  const params = { slot: `Slot/${slotId}`, status: 'pending' };
  return call.connection.client.search('Appointment', params, call);
}

const dayMs = 24 * 60 * 60 * 1000;
const instant = (ms: number) => new Date(ms).toISOString();

/**
 * The slots of `schedules` in the window that can be booked: free ones, and tentative ones only
 * lapsed platform holds keep. The slots and the pending Appointments (holds) at their clinics are
 * asked at once: one round trip. A search's further pages are reached only through its `next`
 * link, which only the page before names, so the window is asked a day at a time, every day at
 * once, each within one page (the server's cap, often 100 to 1000).
 */
export async function bookableSlots(
  schedules: readonly CatalogueSchedule[],
  window: SlotWindow,
  now: number,
  call: Call,
): Promise<FhirSlot[]> {
  const { client } = call.connection;
  const days = splitWindow(window, { maxMs: dayMs });
  const clinics = [...new Set(schedules.map((s) => `Location/${s.clinicId}`))].sort();
  const scheduleIds = schedules.map((s) => `Schedule/${s.id}`);
  const [slots, pending] = await Promise.all([
    Promise.all(
      days.map((day) =>
        searchReferences(scheduleIds, (schedule) =>
          client.search(
            'Slot',
            [
              ['schedule', schedule],
              ['status', 'free,busy-tentative'],
              ['start', `ge${instant(day.fromMs)}`],
              ['start', `lt${instant(day.toMs)}`],
            ],
            call,
          ),
        ),
      ),
    ),
    searchReferences(clinics, (actor) =>
      client.search(
        'Appointment',
        [
          ['actor', actor],
          ['status', 'pending'],
          ['date', `ge${instant(window.fromMs)}`],
          ['date', `lt${instant(window.toMs)}`],
        ],
        call,
      ),
    ),
  ]);
  return slots
    .flat()
    .filter((slot) => slot.status === 'free' || heldOnlyByLapsed(slot, pending, now));
}
