/** A treatment in the platform catalogue. Providers map their own codes to these ids. */
export interface CatalogueTreatment {
  /** Stable id used in the public API and the provider contract. */
  readonly id: string;
  /** Display name (Swedish, as patients see it on Vården). */
  readonly name: string;
  /** Typical duration; a provider's own duration may differ. */
  readonly durationMinutes: number;
}

/** The platform's treatment catalogue. Adding a treatment here is a product decision. */
export const treatmentCatalogue: readonly CatalogueTreatment[] = Object.freeze([
  { id: 'general-practitioner', name: 'Läkarbesök, allmänmedicin', durationMinutes: 20 },
  { id: 'nurse-visit', name: 'Sjuksköterskebesök', durationMinutes: 15 },
  { id: 'vaccination', name: 'Vaccination', durationMinutes: 10 },
  { id: 'physiotherapy', name: 'Fysioterapi', durationMinutes: 45 },
  { id: 'psychologist', name: 'Psykologsamtal', durationMinutes: 45 },
  { id: 'child-health', name: 'BVC-besök', durationMinutes: 30 },
  { id: 'midwife', name: 'Barnmorskebesök', durationMinutes: 30 },
  { id: 'dental-checkup', name: 'Tandläkarundersökning', durationMinutes: 30 },
]);

const byId = new Map(treatmentCatalogue.map((t) => [t.id, t]));

/** The catalogue entry for `id`, or undefined when the catalogue has no such treatment. */
export function findTreatment(id: string): CatalogueTreatment | undefined {
  return byId.get(id);
}
