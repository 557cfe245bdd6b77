import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  chunked,
  identityNumberFailure,
  orderedWithin,
  reservationReusedFailure,
  slotWindow,
  typedUnavailable,
} from '../src/contractRules.js';
import { ProviderError, ProviderErrorCode } from '../src/errors.js';

const slot = (id: string, start: string) => ({
  id,
  clinicId: 'c1',
  start,
  end: start.replace('T08', 'T09'),
  treatmentIds: [],
  practitioner: null,
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

describe('orderedWithin', () => {
  it('keeps the slots starting in [from, to), ordered by start then id', () => {
    const window = slotWindow({ from: '2026-05-04T08:00:00Z', to: '2026-05-04T10:00:00Z' })!;
    const found = [
      slot('b', '2026-05-04T09:00:00Z'),
      slot('late', '2026-05-04T10:00:00Z'),
      slot('a', '2026-05-04T09:00:00Z'),
      slot('early', '2026-05-04T07:59:00Z'),
      // The same instant written with another offset sorts by instant, not by text.
      slot('c', '2026-05-04T10:30:00+02:00'),
    ];
    expect(orderedWithin(found, window).map((s) => s.id)).toEqual(['c', 'a', 'b']);
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
