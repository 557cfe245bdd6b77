import type { Appointment, Bundle, BundleEntry, Schedule, Slot } from '@medplum/fhirtypes';
import type { AnotherClientWorld } from './anotherClient.js';
import type { DayNeed } from './dayNeedsOf.js';
import { seededAppointmentSlotId } from './slotResources.js';

/**
 * What the clinic's staff do to a booking in their own system: cancel it, move it or mark a
 * no-show. Each is one version-aware transaction through the FHIR API (`If-Match` on every
 * resource read), as the clinic's own booking app would send it, so versions and
 * `meta.lastUpdated` move and Subscriptions are notified as for any client's write.
 */

export interface ClinicWorld extends AnotherClientWorld {
  /** Loads the open days `needs` name that are not loaded yet; call under the mutex. */
  materialise(needs: readonly DayNeed[]): Promise<void>;
}

/** An outcome in the control protocol's terms: 200 with what changed, or a refusal. */
export type ClinicAnswer =
  | { status: 200; body: Record<string, unknown> }
  | { status: 404 | 409 | 500; body: { error: string; message: string } };

export const refusal = (status: 404 | 409 | 500, error: string, message: string): ClinicAnswer => ({
  status,
  body: { error, message },
});

const cancellationReasonSystem =
  'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason';

const ifMatch = (resource: { meta?: { versionId?: string } }) => `W/"${resource.meta?.versionId}"`;
const put = (resource: Appointment | Slot): BundleEntry => ({
  request: {
    method: 'PUT',
    url: `${resource.resourceType}/${resource.id}`,
    ifMatch: ifMatch(resource),
  },
  resource,
});
const slotIdOf = (appointment: Appointment) =>
  appointment.slot?.[0]?.reference?.replace(/^Slot\//, '');

/** The booking as the control protocol answers it: no patient data. */
export function publicAppointment(appointment: Appointment) {
  return {
    id: appointment.id,
    status: appointment.status,
    versionId: appointment.meta?.versionId,
    slotId: slotIdOf(appointment) ?? null,
    start: appointment.start ?? null,
    end: appointment.end ?? null,
  };
}

async function read<T extends Appointment | Slot | Schedule>(
  world: ClinicWorld,
  type: T['resourceType'],
  id: string,
): Promise<T | undefined> {
  try {
    return await world.repository.readResource<T>(type, id);
  } catch {
    return undefined;
  }
}

/** The Appointment, its seeded day loaded first; undefined when there is none. */
async function appointmentOf(world: ClinicWorld, id: string) {
  const seededSlot = seededAppointmentSlotId(id);
  if (seededSlot) await world.materialise([{ kind: 'slots', ids: [seededSlot] }]);
  return read<Appointment>(world, 'Appointment', id);
}

/** Writes the entries as one transaction; the Appointment as written, or why it failed. */
async function commit(world: ClinicWorld, entry: BundleEntry[]): Promise<ClinicAnswer> {
  const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry };
  const answer = await world.internal('POST', '', bundle);
  if (answer.status !== 200) {
    return refusal(500, 'write_failed', `the transaction was refused with ${answer.status}`);
  }
  const written = (answer.body as Bundle).entry?.[0]?.resource as Appointment;
  return { status: 200, body: { booking: publicAppointment(written) } };
}

/** Statuses the clinic can still cancel or move: the visit is ahead. */
const ahead = new Set<Appointment['status']>(['proposed', 'pending', 'booked', 'waitlist']);

/** A slot the booking put out of use, set free again (a slot the clinic blocked stays blocked). */
function freed(slot: Slot | undefined): BundleEntry[] {
  return slot && (slot.status === 'busy' || slot.status === 'busy-tentative')
    ? [put({ ...slot, status: 'free' })]
    : [];
}

