import { describe, expect, it } from 'vitest';
import { abortable } from '../src/abortable.js';

describe('abortable', () => {
  it('stops waiting when its own signal aborts, though the work goes on', async () => {
    const controller = new AbortController();
    const never = new Promise<string>(() => {});
    const waiting = abortable(never, controller.signal);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
  });

  it('passes the value through otherwise', async () => {
    await expect(abortable(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
  });
});
