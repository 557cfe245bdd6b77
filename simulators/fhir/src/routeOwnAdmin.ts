import type http from 'node:http';
import type { Appointment, Slot } from '@medplum/fhirtypes';
import { type AnotherClientWorld, anotherClientTakes } from './anotherClient.js';
import { answerClinicChange, type ClinicChangeContext } from './answerClinicChange.js';
import type { Mutex } from './createMutex.js';
import { type DayNeed, everyDay } from './dayNeedsOf.js';
import { send, sendFhir } from './httpAnswer.js';
import type { FhirSimulatorLogger } from './server.js';

/** What the simulator's own admin endpoints work with. */
export interface OwnAdminContext {
  readonly world: AnotherClientWorld;
  /** Serialises access to the repository. */
  readonly mutex: Mutex;
  /** Loads the open days `needs` name that are not loaded yet; call under the mutex. */
  materialise(needs: readonly DayNeed[]): Promise<void>;
  readonly logger: FhirSimulatorLogger;
  /** What `POST clinic-changes` works with. */
  readonly clinicChanges: ClinicChangeContext;
}

/**
 * Appointments with their organisation, slot and identifiers; never patient data. Lists the
 * seeded bookings of every open day, so it loads them all.
 */
async function listAppointments(context: OwnAdminContext, query: URLSearchParams) {
  await context.materialise([everyDay]);
  const { repository, organizationOfSchedule } = context.world;
  const slots = new Map(repository.all<Slot>('Slot').map((slot) => [slot.id, slot]));
  const wantedOrganization = query.get('organization');
  const wantedStatus = query.get('status');
  const appointments = repository.all<Appointment>('Appointment').flatMap((appointment) => {
    const slotId = appointment.slot?.[0]?.reference?.replace(/^Slot\//, '') ?? null;
    const slot = slotId ? slots.get(slotId) : undefined;
    const organization = organizationOfSchedule.get(slot?.schedule.reference ?? '') ?? null;
    if (wantedOrganization !== null && organization !== wantedOrganization) return [];
    if (wantedStatus !== null && appointment.status !== wantedStatus) return [];
    return [
      {
        id: appointment.id,
        status: appointment.status,
        versionId: appointment.meta?.versionId,
        lastUpdated: appointment.meta?.lastUpdated,
        organization,
        slotId,
        slotStatus: slot?.status ?? null,
        start: appointment.start ?? null,
        end: appointment.end ?? null,
        identifier: appointment.identifier ?? [],
        extension: appointment.extension ?? [],
      },
    ];
  });
  return { total: appointments.length, appointments };
}

/**
 * The simulator's own `/_admin/` endpoints, beside the kit's control protocol: the appointments
 * (`GET appointments`), another client taking a slot (`POST take-slot/{id}`) and the clinic's
 * own changes (`POST clinic-changes`, the control protocol's "Changes at the clinic").
 */
export async function routeOwnAdmin(
  context: OwnAdminContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  segments: string[],
  query: URLSearchParams,
): Promise<void> {
  const [action, argument] = segments;
  const route = `${req.method} ${action ?? ''}${argument === undefined ? '' : '/*'}`;
  switch (route) {
    case 'POST clinic-changes': {
      const answer = await answerClinicChange(context.clinicChanges, req);
      return send(res, answer.status, answer.body);
    }
    case 'GET appointments':
      return send(res, 200, await context.mutex.run(() => listAppointments(context, query)));
    case 'POST take-slot/*': {
      const status = query.get('status') === 'busy-unavailable' ? 'busy-unavailable' : 'busy';
      const slotId = argument ?? '';
      const answer = await context.mutex.run(async () => {
        await context.materialise([{ kind: 'slots', ids: [slotId] }]);
        return anotherClientTakes(context.world, slotId, status);
      });
      context.logger.info('slot taken by another client', {
        slotId: argument,
        status: answer.status,
      });
      return sendFhir(res, answer);
    }
    default:
      return send(res, 404, { error: 'not_found', message: 'No such admin endpoint' });
  }
}
