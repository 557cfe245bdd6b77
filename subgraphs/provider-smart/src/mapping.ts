import { findTreatment } from '@booking/catalogue';
import type { ContractClinic, ContractSlot, ContractSlotStatus } from '@booking/provider-kit';
import type { IndexedSlot } from './buildPublicationIndex.js';
import type { VendorExtension, VendorLocation, VendorSchedule } from './client/schemas.js';

const registry = 'http://fhir-registry.smarthealthit.org/StructureDefinition';

/** Extension URLs of the SMART Scheduling Links specification that the adapter reads. */
export const extensionUrls = {
  bookingDeepLink: `${registry}/booking-deep-link`,
  bookingPhone: `${registry}/booking-phone`,
  slotCapacity: `${registry}/slot-capacity`,
} as const;

/** Schedule extensions of the spec that carry nothing the contract needs: known, not counted. */
const knownScheduleExtensions: ReadonlySet<string> = new Set([
  `${registry}/vaccine-dose`,
  `${registry}/vaccine-product`,
  `${registry}/specialty`,
  `${registry}/has-availability`,
]);

export const hl7ServiceType = 'http://terminology.hl7.org/CodeSystem/service-type';
/** The Swedish publisher's own visit types (`simulators/smart`, `sverige`). */
export const swedishVisitType = 'https://fhir.vardbokning.example.se/CodeSystem/besokstyp';

/**
 * Service types (`system|code`) → platform treatment ids (`packages/catalogue`). HL7's
 * service-type codes and the spec's COVID-19 code are the same for every publisher; a publisher's
 * own code system is added here when it is onboarded. Anything else is left out: the platform
 * cannot offer a treatment its catalogue does not have, and guessing from display texts would
 * offer the wrong one.
 */
export const treatmentIdByServiceType: Readonly<Record<string, string>> = Object.freeze({
  [`${hl7ServiceType}|124`]: 'general-practitioner',
  [`${hl7ServiceType}|57`]: 'vaccination',
  // The spec has used both system URLs for its COVID-19 code.
  'http://fhir-registry.smarthealthit.org/CodeSystem/service-type|covid19-immunization':
    'vaccination',
  'http://fhir-registry.smarthealthit.org/CodeSystem/appointment-type|covid19-immunization':
    'vaccination',
  [`${swedishVisitType}|lakarbesok`]: 'general-practitioner',
  [`${swedishVisitType}|sjukskoterskebesok`]: 'nurse-visit',
  [`${swedishVisitType}|vaccination`]: 'vaccination',
  [`${swedishVisitType}|fysioterapi`]: 'physiotherapy',
  [`${swedishVisitType}|psykolog`]: 'psychologist',
  [`${swedishVisitType}|bvc`]: 'child-health',
  [`${swedishVisitType}|barnmorska`]: 'midwife',
});

/** A platform treatment a schedule offers, with the publisher's own code and name for it. */
export interface MappedTreatment {
  readonly treatmentId: string;
  readonly providerCode: string;
  readonly name: string;
}

/**
 * The platform treatments a schedule's `serviceType`s stand for, one per treatment, in the
 * publisher's order. Each concept's codings are tried in order; the first one known decides.
 */
export function treatmentsOf(serviceType: VendorSchedule['serviceType']): MappedTreatment[] {
  const found = new Map<string, MappedTreatment>();
  for (const concept of serviceType ?? []) {
    for (const coding of concept.coding ?? []) {
      const treatmentId = treatmentIdByServiceType[`${coding.system ?? ''}|${coding.code ?? ''}`];
      if (!treatmentId || !coding.code) continue;
      if (!found.has(treatmentId)) {
        found.set(treatmentId, {
          treatmentId,
          providerCode: coding.code,
          name: coding.display ?? concept.text ?? findTreatment(treatmentId)?.name ?? treatmentId,
        });
      }
      break;
    }
  }
  return [...found.values()];
}

const instantPattern =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):?(\d{2})?)$/;

/**
 * Epoch ms of a spec timestamp (an instant with an offset: `2026-10-25T02:30:00+02:00`,
 * `…Z`, or the spec example's `-05`), or undefined when it is not one. The offset decides: in the
 * hour that repeats when summer time ends, `02:30+02:00` and `02:30+01:00` are an hour apart, as
 * they should be. Times without an offset are refused: their zone would be a guess.
 */
