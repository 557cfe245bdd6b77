import type {
  ContractClinic,
  ContractPractitioner,
  ContractSlotStatus,
  ContractTreatment,
} from '@booking/provider-kit';
import type {
  ResourceType,
  VendorLocation,
  VendorResource,
  VendorSchedule,
  VendorSlot,
} from './client/schemas.js';
import {
  bookingUrlFor,
  type MappedTreatment,
  parseInstant,
  readSlotExtensions,
  referenceId,
  slotStatusOf,
  toContractClinic,
  treatmentsOf,
  unknownScheduleExtensions,
} from './mapping.js';

/** One ingested NDJSON file: its manifest entry's type and the resources that passed validation. */
export interface IngestedFile {
  readonly type: ResourceType;
  readonly resources: readonly VendorResource[];
}

/** A schedule placed at a known clinic, with its treatments mapped. */
export interface IndexedSchedule {
  readonly id: string;
  readonly clinicId: string;
  readonly treatmentIds: readonly string[];
  readonly practitioner: ContractPractitioner | null;
}

/** A slot ready for the contract: times in UTC, booking URL built, treatments resolved. */
export interface IndexedSlot {
  readonly id: string;
  readonly scheduleId: string;
  readonly clinicId: string;
  readonly startMs: number;
  readonly start: string;
  readonly end: string;
  readonly status: ContractSlotStatus;
  readonly capacity: number | null;
  readonly bookingUrl: string | null;
  readonly treatmentIds: readonly string[];
  readonly practitioner: ContractPractitioner | null;
}

/** What the index left out or did not understand, by kind. Each is skipped, never fatal. */
export interface IndexCounts {
  locations: number;
  schedules: number;
  slots: number;
  /** Slots a patient can book now: free, with a booking link, capacity left, treatment known. */
  openSlots: number;
  duplicateIds: number;
  /** Schedules whose Location is not published; slots whose Schedule is not published. */
  unknownReferences: number;
  /** Schedules without any Location actor (a practitioner-only calendar has no clinic). */
  schedulesWithoutLocation: number;
  inactiveSchedules: number;
  /** Schedules none of whose service types map to the platform catalogue. */
  unmappedSchedules: number;
  unknownExtensions: number;
  invalidExtensions: number;
  /** Slots whose times do not parse or whose end is not after their start. */
  invalidTimes: number;
  /** Slots with a status the spec does not define (or `entered-in-error`). */
  unknownStatuses: number;
  /** Free slots without a usable http(s) `booking-deep-link`. */
  slotsWithoutBookingLink: number;
}

/** Everything `describe`, `findSlots` and `getSlot` answer from, rebuilt after every change. */
export interface PublicationIndex {
  readonly clinics: readonly ContractClinic[];
  readonly treatments: readonly ContractTreatment[];
  readonly schedules: ReadonlyMap<string, IndexedSchedule>;
  readonly slotsById: ReadonlyMap<string, IndexedSlot>;
  /** Bookable slots per schedule, ordered by start then id, for binary search by time. */
  readonly openSlotsBySchedule: ReadonlyMap<string, readonly IndexedSlot[]>;
  readonly counts: Readonly<IndexCounts>;
}

export interface IndexOptions {
  /** IANA zone of the publisher's clinics: the spec's Locations have none. */
  readonly timeZone: string;
  /** `source` parameter added to every booking deep link. */
  readonly bookingSource: string;
}

export const compareSlots = (
  a: { startMs: number; id: string },
  b: { startMs: number; id: string },
) => a.startMs - b.startMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Builds the index of one publication from its files, in manifest order. Locations, Schedules and
 * Slots may come in any order and reference each other by id: references are resolved only once
 * everything is read, and what points nowhere is skipped and counted. The first resource with an
 * id wins; later ones are counted as duplicates.
 */
