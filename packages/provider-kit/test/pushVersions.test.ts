import { describe, expect, it } from 'vitest';
import { createVersionMemory } from '../src/index.js';

describe('createVersionMemory', () => {
  it('takes any version of a booking it never saw, then only newer ones', () => {
    const memory = createVersionMemory<{ version: number; status: string }>();
    expect(memory.isNewer('bk1', 0)).toBe(true);
    memory.remember('bk1', { version: 2, status: 'BOOKED' });
    expect([1, 2, 3].map((v) => memory.isNewer('bk1', v))).toEqual([false, false, true]);
    expect(memory.get('bk1')).toEqual({ version: 2, status: 'BOOKED' });
    expect(memory.isNewer('bk2', 0)).toBe(true);
  });

  it('keeps the newer state when an older push finishes after a newer one', () => {
    const memory = createVersionMemory<{ version: number; status: string }>();
    memory.remember('bk1', { version: 3, status: 'CANCELLED' });
    memory.remember('bk1', { version: 2, status: 'BOOKED' });
    expect(memory.get('bk1')).toEqual({ version: 3, status: 'CANCELLED' });
  });

  it('forgets the booking remembered longest ago beyond its capacity', () => {
    const memory = createVersionMemory<{ version: number }>({ capacity: 2 });
    memory.remember('bk1', { version: 1 });
    memory.remember('bk2', { version: 1 });
    memory.remember('bk1', { version: 2 });
    memory.remember('bk3', { version: 1 });
    expect(['bk1', 'bk2', 'bk3'].map((id) => memory.get(id)?.version)).toEqual([2, undefined, 1]);
    expect(memory.isNewer('bk2', 0)).toBe(true);
  });
});
