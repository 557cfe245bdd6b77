import {
  type CatalogueCache,
  type ContractClinic,
  type ContractTreatment,
  chunked,
  type RequestBudget,
} from '@booking/provider-kit';
import type { FhirClient } from './client/createFhirClient.js';
import {
  type FhirSchedule,
  healthcareServiceSchema,
  locationSchema,
  practitionerRoleSchema,
  scheduleSchema,
} from './client/schemas.js';
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

/** Where one organisation's directory is read: the server and the organisation on it. */
export interface FhirDirectory {
  readonly client: FhirClient;
  /** Logical id of the Organization whose clinics (Locations) are served. */
  readonly organization: string;
  /** Zone of clinics whose Location carries no timezone extension. */
  readonly timeZone: string;
}

/** Location ids per Schedule search: keeps one query string to a sensible length. */
const locationsPerScheduleSearch = 40;

const practitionerTypes = ['PractitionerRole', 'Practitioner'] as const;

function toCatalogueSchedule(
  schedule: FhirSchedule,
  clinicIds: ReadonlySet<string>,
  practitionerNames: ReadonlyMap<string, string>,
): CatalogueSchedule | undefined {
  const clinicId = schedule.actor
    .map((actor) => referenceId(actor.reference, 'Location'))
    .find((id) => id !== undefined && clinicIds.has(id));
  if (!clinicId || schedule.active === false) return undefined;
  let practitioner: CatalogueSchedule['practitioner'] = null;
  let practitionerReference: CatalogueSchedule['practitionerReference'] = null;
  for (const actor of schedule.actor) {
    const type = practitionerTypes.find((t) => referenceId(actor.reference, t) !== undefined);
    if (!type) continue;
    const id = referenceId(actor.reference, type) ?? '';
    const name = actor.display ?? practitionerNames.get(id) ?? id;
    practitioner = { id, name };
    practitionerReference = {
      reference: `${type}/${id}`,
      ...(actor.display !== undefined && { display: actor.display }),
    };
    break;
  }
  const serviceTypes = schedule.serviceType ?? [];
  return {
    id: schedule.id,
    clinicId,
    practitioner,
    practitionerReference,
    serviceTypes,
    treatmentIds: treatmentIdsOf(serviceTypes),
  };
}

/**
 * Reads an organisation's directory: its active Locations (the clinics), HealthcareServices (what
 * each offers), PractitionerRoles (names) and the Schedules whose actors include its clinics.
 */
export async function loadFhirCatalogue(
  directory: FhirDirectory,
  budget: RequestBudget,
): Promise<FhirCatalogue> {
  const { client } = directory;
  const organization = `Organization/${directory.organization}`;
  const [locations, services, roles] = await Promise.all([
    client.search('Location', { organization }, locationSchema, budget),
    client.search('HealthcareService', { organization }, healthcareServiceSchema, budget),
    client.search('PractitionerRole', { organization }, practitionerRoleSchema, budget),
  ]);
  const activeLocations = locations.filter(
    (location) => (location.status ?? 'active') === 'active',
  );
  const activeServices = services.filter((service) => service.active !== false);
  const clinicIds = new Set(activeLocations.map((location) => location.id));
  const schedules = (
    await Promise.all(
      chunked([...clinicIds].sort(), locationsPerScheduleSearch).map((chunk) =>
        client.search(
          'Schedule',
          { actor: chunk.map((id) => `Location/${id}`).join(',') },
          scheduleSchema,
          budget,
        ),
      ),
    )
  ).flat();
  const practitionerNames = new Map<string, string>();
  for (const role of roles) {
    if (role.practitioner?.display) practitionerNames.set(role.id, role.practitioner.display);
  }
  const bySchedule = new Map<string, CatalogueSchedule>();
  for (const schedule of schedules) {
    const entry = toCatalogueSchedule(schedule, clinicIds, practitionerNames);
    if (entry) bySchedule.set(entry.id, entry);
  }
  return {
    clinics: activeLocations
      .map((location) => toContractClinic(location, activeServices, directory.timeZone))
      .sort((a, b) => (a.id < b.id ? -1 : 1)),
    treatments: toContractTreatments(activeServices),
    schedules: bySchedule,
  };
}
