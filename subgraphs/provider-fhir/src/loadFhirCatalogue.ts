import type {
  CatalogueCache,
  ContractClinic,
  ContractTreatment,
  RequestBudget,
} from '@booking/provider-kit';
import type { FhirClient } from './client/createFhirClient.js';
import type { FhirResource } from './client/schemas.js';
import { searchReferences } from './fhirReads.js';
import {
  type CatalogueSchedule,
  referenceId,
  toContractClinic,
  toContractTreatments,
  treatmentIdsOf,
} from './mapping.js';

/** One organisation's directory on the FHIR server, as the adapter needs it. */
export interface FhirCatalogue {
  clinics: ContractClinic[];
  treatments: ContractTreatment[];
  /** By Schedule id; only active schedules at one of the organisation's active clinics. */
  schedules: ReadonlyMap<string, CatalogueSchedule>;
}

/** One connection's directory, kept for its time to live by the kit. */
export type FhirCatalogueCache = CatalogueCache<FhirCatalogue>;

/**
 * A Schedule at one of `clinicIds` as the adapter knows it: its first PractitionerRole (or
 * Practitioner) actor is the practitioner, named by the actor's display or the role's.
 */
function toCatalogueSchedule(
  schedule: FhirResource<'Schedule'>,
  clinicIds: ReadonlySet<string>,
  roles: readonly FhirResource<'PractitionerRole'>[],
): CatalogueSchedule | undefined {
  const clinicId = schedule.actor
    .map((actor) => referenceId(actor.reference, 'Location'))
    .find((id) => id !== undefined && clinicIds.has(id));
  if (!clinicId || schedule.active === false) return undefined;
  const [practitioner] = schedule.actor.flatMap(({ reference, display }) =>
    (['PractitionerRole', 'Practitioner'] as const).flatMap((type) => {
      const id = referenceId(reference, type);
      if (!id) return [];
      const name = display ?? roles.find((role) => role.id === id)?.practitioner?.display ?? id;
      return [{ id, name, actor: { reference: `${type}/${id}`, display } }];
    }),
  );
  const serviceTypes = schedule.serviceType ?? [];
  return {
    id: schedule.id,
    clinicId,
    practitioner: practitioner ? { id: practitioner.id, name: practitioner.name } : null,
    practitionerReference: practitioner?.actor ?? null,
    serviceTypes,
    treatmentIds: treatmentIdsOf(serviceTypes),
  };
}

/**
 * Reads an organisation's directory: its active Locations (the clinics), HealthcareServices (what
 * each offers), PractitionerRoles (names) and the Schedules whose actors include its clinics.
 */
export async function loadFhirCatalogue(
  directory: {
    readonly client: FhirClient;
    /** Logical id of the Organization whose clinics (Locations) are served. */
    readonly organization: string;
    /** Zone of clinics whose Location carries no timezone extension. */
    readonly timeZone: string;
  },
  budget: RequestBudget,
): Promise<FhirCatalogue> {
  const { client } = directory;
  const organization = `Organization/${directory.organization}`;
  const [locations, services, roles] = await Promise.all([
    client.search('Location', { organization }, budget),
    client.search('HealthcareService', { organization }, budget),
    client.search('PractitionerRole', { organization }, budget),
  ]);
  const clinics = locations.filter((location) => (location.status ?? 'active') === 'active');
  const activeServices = services.filter((service) => service.active !== false);
  const clinicIds = new Set(clinics.map((clinic) => clinic.id));
  const schedules = await searchReferences(
    [...clinicIds].sort().map((id) => `Location/${id}`),
    (actor) => client.search('Schedule', { actor }, budget),
  );
  const known = schedules.flatMap(
    (schedule) => toCatalogueSchedule(schedule, clinicIds, roles) ?? [],
  );
  return {
    clinics: clinics
      .map((location) => toContractClinic(location, activeServices, directory.timeZone))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    treatments: toContractTreatments(activeServices),
    schedules: new Map(known.map((schedule) => [schedule.id, schedule])),
  };
}
