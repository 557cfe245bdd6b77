import { findTreatment, treatmentCatalogue } from '@booking/catalogue';
import type { ProviderDirectory } from '../access/createProviderDirectory.js';
import type { ProviderAccess } from '../access/providers/createProviderAccess.js';
import { isRefusedRequest } from '../access/providers/providerErrors.js';
import type { SlotLoader } from '../access/slotCache/createSlotLoader.js';
import type { CursorSealer } from '../engines/cursors.js';
import { distanceKm } from '../engines/distanceKm.js';
import { decodeGlobalId, encodeGlobalId } from '../engines/globalId.js';
import { paginate, resolvePageSize } from '../engines/paginate.js';
import type { ProviderHealth } from '../engines/providerHealth.js';
import { takesApiBookings } from '../engines/reservationRules.js';
import {
  type AvailabilityFilterInput,
  validateAvailabilityFilter,
  validateNear,
} from '../engines/validateAvailabilityFilter.js';
import { providerUnavailable } from '../errors.js';
import type {
  AvailabilityPage,
  ClinicModel,
  ClinicPage,
  ProviderModel,
  ProviderOutcomeModel,
  SlotModel,
  TreatmentModel,
} from './models.js';
import {
  type SearchDependencies,
  type SearchTarget,
  searchAvailability,
  toSlotModel,
} from './searchAvailability.js';

export interface ClinicFilterInput {
  providerIds?: readonly string[] | null;
  treatmentId?: string | null;
  near?: { latitude: number; longitude: number } | null;
  radiusKm?: number | null;
  city?: string | null;
}

export interface SchedulingManagerOptions {
  directory: ProviderDirectory;
  health: ProviderHealth;
  /** Every provider call goes through it (deadline, circuit, bounded concurrency, retries). */
  providers: ProviderAccess;
  /** Each connection's slots, from the cache or the provider. */
  slots: SlotLoader;
  /**
   * Whether a slot (`connectionId\0slotId`) has a live reservation starting in [fromMs, toMs):
   * hidden from availability.
   */
  reservedIn: SearchDependencies['reservedIn'];
  /** Cursors bound to the query that made them. */
  cursors: CursorSealer;
}

const swedish = new Intl.Collator('sv', { sensitivity: 'base' });

/**
 * The Manager of the scheduling subgraph: answers the public queries by combining the provider
 * directory (catalogues), the engines (validation, merge, pagination) and calls to providers.
 */
