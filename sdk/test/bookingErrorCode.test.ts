import {
  CombinedGraphQLErrors,
  CombinedProtocolErrors,
  ServerError,
  ServerParseError,
  UnconventionalError,
} from '@apollo/client/errors';
import { describe, expect, it } from 'vitest';
import { clientFacingCodes, GatewayErrorCode } from '../../gateway/src/errors.js';
import { gatewayErrorCodes } from '../src/bookingErrorCode.js';
import { BookingApiError, bookingErrorCode, isBookingError } from '../src/index.js';

/** The gateway's error body, as it answers a refusal. */
const gatewayBody = (code: string) =>
  JSON.stringify({ errors: [{ message: 'refused', extensions: { code } }] });

const serverError = (status: number, bodyText: string) =>
  new ServerError(`Response not successful: Received status code ${status}`, {
    response: new Response(bodyText, { status }),
    bodyText,
  });

/** What `fetch` throws when the connection is refused: a real one, to a closed loopback port. */
const refused = () => fetch('http://127.0.0.1:1/graphql').catch((error: unknown) => error);

describe('bookingErrorCode', () => {
  it('reads the first extensions.code of Apollo’s CombinedGraphQLErrors', () => {
    const error = new CombinedGraphQLErrors({
      data: null,
      errors: [
        { message: 'no code' },
        {
          message: 'only the trusted documents',
          extensions: { code: 'TRUSTED_DOCUMENT_REQUIRED' },
        },
      ],
    });
    expect(bookingErrorCode(error)).toBe('TRUSTED_DOCUMENT_REQUIRED');
  });

  it('answers GRAPHQL_ERROR for GraphQL errors without a code', () => {
    const error = new CombinedGraphQLErrors({ errors: [{ message: 'something' }] });
    expect(bookingErrorCode(error)).toBe('GRAPHQL_ERROR');
  });

  it.each([
    [401, 'UNAUTHENTICATED'],
    [400, 'TRUSTED_DOCUMENT_REQUIRED'],
    [429, 'RATE_LIMITED'],
    [503, 'SERVICE_UNAVAILABLE'],
  ])('reads the gateway’s code in the body of a ServerError %i: %s', (status, code) => {
    expect(bookingErrorCode(serverError(status, gatewayBody(code)))).toBe(code);
  });

  it('answers HTTP_ERROR for a ServerError whose body is no GraphQL response (a proxy’s)', () => {
    expect(bookingErrorCode(serverError(502, '<html>Bad Gateway</html>'))).toBe('HTTP_ERROR');
    expect(bookingErrorCode(serverError(500, JSON.stringify({ errors: [{}] })))).toBe('HTTP_ERROR');
  });

  it('answers HTTP_ERROR or GRAPHQL_ERROR for an answer that is not JSON, by its status', () => {
    const parseError = (status: number) =>
      new ServerParseError(new SyntaxError('Unexpected token <'), {
        response: new Response('<html>', { status }),
        bodyText: '<html>',
      });
    expect(bookingErrorCode(parseError(502))).toBe('HTTP_ERROR');
    expect(bookingErrorCode(parseError(200))).toBe('GRAPHQL_ERROR');
  });

  it('reads the code of CombinedProtocolErrors', () => {
    const error = new CombinedProtocolErrors([
      { message: 'forbidden', extensions: { code: 'FORBIDDEN' } },
    ]);
    expect(bookingErrorCode(error)).toBe('FORBIDDEN');
  });

  it('answers the code of the backend client’s BookingApiError', () => {
    const error = new BookingApiError({
      message: 'Availability: refused',
      code: 'BAD_USER_INPUT',
      operationName: 'Availability',
      attempts: 1,
    });
    expect(bookingErrorCode(error)).toBe('BAD_USER_INPUT');
  });

  it('answers NETWORK_ERROR for a fetch that got no answer', async () => {
    const error = await refused();
    expect(error).toBeInstanceOf(TypeError);
    expect(bookingErrorCode(error)).toBe('NETWORK_ERROR');
  });

  it('answers TIMEOUT for a fetch aborted by AbortSignal.timeout', () => {
    expect(bookingErrorCode(new DOMException('timed out', 'TimeoutError'))).toBe('TIMEOUT');
  });

  it.each([
    ['a bug of the page', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['an error of another kind', new Error('boom')],
    ['a thrown value Apollo wrapped', new UnconventionalError({ code: 'UNAUTHENTICATED' })],
    ['a plain object with a code', { code: 'UNAUTHENTICATED' }],
    ['a string', 'UNAUTHENTICATED'],
    ['null', null],
  ])('answers null for %s', (_, error) => {
    expect(bookingErrorCode(error)).toBeNull();
  });

  it('lists every code the gateway lets through to clients', () => {
    const listed = new Set<string>(gatewayErrorCodes);
    expect([...clientFacingCodes].filter((code) => !listed.has(code))).toEqual([]);
    expect(listed.has(GatewayErrorCode.InternalServerError)).toBe(true);
  });
});

describe('isBookingError', () => {
  const rateLimited = serverError(429, gatewayBody('RATE_LIMITED'));

  it('tells an error of an API call, with or without a given code', () => {
    expect(isBookingError(rateLimited)).toBe(true);
    expect(isBookingError(rateLimited, 'RATE_LIMITED')).toBe(true);
    expect(isBookingError(rateLimited, 'UNAUTHENTICATED')).toBe(false);
    expect(isBookingError(new Error('boom'))).toBe(false);
  });
});
