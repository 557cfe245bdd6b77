import { latitude, longitude } from '@booking/provider-kit';
import { z } from 'zod';

/**
 * Zod schemas of the FHIR R4 shapes the adapter reads. Only the elements it uses are checked;
 * every other element is kept (`looseObject`), because a resource read to be updated must be
 * written back whole: dropping what we do not know would erase another client's data.
 */

/** @link https://hl7.org/fhir/R4/datatypes.html#id */
export const fhirId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'not a FHIR id');

/**
 * An instant always carries an offset (`Z` or `±hh:mm`); servers differ in which they send.
 * @link https://hl7.org/fhir/R4/datatypes.html#instant
 */
export const fhirInstant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)$/,
    'not a FHIR instant (date, time and offset)',
  )
  .refine((text) => !Number.isNaN(Date.parse(text)), 'not a valid instant');

/** @link https://hl7.org/fhir/R4/references.html#Reference */
export const referenceSchema = z.looseObject({
  reference: z.string().optional(),
  display: z.string().optional(),
});

/** @link https://hl7.org/fhir/R4/datatypes.html#Coding */
export const codingSchema = z.looseObject({
  system: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
});

/** @link https://hl7.org/fhir/R4/datatypes.html#CodeableConcept */
export const codeableConceptSchema = z.looseObject({
  coding: z.array(codingSchema).optional(),
  text: z.string().optional(),
});

/** @link https://hl7.org/fhir/R4/datatypes.html#Identifier */
export const identifierSchema = z.looseObject({
  system: z.string().optional(),
  value: z.string().optional(),
});

/** @link https://hl7.org/fhir/R4/extensibility.html#Extension */
export const extensionSchema = z.looseObject({
  url: z.string(),
  valueInstant: fhirInstant.optional(),
  valueCode: z.string().optional(),
});

/**
 * Version-aware updates need `meta.versionId`: a server without it cannot be booked safely.
 * @link https://hl7.org/fhir/R4/resource.html#Meta
 */
export const versionedMeta = z.looseObject({
  versionId: z.string().min(1),
  /** When this version was written: a change's time, and the catch-up poll's watermark. */
  lastUpdated: fhirInstant.optional(),
});

/** @link https://hl7.org/fhir/R4/operationoutcome.html */
export const operationOutcomeSchema = z.looseObject({
  resourceType: z.literal('OperationOutcome'),
  issue: z.array(
    z.looseObject({
      severity: z.string(),
      code: z.string(),
      details: z.looseObject({ text: z.string().optional() }).optional(),
      diagnostics: z.string().optional(),
      expression: z.array(z.string()).optional(),
    }),
  ),
});

/** @link https://hl7.org/fhir/R4/slot.html */
export const slotSchema = z.looseObject({
  resourceType: z.literal('Slot'),
  id: fhirId,
  meta: versionedMeta,
  schedule: referenceSchema.extend({ reference: z.string().min(1) }),
  status: z.enum(['busy', 'free', 'busy-unavailable', 'busy-tentative', 'entered-in-error']),
  start: fhirInstant,
  end: fhirInstant,
  serviceType: z.array(codeableConceptSchema).optional(),
});

/** @link https://hl7.org/fhir/R4/appointment.html */
export const appointmentSchema = z.looseObject({
  resourceType: z.literal('Appointment'),
  id: fhirId,
  meta: versionedMeta,
  status: z.enum([
    'proposed',
    'pending',
    'booked',
    'arrived',
    'fulfilled',
    'cancelled',
    'noshow',
    'entered-in-error',
    'checked-in',
    'waitlist',
  ]),
  identifier: z.array(identifierSchema).optional(),
  slot: z.array(referenceSchema).optional(),
  start: fhirInstant.optional(),
  end: fhirInstant.optional(),
  participant: z.array(
    z.looseObject({ actor: referenceSchema.optional(), status: z.string().optional() }),
  ),
  extension: z.array(extensionSchema).optional(),
});

