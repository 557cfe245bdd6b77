import { describe, expect, it } from 'vitest';
import { createReservationIndex } from '../src/createReservationIndex.js';

const entry = (connectionId = 'rivta-a') => ({
  connectionId,
  healthcareFacility: 'F',
  slotId: 's',
  subjectOfCare: '199001010017',
});

describe('createReservationIndex', () => {
  it('keeps reservations per connection', () => {
    const index = createReservationIndex();
    index.set('r1', entry());
    expect(index.get('rivta-a', 'r1')).toMatchObject({ slotId: 's' });
    expect(index.get('rivta-b', 'r1')).toBeUndefined();
    index.set('r1', { ...entry(), bookingId: 'BK1' });
    expect(index.get('rivta-a', 'r1')?.bookingId).toBe('BK1');
    index.delete('rivta-a', 'r1');
    expect(index.get('rivta-a', 'r1')).toBeUndefined();
  });

  it('forgets the least recently used first, and what was not touched for the TTL', () => {
    let now = 0;
    const index = createReservationIndex({ maxEntries: 2, ttlMs: 1000, now: () => now });
    index.set('r1', entry());
    index.set('r2', entry());
    index.get('rivta-a', 'r1');
    index.set('r3', entry());
    expect(index.get('rivta-a', 'r2')).toBeUndefined();
    expect(index.get('rivta-a', 'r1')).toBeDefined();
    now = 2000;
    expect(index.get('rivta-a', 'r3')).toBeUndefined();
    expect(index.size).toBe(1);
  });
});
