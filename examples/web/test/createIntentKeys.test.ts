import { describe, expect, it } from 'vitest';
import { createIntentKeys } from '../src/booking/createIntentKeys.js';

describe('idempotency keys by intent', () => {
  const counting = () => {
    let n = 0;
    return createIntentKeys(() => `key-${++n}`);
  };

  it('keeps the key of an intent across retries, and makes a new one for another intent', () => {
    const keys = counting();
    const first = keys.keyFor({ slotId: 'a' });
    expect(keys.keyFor({ slotId: 'a' })).toBe(first);
    const second = keys.keyFor({ slotId: 'b' });
    expect(second).not.toBe(first);
    // Going back to the first slot is a new intent: its earlier request was answered or given up.
    expect(keys.keyFor({ slotId: 'a' })).not.toBe(first);
  });

  it('tells apart the same reservation confirmed with other details', () => {
    const keys = counting();
    const patient = { personalIdentityNumber: '199001010017', givenName: 'Astrid' };
    const first = keys.keyFor({ reservationId: 'r1', patient });
    expect(keys.keyFor({ reservationId: 'r1', patient: { ...patient } })).toBe(first);
    expect(
      keys.keyFor({ reservationId: 'r1', patient: { ...patient, givenName: 'Selma' } }),
    ).not.toBe(first);
  });

  it('starts a new intent after forget, even for the same request', () => {
    const keys = counting();
    const first = keys.keyFor('r1');
    keys.forget();
    expect(keys.keyFor('r1')).not.toBe(first);
  });

  it('makes random UUIDs by default', () => {
    expect(createIntentKeys().keyFor('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
  });
});
