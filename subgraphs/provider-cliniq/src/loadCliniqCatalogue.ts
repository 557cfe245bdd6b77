import type { CatalogueCache, RequestBudget } from '@booking/provider-kit';
import * as cliniq from './__generated__/client.gen.js';
import type { Clinic, Service } from './__generated__/types.gen.js';
import { type CliniqClient, clinicPage } from './client/createCliniqClient.js';
import { cliniqTimeZone } from './mapping.js';

/** One tenant's clinics and services: what every search, slot look-up and `describe` needs. */
export interface CliniqCatalogue {
  clinics: Clinic[];
  services: Service[];
}

/**
 * Reads a tenant's clinics and services, both lists at once (each page 1, then its other pages
 * at once). They change seldom: the kit's catalogue cache keeps them per connection.
 */
export async function loadCliniqCatalogue(
  client: CliniqClient,
  budget: RequestBudget,
): Promise<CliniqCatalogue> {
  const [clinics, services] = await Promise.all([
    client.list((query) => ({ ...cliniq.listClinics({ query }), schema: clinicPage }), budget),
    client.list((query) => cliniq.listServices({ query }), budget),
  ]);
  return { clinics, services };
}

/**
 * Each clinic's time zone by clinic id, from the catalogue's last good copy; Cliniq's own zone for
 * a clinic it does not list, or when no copy can be had (a write that was made must still be
 * answered).
 */
export async function clinicZones(
  catalogue: CatalogueCache<CliniqCatalogue>,
  signal: AbortSignal,
): Promise<(clinicId: string) => string> {
  const clinics = await catalogue.get(signal).then(
    (copy) => copy.clinics,
    () => [],
  );
  const zones = new Map(clinics.map((clinic) => [clinic.id, clinic.timezone]));
  return (clinicId) => zones.get(clinicId) ?? cliniqTimeZone;
}
