import { describe, expect, it } from 'vitest';
import {
  afterMoveStep,
  cancelStep,
  confirmStep,
  holdKindOf,
  isLive,
  type ProviderVerdict,
  type ReservationStatus,
  reconcileStep,
  rescheduleStep,
  settleStep,
  takesApiBookings,
} from '../src/engines/reservationRules.js';

const now = 1_000_000;

describe('which status allows which operation', () => {
  it.each<[ReservationStatus, boolean]>([
    ['PENDING', true],
    ['HELD', true],
    ['CONFIRMED', true],
    ['CANCELLED', false],
    ['EXPIRED', false],
    ['FAILED', false],
  ])('a %s reservation blocks its slot: %s', (status, live) => {
    expect(isLive(status)).toBe(live);
  });

  it.each<[ReservationStatus, number | null, object]>([
    ['CONFIRMED', null, { step: 'answer' }],
    ['PENDING', null, { step: 'answer' }],
    ['EXPIRED', null, { step: 'refuse', outcome: 'HoldExpired', message: 'the hold lapsed' }],
    [
      'CANCELLED',
      null,
      { step: 'refuse', outcome: 'InvalidInput', message: 'the reservation is cancelled' },
    ],
    [
      'FAILED',
      null,
      { step: 'refuse', outcome: 'InvalidInput', message: 'the reservation is failed' },
    ],
    ['HELD', now, { step: 'expire' }],
    ['HELD', now - 1, { step: 'expire' }],
    ['HELD', now + 1, { step: 'confirm' }],
    ['HELD', null, { step: 'confirm' }],
  ])('confirming a %s reservation (hold until %s)', (status, expiresAtMs, step) => {
    expect(confirmStep({ status, expiresAtMs }, now)).toEqual(step);
  });

  it.each<[ReservationStatus, 'PROVIDER' | 'PLATFORM' | null, object]>([
    ['CANCELLED', null, { step: 'answer' }],
    ['HELD', 'PLATFORM', { step: 'release' }],
    ['HELD', 'PROVIDER', { step: 'cancel' }],
    ['CONFIRMED', null, { step: 'cancel' }],
    ['CONFIRMED', 'PLATFORM', { step: 'cancel' }],
    [
      'PENDING',
      null,
      {
        step: 'refuse',
        outcome: 'NotCancellable',
        message: 'a provider call for this reservation is still being settled; try again shortly',
      },
    ],
    [
      'EXPIRED',
      null,
      { step: 'refuse', outcome: 'NotCancellable', message: 'the reservation is already expired' },
    ],
    [
      'FAILED',
      null,
      { step: 'refuse', outcome: 'NotCancellable', message: 'the reservation is already failed' },
    ],
  ])('cancelling a %s reservation (%s hold)', (status, holdKind, step) => {
    expect(cancelStep({ status, holdKind })).toEqual(step);
  });

  it.each<[ReservationStatus, boolean, object]>([
    ['CONFIRMED', true, { step: 'move' }],
    [
      'CONFIRMED',
      false,
      {
        step: 'refuse',
        outcome: 'NotCancellable',
        message: 'only a confirmed reservation can be moved; this one is confirmed',
      },
    ],
    [
      'HELD',
      true,
      {
        step: 'refuse',
        outcome: 'NotCancellable',
        message: 'only a confirmed reservation can be moved; this one is held',
      },
    ],
  ])('rescheduling a %s reservation (patient kept: %s)', (status, hasPatient, step) => {
    expect(rescheduleStep({ status, hasPatient })).toEqual(step);
  });

  it.each<[ReservationStatus, 'done' | 'undo']>([
    ['CANCELLED', 'done'],
    ['PENDING', 'done'],
    ['CONFIRMED', 'undo'],
    ['HELD', 'undo'],
  ])('after a move, an old reservation that is %s: %s', (status, step) => {
    expect(afterMoveStep(status)).toBe(step);
  });

  it.each<[string[], boolean, 'PROVIDER' | 'PLATFORM']>([
    [['API_BOOKING', 'HOLDS'], true, 'PROVIDER'],
    [['API_BOOKING'], true, 'PLATFORM'],
    [['API_BOOKING', 'DEEP_LINK_ONLY'], false, 'PLATFORM'],
    [['HOLDS'], false, 'PROVIDER'],
    [[], false, 'PLATFORM'],
  ])('a connection with %j takes API bookings: %s; holds: %s', (capabilities, api, holds) => {
    expect(takesApiBookings(capabilities)).toBe(api);
    expect(holdKindOf(capabilities)).toBe(holds);
  });
});

