import type { Location, Schedule, Slot } from '@medplum/fhirtypes';
import { DateTime } from 'luxon';
import { type ClinicAnswer, type ClinicWorld, refusal } from './clinicBookingChanges.js';
import type { OrganizationSeed } from './seed.js';

/** Length of an extra time when the schedule's practitioner is not in the seed. */
const defaultSlotMinutes = 30;
const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

/** The Schedules at a clinic that offer something (a service type), in id order. */
function offeringSchedules(world: ClinicWorld, clinic: string): Schedule[] {
  return world.repository
    .all<Schedule>('Schedule')
    .filter(
      (schedule) =>
        schedule.active !== false &&
        (schedule.serviceType?.length ?? 0) > 0 &&
        schedule.actor.some((actor) => actor.reference === `Location/${clinic}`),
    )
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

/**
 * The first start at or after `fromMs` (on a whole minute) at which a slot of `length` overlaps
 * none of the schedule's slots: the practitioner cannot be in two places at once.
 */
function firstGap(slots: readonly Slot[], fromMs: number, lengthMs: number): number {
  const taken = slots
    .map((slot) => ({ startMs: Date.parse(slot.start), endMs: Date.parse(slot.end) }))
    .sort((a, b) => a.startMs - b.startMs);
  let startMs = Math.ceil(fromMs / minuteMs) * minuteMs;
  for (const slot of taken) {
    if (slot.endMs <= startMs) continue;
    if (slot.startMs >= startMs + lengthMs) break;
    startMs = slot.endMs;
  }
  return startMs;
}

/**
 * The clinic opens an extra bookable time at or after `start`: a new free Slot on the first of its
 * schedules that offers something, as long as that practitioner's slots are, at the first moment
 * it overlaps none of them, written as the organisation writes instants (local offset or UTC) and
 * created through the FHIR API, so the server gives it its id and version.
 */
export async function openExtraSlot(
  world: ClinicWorld,
  organizations: readonly OrganizationSeed[],
  clinic: string,
  start: Date,
): Promise<ClinicAnswer> {
  try {
    await world.repository.readResource<Location>('Location', clinic);
  } catch {
    return refusal(404, 'not_found', `no Location ${clinic}`);
  }
  const [schedule] = offeringSchedules(world, clinic);
  if (!schedule) return refusal(409, 'conflict', `no schedule at ${clinic} offers anything`);
  const reference = `Schedule/${schedule.id}`;
  const organization = organizations.find(
    (o) => o.id === world.organizationOfSchedule.get(reference),
  );
  const practitioner = organization?.locations
    .flatMap((location) => location.practitioners)
    .find((p) => `sched-${p.key}` === schedule.id);
  const lengthMs = (practitioner?.slotMinutes ?? defaultSlotMinutes) * minuteMs;
  // The schedule's slots that could overlap: its day and the next are loaded first.
  await world.materialise([
    { kind: 'window', fromMs: start.getTime() - dayMs, toMs: start.getTime() + 2 * dayMs },
  ]);
  const own = world.repository
    .all<Slot>('Slot')
    .filter((slot) => slot.schedule.reference === reference);
  const startMs = firstGap(own, start.getTime(), lengthMs);
  const zone = organization?.timeZone ?? 'UTC';
  const written = (ms: number) =>
    organization?.instantStyle === 'offset'
      ? (DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? '')
      : `${new Date(ms).toISOString().slice(0, 19)}Z`;
  const slot: Slot = {
    resourceType: 'Slot',
    ...(schedule.serviceType && { serviceType: schedule.serviceType }),
    schedule: { reference },
    status: 'free',
    start: written(startMs),
    end: written(startMs + lengthMs),
    comment: 'Extra tid',
  };
  const answer = await world.internal('POST', 'Slot', slot);
  if (answer.status !== 201) {
    return refusal(500, 'write_failed', `the Slot was refused with ${answer.status}`);
  }
  const created = answer.body as Slot;
  return {
    status: 200,
    body: {
      slot: {
        id: created.id,
        status: created.status,
        versionId: created.meta?.versionId,
        schedule: reference,
        start: created.start,
        end: created.end,
      },
    },
  };
}
