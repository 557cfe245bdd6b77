import type { CapabilityStatement, ResourceType } from '@medplum/fhirtypes';

const interactions = [
  'read',
  'vread',
  'update',
  'patch',
  'create',
  'search-type',
  'history-instance',
] as const;

type SearchParamType = 'token' | 'reference' | 'date' | 'string' | 'number';

const common: [string, SearchParamType][] = [
  ['_id', 'token'],
  ['_count', 'number'],
  ['_offset', 'number'],
  ['_lastUpdated', 'date'],
];

const searchParams: Partial<Record<ResourceType, [name: string, type: SearchParamType][]>> = {
  Organization: [
    ['identifier', 'token'],
    ['name', 'string'],
  ],
  Location: [
    ['organization', 'reference'],
    ['identifier', 'token'],
    ['address-city', 'string'],
  ],
  HealthcareService: [
    ['organization', 'reference'],
    ['location', 'reference'],
    ['service-type', 'token'],
    ['active', 'token'],
  ],
  Practitioner: [
    ['identifier', 'token'],
    ['name', 'string'],
  ],
  PractitionerRole: [
    ['organization', 'reference'],
    ['location', 'reference'],
    ['practitioner', 'reference'],
  ],
  Schedule: [
    ['actor', 'reference'],
    ['active', 'token'],
    ['service-type', 'token'],
  ],
  Slot: [
    ['schedule', 'reference'],
    ['status', 'token'],
    ['start', 'date'],
    ['service-type', 'token'],
  ],
  Appointment: [
    ['identifier', 'token'],
    ['slot', 'reference'],
    ['status', 'token'],
    ['date', 'date'],
    ['patient', 'reference'],
  ],
  Patient: [['identifier', 'token']],
  // R4 Subscriptions with the rest-hook channel only (`subscriptionRules.ts`).
  Subscription: [
    ['status', 'token'],
    ['url', 'string'],
    ['criteria', 'string'],
    ['type', 'token'],
  ],
};

/** `GET /metadata`: what this server does, as a FHIR client expects to find it. */
export function capabilityStatement(baseUrl: string, now: Date): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: now.toISOString(),
    kind: 'instance',
    software: { name: 'Booking Platform FHIR simulator (@medplum/fhir-router)' },
    implementation: {
      description: 'FHIR R4 scheduling server for development and tests',
      url: baseUrl,
    },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
        resource: Object.entries(searchParams).map(([type, params]) => ({
          type: type as ResourceType,
          versioning: 'versioned-update',
          readHistory: true,
          updateCreate: false,
          conditionalCreate: true,
          conditionalUpdate: true,
          interaction: interactions.map((code) => ({ code })),
          searchParam: [...params, ...common].map(([name, type]) => ({ name, type })),
        })),
      },
    ],
  };
}