describe('provider answer → next ledger state → public outcome', () => {
  const failed = (code: string, hasBookingUrl = false): ProviderVerdict => ({
    kind: 'failed',
    code,
    hasBookingUrl,
  });
  it.each<
    [string, ProviderVerdict, 'HOLD' | 'BOOK' | 'CONFIRM' | 'CANCEL', ReservationStatus, object]
  >([
    [
      'uncertain',
      { kind: 'uncertain' },
      'BOOK',
      'FAILED',
      { to: null, outcome: 'ReservationResult' },
    ],
    [
      'refused',
      { kind: 'refused' },
      'CONFIRM',
      'HELD',
      {
        to: 'HELD',
        operation: 'CONFIRM_REFUSED',
        failureReason: 'provider unavailable',
        outcome: 'ProviderUnavailable',
      },
    ],
    [
      'booked',
      { kind: 'booking', status: 'BOOKED' },
      'BOOK',
      'FAILED',
      { to: 'CONFIRMED', operation: 'BOOK', outcome: 'ReservationResult' },
    ],
    [
      'held',
      { kind: 'booking', status: 'HELD' },
      'HOLD',
      'FAILED',
      { to: 'HELD', operation: 'HOLD', outcome: 'ReservationResult' },
    ],
    [
      'cancelled',
      { kind: 'booking', status: 'CANCELLED' },
      'CANCEL',
      'CONFIRMED',
      { to: 'CANCELLED', operation: 'CANCEL', outcome: 'ReservationResult' },
    ],
    [
      'slot taken',
      failed('SLOT_UNAVAILABLE'),
      'CONFIRM',
      'HELD',
      {
        to: 'FAILED',
        operation: 'CONFIRM_FAILED',
        failureReason: 'SLOT_UNAVAILABLE',
        outcome: 'SlotUnavailable',
      },
    ],
    [
      'hold lapsed',
      failed('HOLD_EXPIRED'),
      'CONFIRM',
      'HELD',
      {
        to: 'EXPIRED',
        operation: 'CONFIRM_FAILED',
        failureReason: 'HOLD_EXPIRED',
        outcome: 'HoldExpired',
      },
    ],
    [
      'bad patient',
      failed('INVALID_INPUT'),
      'BOOK',
      'FAILED',
      {
        to: 'FAILED',
        operation: 'BOOK_FAILED',
        failureReason: 'INVALID_INPUT',
        outcome: 'InvalidInput',
      },
    ],
    [
      'too late to cancel',
      failed('NOT_CANCELLABLE'),
      'CANCEL',
      'CONFIRMED',
      {
        to: 'CONFIRMED',
        operation: 'CANCEL_FAILED',
        failureReason: 'NOT_CANCELLABLE',
        outcome: 'NotCancellable',
      },
    ],
    [
      'book by link',
      failed('BOOKING_BY_LINK', true),
      'BOOK',
      'FAILED',
      {
        to: 'FAILED',
        operation: 'BOOK_FAILED',
        failureReason: 'BOOKING_BY_LINK',
        outcome: 'BookingByLink',
      },
    ],
    [
      'book by link, no link',
      failed('BOOKING_BY_LINK'),
      'BOOK',
      'FAILED',
      {
        to: 'FAILED',
        operation: 'BOOK_FAILED',
        failureReason: 'BOOKING_BY_LINK',
        outcome: 'ProviderUnavailable',
      },
    ],
    [
      'unsupported',
      failed('UNSUPPORTED'),
      'CANCEL',
      'HELD',
      {
        to: 'HELD',
        operation: 'CANCEL_FAILED',
        failureReason: 'UNSUPPORTED',
        outcome: 'ProviderUnavailable',
      },
    ],
    [
      'provider down',
      failed('PROVIDER_UNAVAILABLE'),
      'HOLD',
      'FAILED',
      {
        to: 'FAILED',
        operation: 'HOLD_FAILED',
        failureReason: 'PROVIDER_UNAVAILABLE',
        outcome: 'ProviderUnavailable',
      },
    ],
  ])('%s', (_name, verdict, pending, onFailure, step) => {
    expect(settleStep(verdict, pending, onFailure)).toEqual(step);
  });
});

