import type {
  HealthcareService,
  Location,
  Organization,
  Patient,
  Practitioner,
  PractitionerRole,
  Resource,
  Schedule,
} from '@medplum/fhirtypes';
import {
  hsaIdSystem,
  type LocationSeed,
  type OrganizationSeed,
  otherPatients,
  type PractitionerSeed,
  type ServiceTypeSeed,
  serviceTypeSystem,
  timeZoneExtensionUrl,
} from './seed.js';

/** The R4 personnummer identifier system of the HL7 Sweden base profiles. */
export const personnummerSystem = 'http://electronichealth.se/identifier/personnummer';

export const practitionerRoleId = (practitioner: PractitionerSeed) => `role-${practitioner.key}`;
export const scheduleId = (practitioner: PractitionerSeed) => `sched-${practitioner.key}`;
export const practitionerName = (practitioner: PractitionerSeed) =>
  `${practitioner.given} ${practitioner.family}`;
const healthcareServiceId = (location: LocationSeed, serviceType: ServiceTypeSeed) =>
  `hs-${location.id.replace(/^loc-/, '')}-${serviceType.code}`;

export const serviceTypeConcept = (serviceType: ServiceTypeSeed) => ({
  coding: [{ system: serviceTypeSystem, code: serviceType.code, display: serviceType.display }],
});

function servicesOf(location: LocationSeed): ServiceTypeSeed[] {
  const byCode = new Map<string, ServiceTypeSeed>();
  for (const practitioner of location.practitioners) {
    for (const serviceType of practitioner.serviceTypes) byCode.set(serviceType.code, serviceType);
  }
  return [...byCode.values()];
}

function practitionerResources(
  organization: OrganizationSeed,
  location: LocationSeed,
  practitioner: PractitionerSeed,
): Resource[] {
  const name = practitionerName(practitioner);
  const locationReference = { reference: `Location/${location.id}`, display: location.name };
  const roleReference = {
    reference: `PractitionerRole/${practitionerRoleId(practitioner)}`,
    display: name,
  };
  const person: Practitioner = {
    resourceType: 'Practitioner',
    id: `pr-${practitioner.key}`,
    active: true,
    name: [{ family: practitioner.family, given: [practitioner.given] }],
  };
  const role: PractitionerRole = {
    resourceType: 'PractitionerRole',
    id: practitionerRoleId(practitioner),
    active: true,
    practitioner: { reference: `Practitioner/${person.id}`, display: name },
    organization: { reference: `Organization/${organization.id}`, display: organization.name },
    location: [locationReference],
    healthcareService: practitioner.serviceTypes.map((serviceType) => ({
      reference: `HealthcareService/${healthcareServiceId(location, serviceType)}`,
    })),
    code: [{ text: practitioner.role }],
  };
  const schedule: Schedule = {
    resourceType: 'Schedule',
    id: scheduleId(practitioner),
    active: true,
    serviceType: practitioner.serviceTypes.map(serviceTypeConcept),
    // The practitioner's role first, then where they work: clients find the clinic by type.
    actor: [roleReference, locationReference],
    comment: `${name}, ${practitioner.role.toLowerCase()}`,
  };
  return [person, role, schedule];
}

function locationResources(organization: OrganizationSeed, location: LocationSeed): Resource[] {
  const clinic: Location = {
    resourceType: 'Location',
    id: location.id,
    status: 'active',
    mode: 'instance',
    identifier: [{ system: hsaIdSystem, value: location.hsaId }],
    name: location.name,
    address: {
      use: 'work',
      type: 'physical',
      line: [location.address.line],
      postalCode: location.address.postalCode,
      city: location.address.city,
      country: 'SE',
    },
    position: location.position,
    managingOrganization: {
      reference: `Organization/${organization.id}`,
      display: organization.name,
    },
    extension: [{ url: timeZoneExtensionUrl, valueCode: organization.timeZone }],
  };
  const services = servicesOf(location).map(
    (serviceType): HealthcareService => ({
      resourceType: 'HealthcareService',
      id: healthcareServiceId(location, serviceType),
      active: true,
      providedBy: { reference: `Organization/${organization.id}`, display: organization.name },
      location: [{ reference: `Location/${location.id}`, display: location.name }],
      type: [serviceTypeConcept(serviceType)],
      name: `${serviceType.display}, ${location.name}`,
    }),
  );
  return [
    clinic,
    ...services,
    ...location.practitioners.flatMap((p) => practitionerResources(organization, location, p)),
  ];
}

/**
 * Everything but the slots: organisations, clinics (Location with address, position and time
 * zone), their services (HealthcareService), practitioners with roles and schedules, and the
 * patients of other clients' bookings. Ordered so that references point backwards.
 */
export function directoryResources(organizations: readonly OrganizationSeed[]): Resource[] {
  const patients = otherPatients.map(
    (patient): Patient => ({
      resourceType: 'Patient',
      id: patient.id,
      identifier: [{ system: personnummerSystem, value: patient.personnummer }],
      name: [{ family: patient.family, given: [patient.given] }],
    }),
  );
  return [
    ...organizations.flatMap((organization): Resource[] => [
      {
        resourceType: 'Organization',
        id: organization.id,
        active: true,
        identifier: [{ system: hsaIdSystem, value: organization.hsaId }],
        name: organization.name,
      } satisfies Organization,
      ...organization.locations.flatMap((location) => locationResources(organization, location)),
    ]),
    ...patients,
  ];
}
