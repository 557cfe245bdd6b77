import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../src/index.js';

const now = Date.parse('2026-03-30T08:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120],
    [' 0 ', 0],
    [['3', '9'], 3],
    ['Mon, 30 Mar 2026 08:00:30 GMT', 30],
    ['Mon, 30 Mar 2026 08:00:00 GMT', 0],
    ['Mon, 30 Mar 2026 07:00:00 GMT', 0],
    ['Mon, 30 Mar 2026 08:00:00.500 GMT', 1],
    [undefined, undefined],
    ['', undefined],
    ['-5', undefined],
    ['soon', undefined],
  ])('reads %j as %j seconds', (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });
});