export function createSchedulingManager(options: SchedulingManagerOptions) {
  const { directory, health } = options;

  function toProvider(connectionId: string): ProviderModel | null {
    const entry = directory.get(connectionId);
    if (!entry) return null;
    const { name, system, capabilities } = entry.connection;
    return { connectionId, name, system, capabilities };
  }

  function decodeProviderIds(ids: readonly string[] | null | undefined, field: string) {
    return ids
      ? new Set(ids.map((id) => decodeGlobalId('Provider', id, field).connectionId))
      : null;
  }

  /** Every clinic matching the filter, with its distance when `near` was given. */
  function matchingClinics(filter: ClinicFilterInput, field: string): ClinicModel[] {
    const providers = decodeProviderIds(filter.providerIds, `${field}.providerIds`);
    const near = validateNear(filter.near, filter.radiusKm, field);
    const city = filter.city?.trim();
    const clinics: ClinicModel[] = [];
    for (const entry of directory.list()) {
      if (providers && !providers.has(entry.connection.id)) continue;
      for (const clinic of entry.clinics.values()) {
        if (filter.treatmentId && !clinic.treatmentIds.includes(filter.treatmentId)) continue;
        if (city && (!clinic.address || swedish.compare(clinic.address.city, city) !== 0)) continue;
        let distance: number | null = null;
        if (near) {
          if (!clinic.location) continue;
          distance = distanceKm(near.point, clinic.location);
          if (distance > near.radiusKm) continue;
        }
        clinics.push({ connectionId: entry.connection.id, clinic, distanceKm: distance });
      }
    }
    return clinics;
  }

  function clinicAt(connectionId: string, localId: string): ClinicModel | null {
    const clinic = directory.get(connectionId)?.clinics.get(localId);
    return clinic ? { connectionId, clinic, distanceKm: null } : null;
  }

  const clinicId = (c: ClinicModel) => encodeGlobalId('Clinic', c.connectionId, c.clinic.id);

  return {
    providers(): ProviderModel[] {
      return directory.list().map((entry) => toProvider(entry.connection.id)!);
    },

    provider: toProvider,

    providerStatus: (connectionId: string) => health.status(connectionId),

    treatments(): readonly TreatmentModel[] {
      return treatmentCatalogue;
    },

    treatment(id: string): TreatmentModel | null {
      return findTreatment(id) ?? null;
    },

    clinics(
      filter: ClinicFilterInput | null | undefined,
      first: number | null | undefined,
      after: string | null | undefined,
    ): ClinicPage {
      const page = {
        first: resolvePageSize(first),
        after,
        cursors: options.cursors(['clinics', filter]),
      };
      if (after) page.cursors.decode(after);
      const clinics = matchingClinics(filter ?? {}, 'filter').sort(
        (a, b) =>
          swedish.compare(a.clinic.name, b.clinic.name) || (clinicId(a) < clinicId(b) ? -1 : 1),
      );
      return paginate(clinics, (c) => [c.clinic.name, clinicId(c)], page, swedish.compare);
    },

    clinic(id: string): ClinicModel | null {
      const { connectionId, localId } = decodeGlobalId('Clinic', id, 'id');
      return clinicAt(connectionId, localId);
    },

    /** A clinic by its connection and the provider's id (a slot's clinic: no public id to decode). */
    clinicAt,

    async availability(
      input: AvailabilityFilterInput,
      first: number | null | undefined,
      after: string | null | undefined,
    ): Promise<AvailabilityPage> {
      const validated = validateAvailabilityFilter(input);
      // A practitioner id is a public Practitioner id: it names its connection, so only that
      // provider is asked, and with its own local id.
      const practitioner = validated.practitionerId
        ? decodeGlobalId('Practitioner', validated.practitionerId, 'filter.practitionerId')
        : null;
      const filter = practitioner
        ? { ...validated, practitionerId: practitioner.localId }
        : validated;
      const page = {
        first: resolvePageSize(first),
        after,
        cursors: options.cursors(['availability', input]),
      };
      if (after) page.cursors.decode(after);
      const wanted = filter.clinicIds
        ? filter.clinicIds.map((id) => decodeGlobalId('Clinic', id, 'filter.clinicIds'))
        : null;
      const providers = decodeProviderIds(filter.providerIds, 'filter.providerIds');
      const narrowsClinics = Boolean(wanted || filter.treatmentId || filter.near);
      const clinics = narrowsClinics
        ? matchingClinics(
            {
              treatmentId: filter.treatmentId,
              near: filter.near?.point ?? null,
              radiusKm: filter.near?.radiusKm ?? null,
            },
            'filter',
          )
        : [];

      const targets: SearchTarget[] = [];
      const skipped: ProviderOutcomeModel[] = [];
      for (const entry of directory.list()) {
        const connectionId = entry.connection.id;
        if (providers && !providers.has(connectionId)) continue;
        if (practitioner && practitioner.connectionId !== connectionId) continue;
        let clinicIds: string[] | null = null;
        if (narrowsClinics) {
          clinicIds = clinics
            .filter((c) => c.connectionId === connectionId)
            .map((c) => c.clinic.id)
            .filter(
              (id) =>
                !wanted || wanted.some((w) => w.connectionId === connectionId && w.localId === id),
            );
          if (clinicIds.length === 0) {
            skipped.push({
              connectionId,
              status: 'SKIPPED',
              latencyMs: null,
              message: 'no matching clinic',
              ageMs: null,
            });
            continue;
          }
        }
        targets.push({ entry, clinicIds });
      }
      return searchAvailability(targets, skipped, filter, page, options);
    },

    async slot(id: string): Promise<SlotModel | null> {
      const { connectionId, localId } = decodeGlobalId('Slot', id, 'id');
      const entry = directory.get(connectionId);
      if (!entry) return null;
      const answer = await options.providers.getSlot(entry, localId);
      // The provider refused this id itself: it is not a slot it knows.
      if (answer.kind === 'refused' && isRefusedRequest(answer.failure.code)) return null;
      if (answer.kind !== 'answered') {
        throw providerUnavailable(entry.connection.name, answer.failure.message);
      }
      const state = answer.data;
      return state ? toSlotModel(entry, state.slot, null, state.status === 'FREE') : null;
    },

    /** How a connection's slots are booked: through the API, or on the provider's own site. */
    bookingMethod(connectionId: string): 'API' | 'DEEP_LINK' {
      return takesApiBookings(toProvider(connectionId)?.capabilities ?? []) ? 'API' : 'DEEP_LINK';
    },
  };
}

export type SchedulingManager = ReturnType<typeof createSchedulingManager>;
