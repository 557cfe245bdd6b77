import { expect, it } from 'vitest';
import { fingerprint } from '../src/createSellerStore.js';

it.each([
  [{ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, true],
  [{ a: 1 }, { a: 1, b: undefined }, true],
  [{ a: [1, 2] }, { a: [2, 1] }, false],
  [{ a: '1' }, { a: 1 }, false],
])('compares request bodies whatever their key order: %j vs %j → %s', (left, right, same) => {
  expect(fingerprint(left) === fingerprint(right)).toBe(same);
});
