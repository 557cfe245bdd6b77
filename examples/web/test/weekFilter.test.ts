import { describe, expect, it } from 'vitest';
import { areas } from '../src/search/areas.js';
import { weekFilter } from '../src/search/weekFilter.js';

const stockholm = areas.find((area) => area.id === 'stockholm')!;
const sweden = areas.find((area) => !area.near)!;

describe('a week of availability from now', () => {
  const now = new Date('2026-12-09T10:15:42.123Z');

  it('asks from the current minute to the same minute a week later', () => {
    const filter = weekFilter({ treatmentId: 'physiotherapy', area: sweden, radiusKm: 10 }, now);
    expect(filter).toEqual({
      from: '2026-12-09T10:15:00.000Z',
      to: '2026-12-16T10:15:00.000Z',
      treatmentId: 'physiotherapy',
    });
  });

  it('asks around a city’s centre within the radius', () => {
    const filter = weekFilter({ treatmentId: 'vaccination', area: stockholm, radiusKm: 25 }, now);
    expect(filter.near).toEqual(stockholm.near);
    expect(filter.radiusKm).toBe(25);
  });

  it('asks the same question for a search repeated within the minute', () => {
    const search = { treatmentId: 'vaccination', area: stockholm, radiusKm: 10 };
    expect(weekFilter(search, new Date('2026-12-09T10:15:59Z'))).toEqual(weekFilter(search, now));
  });
});
