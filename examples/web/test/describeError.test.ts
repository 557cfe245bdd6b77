import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { BookingApiError } from '@varden/booking-sdk';
import { describe, expect, it } from 'vitest';
import { describeError } from '../src/errors/describeError.js';

const graphQLError = (code: string) =>
  new CombinedGraphQLErrors({ errors: [{ message: 'refused', extensions: { code } }] });

describe('API errors in words', () => {
  it('asks to sign in again when the token is missing, expired or lacks a scope', () => {
    for (const code of ['UNAUTHENTICATED', 'FORBIDDEN']) {
      expect(describeError(graphQLError(code))).toMatchObject({ code, signInAgain: true });
    }
    expect(describeError(graphQLError('UNAUTHENTICATED')).message).toContain('Sign in again');
  });

  it('says what happened and what to do for the platform’s other codes', () => {
    expect(describeError(graphQLError('RATE_LIMITED'))).toEqual({
      code: 'RATE_LIMITED',
      message: 'There were too many requests just now. Wait a moment and try again.',
      signInAgain: false,
    });
    const unreachable = new BookingApiError({
      code: 'NETWORK_ERROR',
      message: 'Availability: Failed to fetch',
      operationName: 'Availability',
      attempts: 3,
    });
    expect(describeError(unreachable).message).toContain('could not be reached');
  });

  it('keeps an unknown code for support, with a general message', () => {
    expect(describeError(graphQLError('SOMETHING_NEW'))).toEqual({
      code: 'SOMETHING_NEW',
      message: 'Something went wrong at the booking service. Try again.',
      signInAgain: false,
    });
  });

  it('tells an error of the page itself from one of the API', () => {
    expect(describeError(new TypeError('x is undefined'))).toEqual({
      code: null,
      message: 'Something went wrong on this page.',
      signInAgain: false,
    });
  });
});
