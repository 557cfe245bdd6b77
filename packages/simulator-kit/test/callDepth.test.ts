import { describe, expect, it } from 'vitest';
import { callDepth } from '../src/index.js';

const span = (startMs: number, endMs: number | null) => ({ startMs, endMs });

describe('callDepth', () => {
  it.each([
    ['no calls', [], 0],
    ['one call', [span(0, 50)], 1],
    ['four calls sent together', [span(0, 50), span(1, 52), span(2, 49), span(3, 60)], 1],
    ['two calls one after the other', [span(0, 50), span(51, 100)], 2],
    ['a call that starts as the last ends', [span(0, 50), span(50, 100)], 2],
    ['a list, then its pages at once', [span(0, 50), span(55, 100), span(56, 101)], 2],
    [
      'a catalogue, then slots, then a check of held slots',
      [span(0, 50), span(52, 100), span(60, 90), span(101, 150)],
      3,
    ],
    ['a call still open after another ended', [span(0, 50), span(60, null)], 2],
    [
      'overlapping chains: the longest counts',
      [span(0, 200), span(0, 10), span(11, 20), span(21, 30)],
      3,
    ],
  ])('%s: %i', (_name, calls, depth) => {
    expect(callDepth(calls)).toBe(depth);
  });
});
