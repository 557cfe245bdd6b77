import { describe, expect, it } from 'vitest';
import { areas } from '../src/search/areas.js';
import { restoreSearch } from '../src/search/restoreSearch.js';

describe('a search kept across the sign-in', () => {
  it('comes back with the area as the page knows it', () => {
    const kept = JSON.parse(
      JSON.stringify({
        treatmentId: 'vaccination',
        area: { id: 'malmo', name: 'x' },
        radiusKm: 25,
      }),
    );
    expect(restoreSearch(kept)).toEqual({
      treatmentId: 'vaccination',
      area: areas.find((area) => area.id === 'malmo'),
      radiusKm: 25,
    });
  });

  it('is dropped when it is not a search', () => {
    for (const kept of [undefined, null, 'search', { treatmentId: 'x', radiusKm: 10 }]) {
      expect(restoreSearch(kept)).toBeNull();
    }
    expect(restoreSearch({ treatmentId: 'x', area: { id: 'atlantis' }, radiusKm: 10 })).toBeNull();
    expect(restoreSearch({ treatmentId: 7, area: { id: 'malmo' }, radiusKm: 10 })).toBeNull();
  });
});
