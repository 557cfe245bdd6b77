import { invalidInput } from '../errors.js';
import { parseInstant } from './dateTime.js';
import type { GeoPoint } from './distanceKm.js';

/** Longest search window. A provider is asked for every slot in it, so it bounds the work. */
export const maxWindowDays = 31;
/** Largest radius of a `near` search, in kilometres. */
export const maxRadiusKm = 500;

export interface AvailabilityFilterInput {
  from: string;
  to: string;
  treatmentId?: string | null;
  clinicIds?: readonly string[] | null;
  providerIds?: readonly string[] | null;
  practitionerId?: string | null;
  near?: GeoPoint | null;
  radiusKm?: number | null;
}

export interface ValidatedAvailabilityFilter {
  fromMs: number;
  toMs: number;
  treatmentId: string | null;
  clinicIds: readonly string[] | null;
  providerIds: readonly string[] | null;
  practitionerId: string | null;
  near: { point: GeoPoint; radiusKm: number } | null;
}

/** Checks a `near` + `radiusKm` pair as given in `ClinicFilter` and `AvailabilityFilter`. */
export function validateNear(
  near: GeoPoint | null | undefined,
  radiusKm: number | null | undefined,
  prefix: string,
): { point: GeoPoint; radiusKm: number } | null {
  if (!near && (radiusKm === null || radiusKm === undefined)) return null;
  if (!near) throw invalidInput(`${prefix}.near`, 'is required when radiusKm is given');
  if (radiusKm === null || radiusKm === undefined) {
    throw invalidInput(`${prefix}.radiusKm`, 'is required when near is given');
  }
  if (!(near.latitude >= -90 && near.latitude <= 90)) {
    throw invalidInput(`${prefix}.near.latitude`, 'must be from -90 to 90');
  }
  if (!(near.longitude >= -180 && near.longitude <= 180)) {
    throw invalidInput(`${prefix}.near.longitude`, 'must be from -180 to 180');
  }
  if (!(radiusKm > 0 && radiusKm <= maxRadiusKm)) {
    throw invalidInput(`${prefix}.radiusKm`, `must be greater than 0 and at most ${maxRadiusKm}`);
  }
  return { point: near, radiusKm };
}

/** Validates an availability filter; throws BAD_USER_INPUT naming the first bad field. */
export function validateAvailabilityFilter(
  filter: AvailabilityFilterInput,
): ValidatedAvailabilityFilter {
  const fromMs = parseInstant(filter.from);
  if (fromMs === null)
    throw invalidInput('filter.from', 'must be an RFC 3339 date-time with offset');
  const toMs = parseInstant(filter.to);
  if (toMs === null) throw invalidInput('filter.to', 'must be an RFC 3339 date-time with offset');
  if (toMs <= fromMs) throw invalidInput('filter.to', 'must be after filter.from');
  if (toMs - fromMs > maxWindowDays * 24 * 60 * 60 * 1000) {
    throw invalidInput('filter.to', `must be at most ${maxWindowDays} days after filter.from`);
  }
  for (const field of ['clinicIds', 'providerIds'] as const) {
    const ids = filter[field];
    if (ids && ids.length === 0)
      throw invalidInput(`filter.${field}`, 'must not be empty when given');
    if (ids && ids.length > 200) throw invalidInput(`filter.${field}`, 'must have at most 200 ids');
  }
  return {
    fromMs,
    toMs,
    treatmentId: filter.treatmentId ?? null,
    clinicIds: filter.clinicIds ?? null,
    providerIds: filter.providerIds ?? null,
    practitionerId: filter.practitionerId ?? null,
    near: validateNear(filter.near, filter.radiusKm, 'filter'),
  };
}