export async function cancelAtClinic(world: ClinicWorld, id: string): Promise<ClinicAnswer> {
  const appointment = await appointmentOf(world, id);
  if (!appointment) return refusal(404, 'not_found', `no Appointment ${id}`);
  if (!ahead.has(appointment.status)) {
    return refusal(409, 'conflict', `the Appointment is ${appointment.status}`);
  }
  const slotId = slotIdOf(appointment);
  const slot = slotId ? await read<Slot>(world, 'Slot', slotId) : undefined;
  return commit(world, [
    put({
      ...appointment,
      status: 'cancelled',
      cancelationReason: {
        coding: [{ system: cancellationReasonSystem, code: 'prov' }],
        text: 'Avbokad av mottagningen',
      },
    }),
    ...freed(slot),
  ]);
}

export async function noShowAtClinic(world: ClinicWorld, id: string): Promise<ClinicAnswer> {
  const appointment = await appointmentOf(world, id);
  if (!appointment) return refusal(404, 'not_found', `no Appointment ${id}`);
  if (appointment.status !== 'booked') {
    return refusal(
      409,
      'conflict',
      `only a booked Appointment can be a no-show, not ${appointment.status}`,
    );
  }
  // The time was kept for the patient: the slot stays busy.
  return commit(world, [put({ ...appointment, status: 'noshow' })]);
}

/** The Location a Schedule is for: its actor of that type. */
const locationOf = (schedule: Schedule | undefined) =>
  schedule?.actor.find((actor) => actor.reference?.startsWith('Location/'))?.reference;

/**
 * Moves the booking to a free slot starting at `start` at the same clinic, the same
 * practitioner's when there is one: the old slot is freed, the new one taken, the Appointment's
 * slot, start and end (and practitioner, if another's) changed, all in one transaction.
 */
export async function moveAtClinic(
  world: ClinicWorld,
  id: string,
  start: Date,
): Promise<ClinicAnswer> {
  const appointment = await appointmentOf(world, id);
  if (!appointment) return refusal(404, 'not_found', `no Appointment ${id}`);
  if (!ahead.has(appointment.status)) {
    return refusal(409, 'conflict', `the Appointment is ${appointment.status}`);
  }
  const oldSlotId = slotIdOf(appointment);
  const oldSlot = oldSlotId ? await read<Slot>(world, 'Slot', oldSlotId) : undefined;
  const oldSchedule =
    oldSlot &&
    (await read<Schedule>(world, 'Schedule', oldSlot.schedule.reference?.split('/')[1] ?? ''));
  const clinic = locationOf(oldSchedule);
  if (!oldSlot || !clinic)
    return refusal(409, 'conflict', 'the Appointment has no slot at a clinic');
  await world.materialise([{ kind: 'window', fromMs: start.getTime(), toMs: start.getTime() }]);
  const schedules = new Map(
    world.repository
      .all<Schedule>('Schedule')
      .filter((schedule) => locationOf(schedule) === clinic)
      .map((schedule) => [`Schedule/${schedule.id}`, schedule]),
  );
  const candidates = world.repository
    .all<Slot>('Slot')
    .filter(
      (slot) =>
        slot.status === 'free' &&
        schedules.has(slot.schedule.reference ?? '') &&
        Date.parse(slot.start) === start.getTime(),
    )
    .sort(
      (a, b) =>
        Number(b.schedule.reference === oldSlot.schedule.reference) -
        Number(a.schedule.reference === oldSlot.schedule.reference),
    );
  const target = candidates[0];
  if (!target) {
    return refusal(409, 'conflict', `no free time at ${start.toISOString()} at ${clinic}`);
  }
  const newSchedule = schedules.get(target.schedule.reference ?? '');
  const practitioner = newSchedule?.actor.find(
    (actor) => !actor.reference?.startsWith('Location/'),
  );
  const isPractitioner = (reference: string | undefined) =>
    /^(PractitionerRole|Practitioner)\//.test(reference ?? '');
  const participant = appointment.participant.map((p) =>
    practitioner && isPractitioner(p.actor?.reference) ? { ...p, actor: practitioner } : p,
  );
  return commit(world, [
    put({
      ...appointment,
      slot: [{ reference: `Slot/${target.id}` }],
      start: target.start,
      end: target.end,
      participant,
    }),
    ...freed(oldSlot),
    put({ ...target, status: appointment.status === 'pending' ? 'busy-tentative' : 'busy' }),
  ]);
}
