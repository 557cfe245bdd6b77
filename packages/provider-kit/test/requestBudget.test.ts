import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sharedBudget } from '../src/rest/requestBudget.js';

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

  it('leaves no listener on a caller’s signal once disposed, however many batches share it', () => {
    // One GraphQL request's signal takes part in batch after batch while a provider hangs.
    const request = new AbortController();
    for (let batch = 0; batch < 50; batch += 1) {
      const other = new AbortController();
      const shared = sharedBudget([
        { signal: request.signal, deadlineAt: 100 },
        { signal: other.signal, deadlineAt: 200 },
      ]);
      expect(getEventListeners(request.signal, 'abort')).toHaveLength(1);
      shared.dispose();
      expect(getEventListeners(other.signal, 'abort')).toHaveLength(0);
    }
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(0);
  });

  it('stops following the callers once disposed and cancels what is left of the shared work', () => {
    const a = new AbortController();
    const b = new AbortController();
    const shared = sharedBudget([
      { signal: a.signal, deadlineAt: 100 },
      { signal: b.signal, deadlineAt: 300 },
    ]);
    shared.dispose();
    shared.dispose();
    // A sibling request still running after its batch failed is not left to hang.
    expect(shared.signal.aborted).toBe(true);
    expect((shared.signal.reason as Error).name).toBe('AbortError');
    expect(a.signal.aborted).toBe(false);
  });

  it('never aborts a lone caller’s own signal on dispose', () => {
    const a = new AbortController();
    sharedBudget([{ signal: a.signal, deadlineAt: 1 }]).dispose();
    expect(a.signal.aborted).toBe(false);
  });
});
