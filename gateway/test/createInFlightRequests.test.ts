import { describe, expect, it } from 'vitest';
import { createInFlightRequests } from '../src/createInFlightRequests.js';

/** A call the test settles by hand, recording the signal it was started with. */
function heldCall<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const started: AbortSignal[] = [];
  return {
    start: (signal: AbortSignal) => {
      started.push(signal);
      return promise;
    },
    started,
    resolve,
    reject,
  };
}

describe('calls in flight shared by key', () => {
  it('gives callers of the same key one call and its answer', async () => {
    const requests = createInFlightRequests<string>();
    const call = heldCall<string>();
    const first = requests.run('a', call.start);
    const second = requests.run('a', call.start);
    expect(requests.size).toBe(1);
    expect(requests.waiting).toBe(2);
    await Promise.resolve();
    call.resolve('answer');
    expect(await Promise.all([first, second])).toEqual(['answer', 'answer']);
    expect(call.started).toHaveLength(1);
  });

  it('starts a call of its own for another key', async () => {
    const requests = createInFlightRequests<string>();
    const a = heldCall<string>();
    const b = heldCall<string>();
    const first = requests.run('a', a.start);
    const second = requests.run('b', b.start);
    expect(requests.size).toBe(2);
    a.resolve('for a');
    b.resolve('for b');
    expect(await Promise.all([first, second])).toEqual(['for a', 'for b']);
  });

  it('keeps nothing once the call settles: the next caller starts another', async () => {
    const requests = createInFlightRequests<string>();
    const first = heldCall<string>();
    const pending = requests.run('a', first.start);
    first.resolve('old');
    await pending;
    expect(requests.size).toBe(0);
    const second = heldCall<string>();
    const later = requests.run('a', second.start);
    second.resolve('new');
    expect(await later).toBe('new');
    expect(second.started).toHaveLength(1);
  });

  it('gives every caller the failure of the shared call, and the next caller a fresh call', async () => {
    const requests = createInFlightRequests<string>();
    const failing = heldCall<string>();
    const first = requests.run('a', failing.start);
    const second = requests.run('a', failing.start);
    failing.reject(new Error('connection reset'));
    await expect(first).rejects.toThrow('connection reset');
    await expect(second).rejects.toThrow('connection reset');
    expect(requests.size).toBe(0);
    const retry = heldCall<string>();
    const third = requests.run('a', retry.start);
    retry.resolve('recovered');
    expect(await third).toBe('recovered');
  });

  it('turns a call that throws at once into a rejection for its callers', async () => {
    const requests = createInFlightRequests<string>();
    const thrown = requests.run('a', () => {
      throw new Error('bad request');
    });
    await expect(thrown).rejects.toThrow('bad request');
    expect(requests.size).toBe(0);
  });

  it('lets one caller abort without ending the call for the others', async () => {
    const requests = createInFlightRequests<string>();
    const call = heldCall<string>();
    const leaving = new AbortController();
    const first = requests.run('a', call.start, leaving.signal);
    const second = requests.run('a', call.start);
    await Promise.resolve();
    leaving.abort(new Error('client went away'));
    await expect(first).rejects.toThrow('client went away');
    expect(requests.waiting).toBe(1);
    expect(call.started[0]?.aborted).toBe(false);
    call.resolve('answer');
    expect(await second).toBe('answer');
  });

  it('aborts the call once every caller has left, and starts afresh for the next', async () => {
    const requests = createInFlightRequests<string>();
    const call = heldCall<string>();
    const one = new AbortController();
    const two = new AbortController();
    const first = requests.run('a', call.start, one.signal);
    const second = requests.run('a', call.start, two.signal);
    await Promise.resolve();
    one.abort(new Error('gone'));
    two.abort(new Error('gone too'));
    await expect(first).rejects.toThrow('gone');
    await expect(second).rejects.toThrow('gone too');
    expect(call.started[0]?.aborted).toBe(true);
    expect(requests.size).toBe(0);
    const fresh = heldCall<string>();
    const third = requests.run('a', fresh.start);
    fresh.resolve('fresh');
    expect(await third).toBe('fresh');
  });

  it('refuses a caller whose signal is already aborted without starting anything', async () => {
    const requests = createInFlightRequests<string>();
    const call = heldCall<string>();
    await expect(
      requests.run('a', call.start, AbortSignal.abort(new Error('too late'))),
    ).rejects.toThrow('too late');
    await Promise.resolve();
    expect(call.started).toHaveLength(0);
    expect(requests.size).toBe(0);
  });

  it('counts a caller out once whether its signal aborts after the answer or never', async () => {
    const requests = createInFlightRequests<string>();
    const call = heldCall<string>();
    const controller = new AbortController();
    const first = requests.run('a', call.start, controller.signal);
    call.resolve('answer');
    expect(await first).toBe('answer');
    controller.abort();
    expect(requests.waiting).toBe(0);
    expect(requests.size).toBe(0);
  });
});
