import type { CatalogueTreatment } from '@booking/catalogue';
import type { ContractConnectionsQuery } from '../__generated__/providerOperations.js';
import type { Page } from '../engines/paginate.js';

/** A provider connection as its subgraph described it. */
export type ConnectionDescription = ContractConnectionsQuery['contractConnections'][number];
/** A clinic as its provider described it. */
export type ContractClinic = ConnectionDescription['clinics'][number];

/** `Provider` in the public API: one provider connection. */
export interface ProviderModel {
  connectionId: string;
  name: string;
  system: string;
  capabilities: readonly string[];
}

/** `Clinic` in the public API. */
export interface ClinicModel {
  connectionId: string;
  clinic: ContractClinic;
  /** Distance from the query's `near` point, when it had one. */
  distanceKm: number | null;
}

/** `Treatment` in the public API: a catalogue entry. */
export type TreatmentModel = CatalogueTreatment;

/** `Slot` in the public API. */
export interface SlotModel {
  /** Public id. */
  id: string;
  connectionId: string;
  /** Provider-local ids. */
  localId: string;
  clinicId: string;
  startMs: number;
  endMs: number;
  treatmentIds: readonly string[];
  /** The treatment the search asked for, shown as `Slot.treatment`. */
  requestedTreatmentId: string | null;
  practitioner: { id: string; name: string } | null;
  bookingUrl: string | null;
  available: boolean;
}

/** How one provider answered one search. */
export interface ProviderOutcomeModel {
  connectionId: string;
  status: 'OK' | 'TIMEOUT' | 'ERROR' | 'CIRCUIT_OPEN' | 'SERVED_FROM_CACHE' | 'SKIPPED';
  latencyMs: number | null;
  message: string | null;
}

export type AvailabilityPage = Page<SlotModel> & { providerOutcomes: ProviderOutcomeModel[] };
export type ClinicPage = Page<ClinicModel>;
