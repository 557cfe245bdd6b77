/**
 * Square's error vocabulary as this simulator uses it. Categories and codes are those of
 * `components.schemas.ErrorCategory` and `ErrorCode` in standards/square-connect/api.json, except
 * `VERSION_MISMATCH`, which the document names only in `x-endpoint-errors` (see the README).
 */
export type ErrorCategory =
  | 'AUTHENTICATION_ERROR'
  | 'INVALID_REQUEST_ERROR'
  | 'RATE_LIMIT_ERROR'
  | 'API_ERROR';

export type ErrorCode =
  | 'UNAUTHORIZED'
  | 'BAD_REQUEST'
  | 'MISSING_REQUIRED_PARAMETER'
  | 'INVALID_TIME'
  | 'INVALID_TIME_RANGE'
  | 'INVALID_VALUE'
  | 'INVALID_CURSOR'
  | 'CONFLICTING_PARAMETERS'
  | 'INVALID_EMAIL_ADDRESS'
  | 'EXPECTED_JSON_BODY'
  | 'EXPECTED_OBJECT'
  | 'EXPECTED_STRING'
  | 'EXPECTED_INTEGER'
  | 'EXPECTED_ARRAY'
  | 'EXPECTED_BOOLEAN'
  | 'INVALID_ENUM_VALUE'
  | 'VALUE_TOO_LONG'
  | 'VALUE_TOO_LOW'
  | 'VALUE_TOO_HIGH'
  | 'CUSTOMER_NOT_FOUND'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'INVALID_SQUARE_VERSION_FORMAT'
  | 'VERSION_MISMATCH'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'REQUEST_ENTITY_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR'
  | 'BAD_GATEWAY'
  | 'SERVICE_UNAVAILABLE'
  | 'GATEWAY_TIMEOUT'
  | 'NOT_IMPLEMENTED';

/** One entry of Square's `errors` array (schema `Error`). */
export interface SquareError {
  category: ErrorCategory;
  code: ErrorCode;
  detail: string;
  field?: string;
}

/** What an operation answers; the HTTP layer writes it as is. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A refusal: an HTTP status and Square's `{ errors: [...] }` body. */
export class SquareFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: SquareError,
  ) {
    super(`${error.code}: ${error.detail}`);
    this.name = 'SquareFailure';
  }

  toAnswer(): Answer {
    return { status: this.status, body: { errors: [this.error] } };
  }
}

/** A 400 INVALID_REQUEST_ERROR naming the request field it is about. */
export function invalid(code: ErrorCode, detail: string, field?: string): SquareFailure {
  return new SquareFailure(400, {
    category: 'INVALID_REQUEST_ERROR',
    code,
    detail,
    ...(field === undefined ? {} : { field }),
  });
}

export function notFound(detail: string, field?: string): SquareFailure {
  return new SquareFailure(404, {
    category: 'INVALID_REQUEST_ERROR',
    code: 'NOT_FOUND',
    detail,
    ...(field === undefined ? {} : { field }),
  });
}

export function conflict(detail: string, field?: string): SquareFailure {
  return new SquareFailure(409, {
    category: 'INVALID_REQUEST_ERROR',
    code: 'CONFLICT',
    detail,
    ...(field === undefined ? {} : { field }),
  });
}

export const unauthorized = () =>
  new SquareFailure(401, {
    category: 'AUTHENTICATION_ERROR',
    code: 'UNAUTHORIZED',
    detail: 'This request could not be authorized.',
  });

export const rateLimited = () =>
  new SquareFailure(429, {
    category: 'RATE_LIMIT_ERROR',
    code: 'RATE_LIMITED',
    detail: 'Rate limit exceeded; retry after the time in the Retry-After header.',
  });

/** A 5xx as Square writes it: category API_ERROR and the code of the status (`ErrorCode`). */
export function serverError(status: number): SquareFailure {
  const code: ErrorCode =
    status === 502
      ? 'BAD_GATEWAY'
      : status === 503
        ? 'SERVICE_UNAVAILABLE'
        : status === 504
          ? 'GATEWAY_TIMEOUT'
          : 'INTERNAL_SERVER_ERROR';
  return new SquareFailure(status, { category: 'API_ERROR', code, detail: `${code} (simulated).` });
}
