/** Where a patient may look: a city's centre and a radius around it, or the whole country. */
export interface Area {
  id: string;
  name: string;
  /** `AvailabilityFilter.near`; absent: every clinic in the country. */
  near?: { latitude: number; longitude: number };
}

/** The cities the demo providers have clinics in, by their centres. */
export const areas: readonly Area[] = [
  { id: 'sverige', name: 'Hela Sverige' },
  { id: 'stockholm', name: 'Stockholm', near: { latitude: 59.3293, longitude: 18.0686 } },
  { id: 'goteborg', name: 'Göteborg', near: { latitude: 57.7089, longitude: 11.9746 } },
  { id: 'malmo', name: 'Malmö', near: { latitude: 55.605, longitude: 13.0038 } },
  { id: 'uppsala', name: 'Uppsala', near: { latitude: 59.8586, longitude: 17.6389 } },
];

/** The radii offered around a city, in kilometres (`AvailabilityFilter.radiusKm`). */
export const radiiKm: readonly number[] = [5, 10, 25, 50];
