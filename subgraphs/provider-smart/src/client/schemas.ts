import { z } from 'zod';

/**
 * Zod schemas of what a SMART Scheduling Links publisher serves. They are lenient where the
 * specification is and real data strays (unknown fields and extensions are allowed, optional
 * parts that are malformed are dropped), strict where a wrong value would mislead a patient (ids,
 * references, times with an offset). One NDJSON line failing its schema is skipped and counted;
 * the rest of the file is kept.
 */

/** FHIR `id`: up to 64 letters, digits, `-`, `.` (and `_`, which early drafts of the spec allowed). */
const fhirId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'not a FHIR id');

/**
 * FHIR `instant`, as the spec's timestamps: seconds optional in practice, offset required. The
 * spec's own examples write offsets without minutes (`-05`), so `±hh`, `±hhmm` and `±hh:mm` pass.
 */
export const instantText = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$/,
    'not a timestamp with an offset',
  );

/** @link https://build.fhir.org/ig/HL7/smart-scheduling-links/en/specification.html#manifest-file */
export const manifestSchema = z.object({
  transactionTime: instantText,
  request: z.string().optional(),
  output: z.array(
    z.object({
      type: z.string(),
      url: z.string().min(1),
      extension: z.record(z.string(), z.unknown()).optional().catch(undefined),
    }),
  ),
  error: z.array(z.unknown()).optional().catch(undefined),
});

/** @link https://build.fhir.org/ig/HL7/smart-scheduling-links/en/specification.html#slot-file */
export const extensionSchema = z.looseObject({
  url: z.string().min(1),
  valueUrl: z.unknown().optional(),
  valueString: z.unknown().optional(),
  valueInteger: z.unknown().optional(),
});

const codingSchema = z.object({
  system: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
});

/** @link https://build.fhir.org/ig/HL7/smart-scheduling-links/en/specification.html#location-file */
export const locationSchema = z.object({
  resourceType: z.literal('Location'),
  id: fhirId,
  name: z.string().min(1),
  description: z.string().optional().catch(undefined),
  address: z
    .object({
      line: z.array(z.string()).optional(),
      city: z.string().optional(),
      postalCode: z.string().optional(),
      district: z.string().optional(),
      state: z.string().optional(),
    })
    .optional()
    .catch(undefined),
  position: z
    .object({
      latitude: z.number().min(-90).max(90),
      longitude: z.number().min(-180).max(180),
    })
    .optional()
    .catch(undefined),
  telecom: z
    .array(z.object({ system: z.string().optional(), value: z.string().optional() }))
    .optional()
    .catch(undefined),
});

/** @link https://build.fhir.org/ig/HL7/smart-scheduling-links/en/specification.html#schedule-file */
export const scheduleSchema = z.object({
  resourceType: z.literal('Schedule'),
  id: fhirId,
  active: z.boolean().optional().catch(undefined),
  serviceType: z
    .array(z.object({ coding: z.array(codingSchema).optional(), text: z.string().optional() }))
    .optional()
    .catch(undefined),
  actor: z
    .array(z.object({ reference: z.string().optional(), display: z.string().optional() }))
    .min(1),
  extension: z.array(extensionSchema).optional().catch(undefined),
});

/** @link https://build.fhir.org/ig/HL7/smart-scheduling-links/en/specification.html#slot-file */
export const slotSchema = z.object({
  resourceType: z.literal('Slot'),
  id: fhirId,
  schedule: z.object({ reference: z.string().min(1) }),
  status: z.string().min(1),
  start: instantText,
  end: instantText,
  extension: z.array(extensionSchema).optional(),
});

export type Manifest = z.output<typeof manifestSchema>;
export type VendorLocation = z.output<typeof locationSchema>;
export type VendorSchedule = z.output<typeof scheduleSchema>;
export type VendorSlot = z.output<typeof slotSchema>;
export type VendorExtension = z.output<typeof extensionSchema>;

/** The resource types the adapter reads, and the schema of each. */
export const resourceSchemas = {
  Location: locationSchema,
  Schedule: scheduleSchema,
  Slot: slotSchema,
} as const;
export type ResourceType = keyof typeof resourceSchemas;
export type VendorResource = VendorLocation | VendorSchedule | VendorSlot;

export function isResourceType(type: string): type is ResourceType {
  return Object.hasOwn(resourceSchemas, type);
}
