/** Every `error` code the simulated Cliniq API answers with. */
export type ErrorCode =
  | 'unauthorized'
  | 'not_found'
  | 'method_not_allowed'
  | 'invalid_request'
  | 'invalid_patient'
  | 'payload_too_large'
  | 'slot_not_found'
  | 'hold_not_found'
  | 'booking_not_found'
  | 'slot_taken'
  | 'slot_in_past'
  | 'idempotency_conflict'
  | 'hold_expired'
  | 'hold_released'
  | 'hold_confirmed'
  | 'too_late_to_cancel'
  | 'booking_not_booked'
  | 'clinic_not_found'
  | 'no_free_time'
  | 'changes_expired'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

/** Cliniq's error body: always `error` and `message`, sometimes the offending `field`. */
export interface ErrorBody {
  error: ErrorCode;
  message: string;
  field?: string;
}

export interface Failure {
  ok: false;
  status: number;
  body: ErrorBody;
}

export interface Success<T> {
  ok: true;
  status: 200 | 201 | 204;
  body: T;
}

/** What a Cliniq operation answers; the HTTP layer writes it as is. */
export type Outcome<T> = Success<T> | Failure;

export function failure(
  status: number,
  error: ErrorCode,
  message: string,
  field?: string,
): Failure {
  return {
    ok: false,
    status,
    body: field === undefined ? { error, message } : { error, message, field },
  };
}

export function success<T>(status: 200 | 201 | 204, body: T): Success<T> {
  return { ok: true, status, body };
}