export function parseInstant(text: string): number | undefined {
  const match = instantPattern.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s = '00', fraction = '', zone, sign, oh, om = '00'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (zone !== 'Z' && (Number(oh) > 18 || Number(om) > 59)) return undefined;
  const offset = zone === 'Z' ? 'Z' : `${sign}${oh}:${om}`;
  // JavaScript dates hold milliseconds: finer fractions are cut, shorter ones padded.
  const millis = fraction ? fraction.slice(0, 4).padEnd(4, '0') : '';
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${millis}${offset}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The URL a patient follows to book: the slot's `booking-deep-link` with `source` set to the
 * platform's handle, through the WHATWG URL API so an existing query (or none, or a fragment) is
 * kept intact. Only http(s) links are handed out: a `javascript:` or `data:` link from a
 * publisher must never reach a patient's browser. Null when there is no usable link.
 */
export function bookingUrlFor(deepLink: string | undefined, source: string): string | null {
  if (deepLink === undefined || !URL.canParse(deepLink)) return null;
  const url = new URL(deepLink);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  url.searchParams.set('source', source);
  return url.toString();
}

/** What a Slot's extensions say, and how many were not understood. */
export interface SlotExtensions {
  deepLink?: string;
  phone?: string;
  capacity?: number;
  /** Extensions with a URL this adapter does not know (typos included): ignored. */
  unknown: number;
  /** Known extensions with a value of the wrong type: ignored. */
  invalid: number;
}

/** Reads the spec's slot extensions; the first of each kind counts, unknown ones are counted. */
export function readSlotExtensions(
  extensions: readonly VendorExtension[] | undefined,
): SlotExtensions {
  const result: SlotExtensions = { unknown: 0, invalid: 0 };
  for (const extension of extensions ?? []) {
    switch (extension.url) {
      case extensionUrls.bookingDeepLink:
        if (typeof extension.valueUrl === 'string') result.deepLink ??= extension.valueUrl;
        else result.invalid += 1;
        break;
      case extensionUrls.bookingPhone:
        if (typeof extension.valueString === 'string') result.phone ??= extension.valueString;
        else result.invalid += 1;
        break;
      case extensionUrls.slotCapacity:
        if (Number.isInteger(extension.valueInteger) && (extension.valueInteger as number) >= 0) {
          result.capacity ??= extension.valueInteger as number;
        } else {
          result.invalid += 1;
        }
        break;
      default:
        result.unknown += 1;
    }
  }
  return result;
}

/** How many of a Schedule's extensions are unknown to this adapter (they are ignored). */
export function unknownScheduleExtensions(extensions: VendorSchedule['extension']): number {
  return (extensions ?? []).filter((e) => !knownScheduleExtensions.has(e.url)).length;
}

/**
 * A Slot's status in the contract: `free` is FREE, `busy-tentative` (held by someone) HELD,
 * `busy` and `busy-unavailable` BOOKED (not bookable either way). `entered-in-error` and
 * unknown statuses give undefined: such a slot is not offered at all.
 */
export function slotStatusOf(status: string): ContractSlotStatus | undefined {
  switch (status) {
    case 'free':
      return 'FREE';
    case 'busy-tentative':
      return 'HELD';
    case 'busy':
    case 'busy-unavailable':
      return 'BOOKED';
    default:
      return undefined;
  }
}

/**
 * The id in a reference to a `type` resource: `Location/123` → `123`. Absolute references
 * (`https://…/Location/123`) and version suffixes (`/_history/2`) are accepted.
 */
export function referenceId(reference: string | undefined, type: string): string | undefined {
  if (!reference) return undefined;
  const match = new RegExp(`(?:^|/)${type}/([A-Za-z0-9._-]{1,64})(?:/_history/[^/]+)?$`).exec(
    reference,
  );
  return match?.[1];
}

/** A Location as a contract clinic; the spec has no time zone, so the publisher's is used. */
export function toContractClinic(
  location: VendorLocation,
  treatmentIds: readonly string[],
  timeZone: string,
): ContractClinic {
  const { address, position } = location;
  const line = (address?.line ?? [])
    .map((l) => l.trim())
    .filter(Boolean)
    .join(', ');
  return {
    id: location.id,
    name: location.name,
    address:
      address && line && address.city
        ? { line, postalCode: address.postalCode || null, city: address.city }
        : null,
    location: position ? { latitude: position.latitude, longitude: position.longitude } : null,
    timeZone,
    treatmentIds: [...treatmentIds],
  };
}

/** An indexed slot as the contract has it. */
export function toContractSlot(slot: IndexedSlot): ContractSlot {
  return {
    id: slot.id,
    clinicId: slot.clinicId,
    start: slot.start,
    end: slot.end,
    treatmentIds: [...slot.treatmentIds],
    practitioner: slot.practitioner,
    bookingUrl: slot.bookingUrl,
    capacity: slot.capacity,
  };
}