/** @link https://hl7.org/fhir/R4/schedule.html */
export const scheduleSchema = z.looseObject({
  resourceType: z.literal('Schedule'),
  id: fhirId,
  active: z.boolean().optional(),
  actor: z.array(referenceSchema).min(1),
  serviceType: z.array(codeableConceptSchema).optional(),
});

/** @link https://hl7.org/fhir/R4/location.html */
export const locationSchema = z.looseObject({
  resourceType: z.literal('Location'),
  id: fhirId,
  status: z.enum(['active', 'suspended', 'inactive']).optional(),
  name: z.string().optional(),
  address: z
    .looseObject({
      line: z.array(z.string()).optional(),
      postalCode: z.string().optional(),
      city: z.string().optional(),
    })
    .optional(),
  position: z.looseObject({ latitude, longitude }).optional(),
  extension: z.array(extensionSchema).optional(),
});

/** @link https://hl7.org/fhir/R4/healthcareservice.html */
export const healthcareServiceSchema = z.looseObject({
  resourceType: z.literal('HealthcareService'),
  id: fhirId,
  active: z.boolean().optional(),
  location: z.array(referenceSchema).optional(),
  type: z.array(codeableConceptSchema).optional(),
  name: z.string().optional(),
});

/** @link https://hl7.org/fhir/R4/practitionerrole.html */
export const practitionerRoleSchema = z.looseObject({
  resourceType: z.literal('PractitionerRole'),
  id: fhirId,
  active: z.boolean().optional(),
  practitioner: referenceSchema.optional(),
});

/**
 * What the adapter reads of its own Subscriptions: which criteria, and whether the server still
 * serves them.
 * @link https://hl7.org/fhir/R4/subscription.html
 */
export const subscriptionSchema = z.looseObject({
  resourceType: z.literal('Subscription'),
  id: fhirId,
  meta: versionedMeta,
  status: z.enum(['requested', 'active', 'error', 'off']),
  criteria: z.string(),
  channel: z.looseObject({
    type: z.string(),
    endpoint: z.string().optional(),
    payload: z.string().optional(),
    header: z.array(z.string()).optional(),
  }),
});

/** Any resource, as far as telling entries apart needs. */
const anyResource = z.looseObject({ resourceType: z.string().min(1) });

/**
 * A search result page. `search.mode` tells matches from `_include`d resources and from
 * OperationOutcomes some servers add (e.g. "no match" warnings): only matches are results.
 * @link https://hl7.org/fhir/R4/bundle.html#searchset
 */
export const searchsetSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.literal('searchset'),
  total: z.number().int().nonnegative().optional(),
  link: z.array(z.looseObject({ relation: z.string(), url: z.string() })).optional(),
  entry: z
    .array(
      z.looseObject({
        fullUrl: z.string().optional(),
        resource: anyResource,
        search: z
          .looseObject({ mode: z.enum(['match', 'include', 'outcome']).optional() })
          .optional(),
      }),
    )
    .optional(),
});

/**
 * The answer to a transaction: one entry per request entry, in the same order.
 * @link https://hl7.org/fhir/R4/http.html#transaction-response
 */
export const transactionResponseSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.literal('transaction-response'),
  entry: z.array(
    z.looseObject({
      resource: anyResource.optional(),
      response: z.looseObject({ status: z.string().min(3), location: z.string().optional() }),
    }),
  ),
});

export type FhirSlot = z.output<typeof slotSchema>;
export type FhirSubscription = z.output<typeof subscriptionSchema>;
export type FhirAppointment = z.output<typeof appointmentSchema>;
export type FhirSchedule = z.output<typeof scheduleSchema>;
export type FhirLocation = z.output<typeof locationSchema>;
export type FhirHealthcareService = z.output<typeof healthcareServiceSchema>;
export type FhirPractitionerRole = z.output<typeof practitionerRoleSchema>;
export type FhirOperationOutcome = z.output<typeof operationOutcomeSchema>;
export type FhirCodeableConcept = z.output<typeof codeableConceptSchema>;
export type FhirReference = z.output<typeof referenceSchema>;
export type Searchset = z.output<typeof searchsetSchema>;
export type TransactionResponse = z.output<typeof transactionResponseSchema>;