export function buildPublicationIndex(
  files: Iterable<IngestedFile>,
  options: IndexOptions,
): PublicationIndex {
  const counts: IndexCounts = {
    locations: 0,
    schedules: 0,
    slots: 0,
    openSlots: 0,
    duplicateIds: 0,
    unknownReferences: 0,
    schedulesWithoutLocation: 0,
    inactiveSchedules: 0,
    unmappedSchedules: 0,
    unknownExtensions: 0,
    invalidExtensions: 0,
    invalidTimes: 0,
    unknownStatuses: 0,
    slotsWithoutBookingLink: 0,
  };
  const locations = new Map<string, VendorLocation>();
  const rawSchedules = new Map<string, VendorSchedule>();
  const rawSlots = new Map<string, VendorSlot>();
  const keep = <T>(map: Map<string, T>, id: string, resource: T) => {
    if (map.has(id)) counts.duplicateIds += 1;
    else map.set(id, resource);
  };
  for (const file of files) {
    for (const resource of file.resources) {
      if (resource.resourceType === 'Location') keep(locations, resource.id, resource);
      else if (resource.resourceType === 'Schedule') keep(rawSchedules, resource.id, resource);
      else keep(rawSlots, resource.id, resource);
    }
  }

  const schedules = new Map<string, IndexedSchedule>();
  const treatmentsByClinic = new Map<string, Set<string>>();
  const treatments = new Map<string, MappedTreatment>();
  for (const schedule of rawSchedules.values()) {
    counts.unknownExtensions += unknownScheduleExtensions(schedule.extension);
    if (schedule.active === false) {
      counts.inactiveSchedules += 1;
      continue;
    }
    const locationIds = schedule.actor.flatMap((a) => referenceId(a.reference, 'Location') ?? []);
    if (locationIds.length === 0) {
      counts.schedulesWithoutLocation += 1;
      continue;
    }
    const clinicId = locationIds.find((id) => locations.has(id));
    if (clinicId === undefined) {
      counts.unknownReferences += 1;
      continue;
    }
    const mapped = treatmentsOf(schedule.serviceType);
    if (mapped.length === 0) counts.unmappedSchedules += 1;
    for (const treatment of mapped) {
      if (!treatments.has(treatment.treatmentId)) treatments.set(treatment.treatmentId, treatment);
      const ofClinic = treatmentsByClinic.get(clinicId) ?? new Set<string>();
      ofClinic.add(treatment.treatmentId);
      treatmentsByClinic.set(clinicId, ofClinic);
    }
    const practitionerActor = schedule.actor.find(
      (a) =>
        referenceId(a.reference, 'PractitionerRole') ?? referenceId(a.reference, 'Practitioner'),
    );
    const practitionerId =
      referenceId(practitionerActor?.reference, 'PractitionerRole') ??
      referenceId(practitionerActor?.reference, 'Practitioner');
    schedules.set(schedule.id, {
      id: schedule.id,
      clinicId,
      treatmentIds: mapped.map((t) => t.treatmentId),
      practitioner: practitionerId
        ? { id: practitionerId, name: practitionerActor?.display?.trim() || practitionerId }
        : null,
    });
  }
  counts.locations = locations.size;
  counts.schedules = schedules.size;

  const slotsById = new Map<string, IndexedSlot>();
  const openSlotsBySchedule = new Map<string, IndexedSlot[]>();
  for (const slot of rawSlots.values()) {
    const extensions = readSlotExtensions(slot.extension);
    counts.unknownExtensions += extensions.unknown;
    counts.invalidExtensions += extensions.invalid;
    const scheduleId = referenceId(slot.schedule.reference, 'Schedule');
    if (scheduleId === undefined || !rawSchedules.has(scheduleId)) {
      counts.unknownReferences += 1;
      continue;
    }
    // Slots of a schedule skipped above (no known clinic, inactive) go with it, already counted.
    const schedule = schedules.get(scheduleId);
    if (!schedule) continue;
    const startMs = parseInstant(slot.start);
    const endMs = parseInstant(slot.end);
    if (startMs === undefined || endMs === undefined || endMs <= startMs) {
      counts.invalidTimes += 1;
      continue;
    }
    const status = slotStatusOf(slot.status);
    if (status === undefined) {
      counts.unknownStatuses += 1;
      continue;
    }
    const bookingUrl = bookingUrlFor(extensions.deepLink, options.bookingSource);
    const indexed: IndexedSlot = {
      id: slot.id,
      scheduleId,
      clinicId: schedule.clinicId,
      startMs,
      start: new Date(startMs).toISOString(),
      end: new Date(endMs).toISOString(),
      status,
      capacity: extensions.capacity ?? null,
      bookingUrl,
      treatmentIds: schedule.treatmentIds,
      practitioner: schedule.practitioner,
    };
    slotsById.set(slot.id, indexed);
    if (status !== 'FREE') continue;
    if (bookingUrl === null) {
      counts.slotsWithoutBookingLink += 1;
      continue;
    }
    if (indexed.capacity === 0 || indexed.treatmentIds.length === 0) continue;
    const list = openSlotsBySchedule.get(scheduleId) ?? [];
    list.push(indexed);
    openSlotsBySchedule.set(scheduleId, list);
    counts.openSlots += 1;
  }
  for (const list of openSlotsBySchedule.values()) list.sort(compareSlots);
  counts.slots = slotsById.size;

  return {
    clinics: [...locations.values()].map((location) =>
      toContractClinic(
        location,
        [...(treatmentsByClinic.get(location.id) ?? [])],
        options.timeZone,
      ),
    ),
    treatments: [...treatments.values()].map((t) => ({
      id: t.treatmentId,
      providerCode: t.providerCode,
      name: t.name,
      durationMinutes: null,
    })),
    schedules,
    slotsById,
    openSlotsBySchedule,
    counts,
  };
}
