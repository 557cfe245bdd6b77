import { describe, expect, it } from 'vitest';
import {
  type ClinicBooking,
  clinicChangeStep,
  type LedgerBooking,
} from '../src/engines/clinicChangeRules.js';

const confirmed: LedgerBooking = {
  status: 'CONFIRMED',
  slotId: 'slot-1',
  start: '2026-05-04T07:00:00.000Z',
  end: '2026-05-04T07:20:00.000Z',
  clinicChangedAtMs: null,
};
const clinic = (overrides: Partial<ClinicBooking>): ClinicBooking => ({
  status: 'BOOKED',
  slotId: 'slot-1',
  start: confirmed.start,
  end: confirmed.end,
  ...overrides,
});
const at = Date.parse('2026-05-01T10:00:00Z');

describe('clinicChangeStep', () => {
  it('cancels a confirmed booking or a hold the clinic cancelled', () => {
    expect(clinicChangeStep(confirmed, clinic({ status: 'CANCELLED' }), at)).toEqual({
      step: 'cancel',
    });
    expect(
      clinicChangeStep({ ...confirmed, status: 'HELD' }, clinic({ status: 'CANCELLED' }), at),
    ).toEqual({ step: 'cancel' });
  });

  it('records a no-show of a confirmed booking only', () => {
    expect(clinicChangeStep(confirmed, clinic({ status: 'NO_SHOW' }), at)).toEqual({
      step: 'noShow',
    });
    expect(
      clinicChangeStep({ ...confirmed, status: 'NO_SHOW' }, clinic({ status: 'NO_SHOW' }), at),
    ).toEqual({ step: 'none', reason: 'CURRENT' });
    expect(
      clinicChangeStep({ ...confirmed, status: 'CANCELLED' }, clinic({ status: 'NO_SHOW' }), at),
    ).toEqual({ step: 'none', reason: 'ENDED' });
  });

  it('moves a booking to the time (and slot) the clinic gave it, keeping its length when no end is given', () => {
    expect(
      clinicChangeStep(
        confirmed,
        clinic({ slotId: 'slot-9', start: '2026-05-05T09:00:00Z', end: null }),
        at,
      ),
    ).toEqual({
      step: 'move',
      slotId: 'slot-9',
      start: '2026-05-05T09:00:00Z',
      end: '2026-05-05T09:20:00.000Z',
    });
  });

  it('changes nothing when the clinic says what the ledger says (another notation of the same instant too)', () => {
    expect(clinicChangeStep(confirmed, clinic({ start: '2026-05-04T09:00:00+02:00' }), at)).toEqual(
      { step: 'none', reason: 'CURRENT' },
    );
    expect(
      clinicChangeStep({ ...confirmed, status: 'CANCELLED' }, clinic({ status: 'CANCELLED' }), at),
    ).toEqual({ step: 'none', reason: 'CURRENT' });
  });

  it('sets aside a change older than the last one applied, whatever it says', () => {
    const changed = { ...confirmed, clinicChangedAtMs: at };
    expect(clinicChangeStep(changed, clinic({ status: 'CANCELLED' }), at - 1)).toEqual({
      step: 'none',
      reason: 'OUT_OF_ORDER',
    });
    expect(clinicChangeStep(changed, clinic({ status: 'CANCELLED' }), at)).toEqual({
      step: 'cancel',
    });
  });

  it('leaves a reservation with a platform call in flight, and one that ended on the platform', () => {
    expect(
      clinicChangeStep({ ...confirmed, status: 'PENDING' }, clinic({ status: 'CANCELLED' }), at),
    ).toEqual({ step: 'none', reason: 'IN_FLIGHT' });
    expect(
      clinicChangeStep(
        { ...confirmed, status: 'EXPIRED' },
        clinic({ start: '2026-05-06T07:00:00Z' }),
        at,
      ),
    ).toEqual({ step: 'none', reason: 'ENDED' });
  });
});
