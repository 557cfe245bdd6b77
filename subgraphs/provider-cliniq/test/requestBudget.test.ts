import { describe, expect, it } from 'vitest';
import { sharedBudget } from '../src/requestBudget.js';

describe('sharedBudget', () => {
  it('aborts only when every caller has given up, and keeps the latest deadline', () => {
    const a = new AbortController();
    const b = new AbortController();
    const shared = sharedBudget([
      { signal: a.signal, deadlineAt: 100 },
      { signal: b.signal, deadlineAt: 300 },
    ]);
    expect(shared.deadlineAt).toBe(300);
    a.abort();
    expect(shared.signal.aborted).toBe(false);
    b.abort();
    expect(shared.signal.aborted).toBe(true);
  });

  it('is the caller’s own budget when there is one caller', () => {
    const signal = new AbortController().signal;
    expect(sharedBudget([{ signal, deadlineAt: 1 }]).signal).toBe(signal);
  });
});
