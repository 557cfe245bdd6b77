import { describe, expect, it } from 'vitest';
import { mergeOutcomes, type ProviderOutcome } from '../src/search/mergeOutcomes.js';

const outcome = (
  id: string,
  status: ProviderOutcome['status'],
  latencyMs: number | null,
): ProviderOutcome => ({
  __typename: 'ProviderOutcome',
  provider: { __typename: 'Provider', id, name: `Provider ${id}` },
  status,
  latencyMs,
  ageMs: status === 'OK' ? 0 : null,
  message: status === 'TIMEOUT' ? 'no answer within the deadline' : null,
});

describe('provider outcomes over the pages of one search', () => {
  it('keeps, per provider, the worst status of any page and the longest latency', () => {
    const first = [outcome('a', 'OK', 900), outcome('b', 'TIMEOUT', 2000), outcome('c', 'OK', 50)];
    const second = [outcome('a', 'OK', 1), outcome('b', 'OK', 1), outcome('c', 'ERROR', 30)];
    expect(mergeOutcomes(first, second)).toEqual([
      outcome('a', 'OK', 900),
      outcome('b', 'TIMEOUT', 2000),
      { ...outcome('c', 'ERROR', 30), latencyMs: 50 },
    ]);
  });

  it('adds a provider first seen on a later page after the others', () => {
    const merged = mergeOutcomes([outcome('a', 'OK', 10)], [outcome('z', 'SERVED_FROM_CACHE', 5)]);
    expect(merged.map((o) => [o.provider.id, o.status])).toEqual([
      ['a', 'OK'],
      ['z', 'SERVED_FROM_CACHE'],
    ]);
  });

  it('keeps a skipped provider skipped, without a latency', () => {
    const skipped = outcome('s', 'SKIPPED', null);
    expect(mergeOutcomes([skipped], [skipped])).toEqual([skipped]);
  });
});
