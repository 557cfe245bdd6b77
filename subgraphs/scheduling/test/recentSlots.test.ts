import { describe, expect, it } from 'vitest';
import { createRecentSlots } from '../src/access/slotCache/recentSlots.js';
import type { CachedSlot } from '../src/access/slotCache/slotCacheStore.js';

const slot = (id: string): CachedSlot => ({
  id,
  clinicId: 'c1',
  start: '2026-05-04T07:00:00.000Z',
  end: '2026-05-04T07:20:00.000Z',
  treatmentIds: ['t1'],
  practitioner: null,
  bookingUrl: null,
  capacity: 1,
});

describe('recently listed slots', () => {
  it('answers a slot only while its listing is young enough, and only for its own connection', () => {
    let now = 1_000;
    const recent = createRecentSlots({ maxAgeMs: 100, now: () => now });
    recent.remember('a', [slot('s1')], now);
    expect(recent.find('a', 's1')?.id).toBe('s1');
    expect(recent.find('b', 's1')).toBeNull();
    now += 99;
    expect(recent.find('a', 's1')).not.toBeNull();
    now += 1;
    expect(recent.find('a', 's1')).toBeNull();
    // A newer listing makes it fresh again.
    recent.remember('a', [slot('s1')], now);
    expect(recent.find('a', 's1')).not.toBeNull();
  });

  it('drops the oldest listings first once full', () => {
    const recent = createRecentSlots({ maxAgeMs: 1_000, now: () => 0, capacity: 2 });
    recent.remember('a', [slot('s1'), slot('s2')], 0);
    recent.remember('a', [slot('s1')], 0);
    recent.remember('a', [slot('s3')], 0);
    expect(recent.find('a', 's2')).toBeNull();
    expect(recent.find('a', 's1')).not.toBeNull();
    expect(recent.find('a', 's3')).not.toBeNull();
  });
});
