import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { validateAvailabilityFilter } from '../src/engines/validateAvailabilityFilter.js';

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as GraphQLError).extensions.field as string;
  }
  return undefined;
}

describe('validateAvailabilityFilter', () => {
  const from = '2026-03-28T00:00:00+01:00';

  it('accepts a window of up to 31 days with any offset', () => {
    const filter = validateAvailabilityFilter({ from, to: '2026-04-28T01:00:00+02:00' });
    expect(filter.toMs - filter.fromMs).toBe(31 * 24 * 3600 * 1000);
    expect(
      validateAvailabilityFilter({ from: '2026-03-28T10:00:00Z', to: '2026-03-29T10:00:00Z' })
        .fromMs,
    ).toBe(Date.parse('2026-03-28T10:00:00Z'));
  });

  it('rejects `to` not after `from`, with the field named', () => {
    expect(fieldOf(() => validateAvailabilityFilter({ from, to: from }))).toBe('filter.to');
    expect(
      fieldOf(() => validateAvailabilityFilter({ from, to: '2026-03-27T00:00:00+01:00' })),
    ).toBe('filter.to');
  });

  it('rejects a window longer than 31 days', () => {
    expect(
      fieldOf(() => validateAvailabilityFilter({ from, to: '2026-04-28T01:00:01+02:00' })),
    ).toBe('filter.to');
  });

  it('rejects date-times without offset or that do not exist', () => {
    expect(
      fieldOf(() =>
        validateAvailabilityFilter({ from: '2026-03-28T00:00:00', to: '2026-03-29T00:00:00Z' }),
      ),
    ).toBe('filter.from');
    expect(fieldOf(() => validateAvailabilityFilter({ from, to: '2026-02-30T00:00:00Z' }))).toBe(
      'filter.to',
    );
  });

  it('requires near and radiusKm together, within bounds', () => {
    const to = '2026-03-30T00:00:00+02:00';
    const near = { latitude: 59.33, longitude: 18.06 };
    expect(fieldOf(() => validateAvailabilityFilter({ from, to, near }))).toBe('filter.radiusKm');
    expect(fieldOf(() => validateAvailabilityFilter({ from, to, radiusKm: 5 }))).toBe(
      'filter.near',
    );
    expect(fieldOf(() => validateAvailabilityFilter({ from, to, near, radiusKm: 0 }))).toBe(
      'filter.radiusKm',
    );
    expect(
      fieldOf(() =>
        validateAvailabilityFilter({ from, to, near: { latitude: 91, longitude: 0 }, radiusKm: 5 }),
      ),
    ).toBe('filter.near.latitude');
    expect(validateAvailabilityFilter({ from, to, near, radiusKm: 10 }).near).toEqual({
      point: near,
      radiusKm: 10,
    });
  });

  it('rejects empty id lists rather than treating them as "everything"', () => {
    const to = '2026-03-30T00:00:00+02:00';
    expect(fieldOf(() => validateAvailabilityFilter({ from, to, clinicIds: [] }))).toBe(
      'filter.clinicIds',
    );
  });
});