describe('what the reconciler makes of a PENDING reservation', () => {
  const pending = (
    operation: 'HOLD' | 'BOOK' | 'CONFIRM' | 'CANCEL',
    more: Partial<Parameters<typeof reconcileStep>[0]> = {},
  ) => ({
    pending: operation,
    resumeStatus: null,
    holdKind: null,
    expiresAtMs: null,
    hasPatient: false,
    ...more,
  });
  it.each<
    [string, Parameters<typeof reconcileStep>[0], 'BOOKED' | 'HELD' | 'CANCELLED' | null, object]
  >([
    [
      'a booking the provider made',
      pending('BOOK'),
      'BOOKED',
      { step: 'transition', to: 'CONFIRMED', records: 'reference', after: 'finishReschedule' },
    ],
    [
      'a confirmation the provider made',
      pending('CONFIRM'),
      'BOOKED',
      { step: 'transition', to: 'CONFIRMED', records: 'reference', after: 'finishReschedule' },
    ],
    [
      'a hold the provider made',
      pending('HOLD'),
      'HELD',
      { step: 'transition', to: 'HELD', records: 'hold' },
    ],
    [
      'a booking the provider does not know',
      pending('BOOK', { hasPatient: true }),
      null,
      { step: 'repeat' },
    ],
    [
      'a booking without its patient',
      pending('BOOK'),
      null,
      {
        step: 'transition',
        to: 'FAILED',
        records: 'nothing',
        failureReason: 'not found at the provider',
      },
    ],
    [
      'a hold the provider does not know',
      pending('HOLD'),
      null,
      {
        step: 'transition',
        to: 'FAILED',
        records: 'nothing',
        failureReason: 'not found at the provider',
      },
    ],
    [
      'a confirmation the provider does not know',
      pending('CONFIRM', { holdKind: 'PROVIDER', expiresAtMs: now + 1 }),
      null,
      {
        step: 'transition',
        to: 'EXPIRED',
        records: 'nothing',
        failureReason: 'not found at the provider',
      },
    ],
    [
      'a platform hold whose confirmation never took effect',
      pending('CONFIRM', { holdKind: 'PLATFORM', expiresAtMs: now + 1 }),
      'CANCELLED',
      {
        step: 'transition',
        to: 'HELD',
        records: 'nothing',
        failureReason: 'not found at the provider',
      },
    ],
    [
      'a lapsed platform hold whose confirmation never took effect',
      pending('CONFIRM', { holdKind: 'PLATFORM', expiresAtMs: now }),
      null,
      {
        step: 'transition',
        to: 'EXPIRED',
        records: 'nothing',
        failureReason: 'not found at the provider',
      },
    ],
    [
      'a cancellation the provider made',
      pending('CANCEL'),
      'CANCELLED',
      { step: 'transition', to: 'CANCELLED', records: 'nothing' },
    ],
    [
      'a cancellation of a booking the provider forgot',
      pending('CANCEL'),
      null,
      { step: 'transition', to: 'CANCELLED', records: 'nothing' },
    ],
    [
      'a cancellation the provider did not make',
      pending('CANCEL', { resumeStatus: 'HELD' }),
      'HELD',
      { step: 'transition', to: 'HELD', records: 'reference', after: 'cancelAgain' },
    ],
    [
      'a cancellation with no state to resume',
      pending('CANCEL'),
      'BOOKED',
      { step: 'transition', to: 'CONFIRMED', records: 'reference', after: 'cancelAgain' },
    ],
    ['no pending operation', { ...pending('BOOK'), pending: null }, 'BOOKED', { step: 'none' }],
  ])('%s', (_name, reservation, found, step) => {
    expect(reconcileStep(reservation, found, now)).toEqual(step);
  });
});
