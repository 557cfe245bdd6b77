import { describe, expect, it } from 'vitest';
import { isValidSubjectOfCareId } from '../src/personnummer.js';

describe('isValidSubjectOfCareId', () => {
  it('accepts personnummer with a correct check digit', () => {
    expect(isValidSubjectOfCareId('199001010017')).toBe(true);
    expect(isValidSubjectOfCareId('191212121212')).toBe(true);
  });

  it('accepts a samordningsnummer (day + 60) and a reserve number with a letter', () => {
    // 1990-01-61 is a samordningsnummer for 1 January; check digit computed over 9001610-01.
    const base = '900161001';
    const digits = base.split('').map(Number);
    const sum = digits.reduce((total, d, i) => {
      const p = i % 2 === 0 ? d * 2 : d;
      return total + (p > 9 ? p - 9 : p);
    }, 0);
    expect(isValidSubjectOfCareId(`19${base}${(10 - (sum % 10)) % 10}`)).toBe(true);
    expect(isValidSubjectOfCareId('19900101T017')).toBe(true);
  });

  it('refuses a wrong check digit, an impossible date and the wrong length', () => {
    expect(isValidSubjectOfCareId('199001010018')).toBe(false);
    expect(isValidSubjectOfCareId('199002300010')).toBe(false);
    expect(isValidSubjectOfCareId('9001010017')).toBe(false);
  });
});
