import type { RequestBudget } from '@booking/provider-kit';
import * as cliniq from './__generated__/client.gen.js';
import type { Clinic, Service } from './__generated__/types.gen.js';
import { type CliniqClient, clinicPage } from './client/createCliniqClient.js';

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
