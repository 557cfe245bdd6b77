import { describe, expect, it } from 'vitest';
import {
  afterMoveStep,
  cancelStep,
  confirmStep,
  holdKindOf,
  isLive,
  type LookUpAnswer,
  type ProviderVerdict,
  type ReservationStatus,
  reconcileStep,
  repeatVerdict,
  rescheduleStep,
  settleStep,
  takesApiBookings,
} from '../src/engines/reservationRules.js';

const now = 1_000_000;
const refusal = (outcome: string, message: string) => ({ step: 'refuse', outcome, message });
const settled = (
  to: ReservationStatus,
  operation: string,
  outcome: string,
  failureReason?: string,
) => ({
  to,
  operation,
  ...(failureReason && { failureReason }),
  outcome,
});
const moved = (to: ReservationStatus, records: string, more: object = {}) => ({
  step: 'transition',
  to,
  records,
  ...more,
});

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
    ['EXPIRED', null, refusal('HoldExpired', 'the hold lapsed')],
    ['CANCELLED', null, refusal('InvalidInput', 'the reservation is cancelled')],
    ['FAILED', null, refusal('InvalidInput', 'the reservation is failed')],
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
    ['PENDING', null, { step: 'settle' }],
    ['PENDING', 'PLATFORM', { step: 'settle' }],
    ['EXPIRED', null, refusal('NotCancellable', 'the reservation is already expired')],
    ['FAILED', null, refusal('NotCancellable', 'the reservation is already failed')],
  ])('cancelling a %s reservation (%s hold)', (status, holdKind, step) => {
    expect(cancelStep({ status, holdKind })).toEqual(step);
  });

  it.each<[ReservationStatus, boolean, object]>([
    ['CONFIRMED', true, { step: 'move' }],
    [
      'CONFIRMED',
      false,
      refusal('NotCancellable', 'only a confirmed reservation can be moved; this one is confirmed'),
    ],
    [
      'HELD',
      true,
      refusal('NotCancellable', 'only a confirmed reservation can be moved; this one is held'),
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
  type Pending = 'HOLD' | 'BOOK' | 'CONFIRM' | 'CANCEL';
  // biome-ignore format: a table, one case a row
  it.each<[string, ProviderVerdict, Pending, ReservationStatus, object]>([
    ['uncertain', { kind: 'uncertain' }, 'BOOK', 'FAILED', { to: null, outcome: 'ReservationResult' }],
    ['refused', { kind: 'refused' }, 'CONFIRM', 'HELD', settled('HELD', 'CONFIRM_REFUSED', 'ProviderUnavailable', 'provider unavailable')],
    ['booked', { kind: 'booking', status: 'BOOKED' }, 'BOOK', 'FAILED', settled('CONFIRMED', 'BOOK', 'ReservationResult')],
    ['held', { kind: 'booking', status: 'HELD' }, 'HOLD', 'FAILED', settled('HELD', 'HOLD', 'ReservationResult')],
    ['cancelled', { kind: 'booking', status: 'CANCELLED' }, 'CANCEL', 'CONFIRMED', settled('CANCELLED', 'CANCEL', 'ReservationResult')],
    ['slot taken', failed('SLOT_UNAVAILABLE'), 'CONFIRM', 'HELD', settled('FAILED', 'CONFIRM_FAILED', 'SlotUnavailable', 'SLOT_UNAVAILABLE')],
    ['hold lapsed', failed('HOLD_EXPIRED'), 'CONFIRM', 'HELD', settled('EXPIRED', 'CONFIRM_FAILED', 'HoldExpired', 'HOLD_EXPIRED')],
    ['bad patient', failed('INVALID_INPUT'), 'BOOK', 'FAILED', settled('FAILED', 'BOOK_FAILED', 'InvalidInput', 'INVALID_INPUT')],
    ['too late to cancel', failed('NOT_CANCELLABLE'), 'CANCEL', 'CONFIRMED', settled('CONFIRMED', 'CANCEL_FAILED', 'NotCancellable', 'NOT_CANCELLABLE')],
    ['book by link', failed('BOOKING_BY_LINK', true), 'BOOK', 'FAILED', settled('FAILED', 'BOOK_FAILED', 'BookingByLink', 'BOOKING_BY_LINK')],
    ['book by link, no link', failed('BOOKING_BY_LINK'), 'BOOK', 'FAILED', settled('FAILED', 'BOOK_FAILED', 'ProviderUnavailable', 'BOOKING_BY_LINK')],
    ['unsupported', failed('UNSUPPORTED'), 'CANCEL', 'HELD', settled('HELD', 'CANCEL_FAILED', 'ProviderUnavailable', 'UNSUPPORTED')],
    ['provider down', failed('PROVIDER_UNAVAILABLE'), 'HOLD', 'FAILED', settled('FAILED', 'HOLD_FAILED', 'ProviderUnavailable', 'PROVIDER_UNAVAILABLE')],
  ])('%s', (_name, verdict, pending, onFailure, step) => {
    expect(settleStep(verdict, pending, onFailure)).toEqual(step);
  });

  // A repeat sent because the look-up could not tell: a refusal may be of the very booking the
  // provider cannot find, so only a booking settles the reservation.
  // biome-ignore format: a table, one case a row
  it.each<[string, ProviderVerdict, boolean, object]>([
    ['slot taken, after a look-up that could not tell', failed('SLOT_UNAVAILABLE'), true, { to: null, outcome: 'ReservationResult' }],
    ['refused, after a look-up that could not tell', { kind: 'refused' }, true, { to: null, outcome: 'ReservationResult' }],
    ['booked, after a look-up that could not tell', { kind: 'booking', status: 'BOOKED' }, true, settled('CONFIRMED', 'BOOK', 'ReservationResult')],
    ['slot taken, after a look-up that found nothing', failed('SLOT_UNAVAILABLE'), false, settled('FAILED', 'BOOK_FAILED', 'SlotUnavailable', 'SLOT_UNAVAILABLE')],
  ])('repeated: %s', (_name, verdict, onlyBookingSettles, step) => {
    expect(settleStep(repeatVerdict(verdict, onlyBookingSettles), 'BOOK', 'FAILED')).toEqual(step);
  });
});

describe('what the reconciler makes of a PENDING reservation', () => {
  type Reservation = Parameters<typeof reconcileStep>[0];
  const pending = (operation: Reservation['pending'], more: Partial<Reservation> = {}) => ({
    pending: operation,
    holdKind: null,
    expiresAtMs: null,
    hasPatient: false,
    ...more,
  });
  const notFound = (to: ReservationStatus) =>
    moved(to, 'nothing', { failureReason: 'not found at the provider' });
  const platformHold = (expiresAtMs: number) =>
    pending('CONFIRM', { holdKind: 'PLATFORM', expiresAtMs });
  const repeat = { step: 'repeat', onlyBookingSettles: false };
  const repeatIfBooked = { step: 'repeat', onlyBookingSettles: true };
  const wait = { step: 'wait' };
  // biome-ignore format: a table, one case a row
  it.each<[string, Reservation, LookUpAnswer, object]>([
    ['a booking it made', pending('BOOK'), 'BOOKED', moved('CONFIRMED', 'reference', { after: 'finishReschedule' })],
    ['a confirmation it made', pending('CONFIRM'), 'BOOKED', moved('CONFIRMED', 'reference', { after: 'finishReschedule' })],
    ['a hold it made', pending('HOLD'), 'HELD', moved('HELD', 'hold')],
    ['no booking it was asked for', pending('BOOK', { hasPatient: true }), 'NOT_BOOKED', repeat],
    ['no booking it was asked for, without the patient', pending('BOOK'), 'NOT_BOOKED', notFound('FAILED')],
    ['no hold it was asked for', pending('HOLD'), 'NOT_BOOKED', notFound('FAILED')],
    ['no confirmation it was asked for', pending('CONFIRM', { expiresAtMs: now + 1 }), 'NOT_BOOKED', notFound('EXPIRED')],
    ['its live hold, whose confirmation it has not made', pending('CONFIRM', { holdKind: 'PROVIDER', expiresAtMs: now + 1, hasPatient: true }), 'HELD', repeat],
    ['its lapsed hold, whose confirmation it has not made', pending('CONFIRM', { holdKind: 'PROVIDER', expiresAtMs: now, hasPatient: true }), 'HELD', moved('HELD', 'hold')],
    ['no booking for a live platform hold being confirmed', pending('CONFIRM', { holdKind: 'PLATFORM', expiresAtMs: now + 1, hasPatient: true }), 'NOT_BOOKED', repeat],
    ['no booking for a lapsed platform hold being confirmed', pending('CONFIRM', { holdKind: 'PLATFORM', expiresAtMs: now, hasPatient: true }), 'NOT_BOOKED', notFound('EXPIRED')],
    ['a live platform hold whose confirmation it did not make', platformHold(now + 1), 'CANCELLED', notFound('HELD')],
    ['a lapsed platform hold whose confirmation it did not make', platformHold(now), 'NOT_BOOKED', notFound('EXPIRED')],
    ['a cancellation it made', pending('CANCEL'), 'CANCELLED', moved('CANCELLED', 'nothing')],
    ['nothing of a reservation being cancelled', pending('CANCEL'), 'NOT_BOOKED', moved('CANCELLED', 'nothing')],
    ['a hold whose cancellation it did not make', pending('CANCEL'), 'HELD', moved('HELD', 'hold', { after: 'cancelAgain' })],
    ['a booking whose cancellation it did not make', pending('CANCEL'), 'BOOKED', moved('CONFIRMED', 'reference', { after: 'cancelAgain' })],
    ['a booking made after all for a reservation cancelled while pending', pending('CANCEL', { hasPatient: true }), 'BOOKED', moved('CONFIRMED', 'reference', { after: 'cancelAgain' })],
    ['no pending operation', pending(null), 'BOOKED', { step: 'none' }],
    // It cannot tell: nothing is concluded, and only what the patient asked for is sent again.
    ['nothing it can tell of a booking it was asked for', pending('BOOK', { hasPatient: true }), 'UNKNOWN', repeatIfBooked],
    ['nothing it can tell of a confirmation it was asked for', pending('CONFIRM', { holdKind: 'PROVIDER', expiresAtMs: now, hasPatient: true }), 'UNKNOWN', repeatIfBooked],
    ['nothing it can tell of a booking, without the patient', pending('BOOK'), 'UNKNOWN', wait],
    ['nothing it can tell of a hold', pending('HOLD'), 'UNKNOWN', wait],
    ['nothing it can tell of a cancellation', pending('CANCEL'), 'UNKNOWN', wait],
    ['nothing it can tell of a platform hold being confirmed', platformHold(now + 1), 'UNKNOWN', wait],
  ])('the provider knows %s', (_name, reservation, found, step) => {
    expect(reconcileStep(reservation, found, now)).toEqual(step);
  });
});
