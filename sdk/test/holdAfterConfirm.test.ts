import { describe, expect, it } from 'vitest';
import { type ConfirmOutcome, holdAfterConfirm } from '../src/holdAfterConfirm.js';

describe('holdAfterConfirm', () => {
  it.each<[ConfirmOutcome, ReturnType<typeof holdAfterConfirm>]>([
    ['ReservationResult', 'booked'],
    ['InvalidInput', 'keep'],
    ['ProviderUnavailable', 'keep'],
    ['NO_ANSWER', 'keep'],
    ['SlotUnavailable', 'release'],
    ['IdempotencyConflict', 'release'],
    ['HoldExpired', 'gone'],
  ])('%s: %s', (outcome, expected) => {
    expect(holdAfterConfirm(outcome)).toBe(expected);
  });
});
