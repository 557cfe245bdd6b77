import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  answeringSlots,
  chunked,
  identityNumberFailure,
  reservationReusedFailure,
  slotWindow,
  typedUnavailable,
} from '../src/contractRules.js';
import { ProviderError, ProviderErrorCode } from '../src/errors.js';

const slot = (id: string, start: string) => ({
  id,
  clinicId: 'c1',
  start,
  end: new Date(Date.parse(start) + 30 * 60_000).toISOString(),
  treatmentIds: ['t1'],
  practitioner: null as { id: string; name: string } | null,
  bookingUrl: null,
  capacity: null,
});

function codeOf(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : error;
  }
  return undefined;
}

describe('slotWindow', () => {
  it('takes instants with an offset, in any zone', () => {
    expect(slotWindow({ from: '2026-05-04T00:00:00+02:00', to: '2026-05-05T00:00:00Z' })).toEqual({
      fromMs: Date.parse('2026-05-03T22:00:00Z'),
      toMs: Date.parse('2026-05-05T00:00:00Z'),
    });
  });

  it('refuses as BAD_USER_INPUT a time without offset, an impossible date, a window over 62 days', () => {
    const to = '2026-05-05T00:00:00Z';
    expect(codeOf(() => slotWindow({ from: '2026-05-04T00:00:00', to }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => slotWindow({ from: '2026-02-30T00:00:00Z', to }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => slotWindow({ from: 'tomorrow', to }))).toBe('BAD_USER_INPUT');
    expect(
      codeOf(() => slotWindow({ from: '2026-01-01T00:00:00Z', to: '2026-03-05T00:00:00Z' })),
    ).toBe('BAD_USER_INPUT');
    expect(slotWindow({ from: '2026-01-01T00:00:00Z', to: '2026-03-04T00:00:00Z' })).not.toBeNull();
  });

  it('answers null, asking nobody, for an empty window', () => {
    expect(slotWindow({ from: '2026-05-05T00:00:00Z', to: '2026-05-05T00:00:00Z' })).toBeNull();
    expect(slotWindow({ from: '2026-05-06T00:00:00Z', to: '2026-05-05T00:00:00Z' })).toBeNull();
  });
});

describe('answeringSlots', () => {
  const window = slotWindow({ from: '2026-05-04T08:00:00Z', to: '2026-05-04T10:00:00Z' })!;

  it('keeps the slots starting in [from, to), once each, ordered by start then id', () => {
    const found = [
      slot('b', '2026-05-04T09:00:00Z'),
      slot('late', '2026-05-04T10:00:00Z'),
      slot('a', '2026-05-04T09:00:00Z'),
      slot('early', '2026-05-04T07:59:00Z'),
      // The same instant written with another offset sorts by instant, not by text.
      slot('c', '2026-05-04T10:30:00+02:00'),
      slot('a', '2026-05-04T09:00:00Z'),
    ];
    expect(answeringSlots(found, window).map((s) => s.id)).toEqual(['c', 'a', 'b']);
  });

  it('drops what no patient can book: no treatment, or an end not after the start', () => {
    const found = [
      { ...slot('untreated', '2026-05-04T08:00:00Z'), treatmentIds: [] },
      { ...slot('backwards', '2026-05-04T08:30:00Z'), end: '2026-05-04T08:00:00Z' },
      slot('ok', '2026-05-04T09:00:00Z'),
    ];
    expect(answeringSlots(found, window).map((s) => s.id)).toEqual(['ok']);
  });

  it('keeps only the slots matching every filter asked', () => {
    const found = [
      slot('plain', '2026-05-04T08:00:00Z'),
      { ...slot('other-clinic', '2026-05-04T08:10:00Z'), clinicId: 'c2' },
      { ...slot('other-treatment', '2026-05-04T08:20:00Z'), treatmentIds: ['t2'] },
      { ...slot('with-anna', '2026-05-04T08:30:00Z'), practitioner: { id: 'p1', name: 'Anna' } },
    ];
    const ids = (filters: Parameters<typeof answeringSlots>[1]) =>
      answeringSlots(found, filters).map((s) => s.id);
    expect(ids({ ...window, clinicIds: ['c1'] })).toEqual([
      'plain',
      'other-treatment',
      'with-anna',
    ]);
    expect(ids({ ...window, treatmentId: 't2' })).toEqual(['other-treatment']);
    expect(ids({ ...window, practitionerId: 'p1' })).toEqual(['with-anna']);
    expect(
      ids({ ...window, treatmentId: null, practitionerId: null, clinicIds: null }),
    ).toHaveLength(4);
  });
});

describe('typedUnavailable', () => {
  it('answers a refused write as PROVIDER_UNAVAILABLE, with the provider’s Retry-After', async () => {
    const refused = await typedUnavailable(async () => {
      throw new ProviderError(ProviderErrorCode.Unavailable, 'Cliniq answered 429', {
        status: 429,
        retryAfterSeconds: 2,
      });
    });
    expect(refused).toEqual({
      booking: null,
      error: {
        code: 'PROVIDER_UNAVAILABLE',
        message: 'Cliniq answered 429; retry after 2 s',
        field: null,
        bookingUrl: null,
      },
    });
  });

  it('lets a timeout or a bad answer through as the error it is: its outcome is unknown', async () => {
    for (const code of [ProviderErrorCode.Timeout, ProviderErrorCode.BadResponse]) {
      await expect(
        typedUnavailable(async () => {
          throw new ProviderError(code, 'lost');
        }),
      ).rejects.toMatchObject({ code });
    }
  });
});

describe('identityNumberFailure', () => {
  it('accepts 12 digits', () => {
    expect(identityNumberFailure({ personalIdentityNumber: '199001011234' })).toBeNull();
  });

  it.each(['19900101-1234', '9001011234', '1990010112345', ''])(
    'refuses %j on the patient field without quoting it',
    (personalIdentityNumber) => {
      const result = identityNumberFailure({ personalIdentityNumber });
      expect(result?.error).toMatchObject({
        code: 'INVALID_INPUT',
        field: 'patient.personalIdentityNumber',
      });
      expect(result?.error?.message).not.toMatch(/\d{4}/);
    },
  );
});

describe('reservationReusedFailure', () => {
  it('is invalid input on the reservation id', () => {
    expect(reservationReusedFailure()).toEqual({
      booking: null,
      error: {
        code: 'INVALID_INPUT',
        message: 'this reservation id is already used for another slot',
        field: 'reservationId',
        bookingUrl: null,
      },
    });
  });
});

describe('chunked', () => {
  it('cuts a list into pieces of at most the size, in order', () => {
    expect(chunked([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunked([], 3)).toEqual([]);
  });
});
