import type http from 'node:http';
import { clinicChangeRequest } from '@booking/simulator-kit';
import { z } from 'zod';
import {
  type ClinicAnswer,
  type ClinicWorld,
  cancelAtClinic,
  moveAtClinic,
  noShowAtClinic,
  refusal,
} from './clinicBookingChanges.js';
import type { Mutex } from './createMutex.js';
import { openExtraSlot } from './openExtraSlot.js';
import type { OrganizationSeed } from './seed.js';
import type { FhirSimulatorLogger } from './server.js';

/** A FHIR logical id: the Appointment's (the contract's `providerReference`) or the Location's. */
const fhirId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'a FHIR logical id');
const changeSchema = clinicChangeRequest({ booking: fhirId, clinic: fhirId });

export type ClinicChange = z.output<typeof changeSchema>;

export interface ClinicChangeContext {
  readonly world: ClinicWorld;
  readonly mutex: Mutex;
  readonly organizations: readonly OrganizationSeed[];
  /** The control protocol's connection ids this server answers to (`fhir`, or `*`). */
  readonly connections: readonly string[];
  readonly logger: FhirSimulatorLogger;
}

const maxBodyBytes = 16 * 1024;

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += (chunk as Buffer).toString('utf8');
    if (text.length > maxBodyBytes) throw new SyntaxError('body too large');
  }
  return JSON.parse(text);
}

/**
 * `POST /_admin/clinic-changes` (the simulator kit's control protocol, "Changes at the clinic"):
 * the clinic's staff change their book on the FHIR server itself, under the server's mutex like
 * any request, so no change interleaves with a booking. The server then notifies Subscriptions
 * and answers `_lastUpdated` searches as for any other client's write.
 */
export async function answerClinicChange(
  context: ClinicChangeContext,
  req: http.IncomingMessage,
): Promise<ClinicAnswer | { status: 400; body: { error: string; problems: string[] } }> {
  let body: unknown;
  try {
    body = await readJson(req);
  } catch {
    return { status: 400, body: { error: 'invalid_request', problems: ['body: not JSON'] } };
  }
  const parsed = changeSchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    return { status: 400, body: { error: 'invalid_request', problems } };
  }
  const change = parsed.data;
  if (change.connection !== '*' && !context.connections.includes(change.connection)) {
    return refusal(404, 'not_found', `no connection ${change.connection}`);
  }
  const { world } = context;
  const answer = await context.mutex.run(() => {
    switch (change.kind) {
      case 'CANCEL':
        return cancelAtClinic(world, change.booking);
      case 'NO_SHOW':
        return noShowAtClinic(world, change.booking);
      case 'MOVE':
        return moveAtClinic(world, change.booking, change.start);
      case 'OPEN_SLOT':
        return openExtraSlot(
          world,
          context.organizations,
          change.clinic,
          change.start ?? world.clock(),
        );
    }
  });
  context.logger.info('change at the clinic', {
    kind: change.kind,
    status: answer.status,
    ...('booking' in change ? { appointmentId: change.booking } : { clinic: change.clinic }),
  });
  return answer;
}
