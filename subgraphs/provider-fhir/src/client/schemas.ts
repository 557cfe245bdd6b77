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
const codingSchema = z.looseObject({
  system: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
});

/** @link https://hl7.org/fhir/R4/datatypes.html#CodeableConcept */
const codeableConceptSchema = z.looseObject({
  coding: z.array(codingSchema).optional(),
  text: z.string().optional(),
});

/** @link https://hl7.org/fhir/R4/datatypes.html#Identifier */
const identifierSchema = z.looseObject({
  system: z.string().optional(),
  value: z.string().optional(),
});

/** @link https://hl7.org/fhir/R4/extensibility.html#Extension */
const extensionSchema = z.looseObject({
  url: z.string(),
  valueInstant: fhirInstant.optional(),
  valueCode: z.string().optional(),
});

/**
 * Version-aware updates need `meta.versionId`: a server without it cannot be booked safely.
 * `lastUpdated` is when this version was written: a change's time, and the catch-up poll's
 * watermark.
 * @link https://hl7.org/fhir/R4/resource.html#Meta
 */
const versionedMeta = z.looseObject({
  versionId: z.string().min(1),
  lastUpdated: fhirInstant.optional(),
});

/** What every resource read has: its type and logical id. */
const resource = <T extends string>(resourceType: T) =>
  z.looseObject({ resourceType: z.literal(resourceType), id: fhirId });

/** @link https://hl7.org/fhir/R4/operationoutcome.html */
export const operationOutcomeSchema = z.looseObject({
  resourceType: z.literal('OperationOutcome'),
  issue: z.array(z.looseObject({ code: z.string(), expression: z.array(z.string()).optional() })),
});

/**
 * The resources the adapter reads, by type, each checked only in the elements it uses: searches
 * and reads name the type, not the schema.
 */
const resourceSchemas = {
  /** @link https://hl7.org/fhir/R4/slot.html */
  Slot: resource('Slot').extend({
    meta: versionedMeta,
    schedule: referenceSchema.extend({ reference: z.string().min(1) }),
    status: z.enum(['busy', 'free', 'busy-unavailable', 'busy-tentative', 'entered-in-error']),
    start: fhirInstant,
    end: fhirInstant,
    serviceType: z.array(codeableConceptSchema).optional(),
  }),

  /** @link https://hl7.org/fhir/R4/appointment.html */
  Appointment: resource('Appointment').extend({
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
    participant: z.array(z.looseObject({ actor: referenceSchema.optional() })),
    extension: z.array(extensionSchema).optional(),
  }),

  /** @link https://hl7.org/fhir/R4/schedule.html */
  Schedule: resource('Schedule').extend({
    active: z.boolean().optional(),
    actor: z.array(referenceSchema).min(1),
    serviceType: z.array(codeableConceptSchema).optional(),
  }),

  /** @link https://hl7.org/fhir/R4/location.html */
  Location: resource('Location').extend({
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
  }),

  /** @link https://hl7.org/fhir/R4/healthcareservice.html */
  HealthcareService: resource('HealthcareService').extend({
    active: z.boolean().optional(),
    location: z.array(referenceSchema).optional(),
    type: z.array(codeableConceptSchema).optional(),
  }),

  /** @link https://hl7.org/fhir/R4/practitionerrole.html */
  PractitionerRole: resource('PractitionerRole').extend({
    practitioner: referenceSchema.optional(),
  }),

  /**
   * What the adapter reads of its own Subscriptions: which criteria, and whether the server still
   * serves them as they were asked for.
   * @link https://hl7.org/fhir/R4/subscription.html
   */
  Subscription: resource('Subscription').extend({
    status: z.enum(['requested', 'active', 'error', 'off']),
    criteria: z.string(),
    channel: z.looseObject({
      type: z.string(),
      payload: z.string().optional(),
      header: z.array(z.string()).optional(),
    }),
  }),
};
export type FhirResourceType = keyof typeof resourceSchemas;
export type FhirResource<K extends FhirResourceType> = z.output<(typeof resourceSchemas)[K]>;
export const fhirResources: { [K in FhirResourceType]: z.ZodType<FhirResource<K>> } =
  resourceSchemas;

/**
 * A rest-hook notification with payload `application/fhir+json`: the resource that matched one of
 * the connection's Subscriptions (`ensureSubscriptions`).
 * @link https://hl7.org/fhir/R4/subscription.html#2.46.7.1
 */
export const notificationSchema = z.discriminatedUnion('resourceType', [
  resourceSchemas.Appointment,
  resourceSchemas.Slot,
]);

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
  link: z.array(z.looseObject({ relation: z.string(), url: z.string() })).optional(),
  entry: z
    .array(
      z.looseObject({
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
      response: z.looseObject({ status: z.string().min(3) }),
    }),
  ),
});

export type FhirSlot = FhirResource<'Slot'>;
export type FhirAppointment = FhirResource<'Appointment'>;
export type FhirOperationOutcome = z.output<typeof operationOutcomeSchema>;
export type FhirCodeableConcept = z.output<typeof codeableConceptSchema>;
export type FhirReference = z.output<typeof referenceSchema>;
export type TransactionResponse = z.output<typeof transactionResponseSchema>;
