import { notFound } from '@medplum/core';
import type { HttpMethod } from '@medplum/fhir-router';
import type { Appointment, Bundle, Slot } from '@medplum/fhirtypes';
import type { FhirAnswer } from './answerFhirRequest.js';
import { outcome, outcomeAnswer } from './httpAnswer.js';
import type { SimulatorRepository } from './SimulatorRepository.js';
import { otherPatients } from './seed.js';

/** What another client of the server works with. */
export interface AnotherClientWorld {
  /** The repository in use now (a reset replaces it). */
  readonly repository: SimulatorRepository;
  readonly clock: () => Date;
  /** Organisation id by `Schedule/{id}` reference. */
  readonly organizationOfSchedule: ReadonlyMap<string, string>;
  /** Sends a request to the FHIR API as a client would. */
  internal(method: HttpMethod, path: string, body?: unknown): Promise<FhirAnswer>;
}

/**
 * Another client of the server (a clinic's own booking app) books a free slot: one
 * transaction that updates the Slot with `If-Match` and creates its Appointment, exactly what
 * a well-behaved client sends. Bumps the slot's version.
 */
export async function anotherClientTakes(
  world: AnotherClientWorld,
  slotId: string,
  status: 'busy' | 'busy-unavailable',
): Promise<FhirAnswer> {
  let slot: Slot;
  try {
    slot = await world.repository.readResource<Slot>('Slot', slotId);
  } catch {
    return outcomeAnswer(404, notFound);
  }
  if (slot.status !== 'free') {
    return outcomeAnswer(409, outcome('error', 'conflict', `Slot ${slotId} is ${slot.status}`));
  }
  const organization = world.organizationOfSchedule.get(slot.schedule.reference ?? '') ?? 'unknown';
  const patient = otherPatients[0]?.id ?? 'pat-seed-1';
  const entry: Bundle['entry'] = [
    {
      request: { method: 'PUT', url: `Slot/${slotId}`, ifMatch: `W/"${slot.meta?.versionId}"` },
      resource: { ...slot, status },
    },
  ];
  if (status === 'busy') {
    const appointment: Appointment = {
      resourceType: 'Appointment',
      identifier: [{ system: `urn:booking-web:${organization}`, value: crypto.randomUUID() }],
      status: 'booked',
      slot: [{ reference: `Slot/${slotId}` }],
      start: slot.start,
      end: slot.end,
      created: world.clock().toISOString(),
      participant: [{ actor: { reference: `Patient/${patient}` }, status: 'accepted' }],
    };
    entry.push({ request: { method: 'POST', url: 'Appointment' }, resource: appointment });
  }
  return world.internal('POST', '', { resourceType: 'Bundle', type: 'transaction', entry });
}

/** Another client edits a slot without taking it: only its version changes. */
export async function anotherClientTouches(
  world: AnotherClientWorld,
  slotId: string,
): Promise<void> {
  const slot = await world.repository.readResource<Slot>('Slot', slotId);
  await world.repository.updateResource(
    { ...slot, comment: `Granskad ${world.clock().toISOString()}` },
    { ifMatch: slot.meta?.versionId ?? '' },
  );
}
