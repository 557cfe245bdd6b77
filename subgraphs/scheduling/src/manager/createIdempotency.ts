import type { Ledger, ReservationOwner } from '../access/ledger/createLedger.js';
import type { LedgerOutcome } from './models.js';

/** An outcome as stored with its idempotency key: the reservation by id, not by value. */
type StoredOutcome =
  | (Omit<Extract<LedgerOutcome, { __typename: 'ReservationResult' }>, 'reservation'> & {
      reservationId: string;
    })
  | Exclude<LedgerOutcome, { __typename: 'ReservationResult' }>;

export interface IdempotentCall {
  /** Keys are the caller's own: an application's end users never share one. */
  owner: ReservationOwner;
  key: string;
  /** The mutation, e.g. `HOLD`: a key is bound to one operation. */
  operation: string;
  /** A keyed hash of the whole input: the same key with other input is a conflict. */
  fingerprint: string;
  /** The reservation this call creates or changes. */
  reservationId: string;
}

export interface IdempotencyOptions {
  ledger: Ledger;
  now: () => number;
  /** How long a repeated call waits for the first one to finish. */
  replayWaitMs: number;
  /** After how long a claim whose caller never wrote anything may be taken over. */
  abandonAfterMs: number;
}

/** Runs `run` once per (owner, key) of `call`; see `createIdempotency`. */
export type WithIdempotency = (
  call: IdempotentCall,
  run: (reservationId: string) => Promise<LedgerOutcome>,
) => Promise<LedgerOutcome>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `run` once per (owner, key). A repeated call with the same input gets the stored outcome
 * (waiting for the first call if it is still running, and never running the work twice); with
 * other input it gets `IdempotencyConflict`.
 */
export function createIdempotency(options: IdempotencyOptions): WithIdempotency {
  const { ledger } = options;

  async function render(stored: StoredOutcome): Promise<LedgerOutcome> {
    if (stored.__typename !== 'ReservationResult') return stored;
    const reservation = await ledger.find(stored.reservationId);
    if (!reservation)
      throw new Error(`stored outcome names missing reservation ${stored.reservationId}`);
    return { __typename: 'ReservationResult', reservation };
  }

  return async function withIdempotency(
    call: IdempotentCall,
    run: (reservationId: string) => Promise<LedgerOutcome>,
  ): Promise<LedgerOutcome> {
    const claim = await ledger.claimKey(
      call.owner,
      call.key,
      call.operation,
      call.fingerprint,
      call.reservationId,
    );
    let reservationId = call.reservationId;
    if (!claim.claimed) {
      let record = claim.record;
      if (record.operation !== call.operation || record.request_fingerprint !== call.fingerprint) {
        return {
          __typename: 'IdempotencyConflict',
          message: 'this idempotency key was already used with different input',
          idempotencyKey: call.key,
        };
      }
      const waitUntil = options.now() + options.replayWaitMs;
      while (!record.outcome && options.now() < waitUntil) {
        await sleep(50);
        record = (await ledger.findKey(call.owner, call.key)) ?? record;
      }
      if (record.outcome) return render(record.outcome as StoredOutcome);
      reservationId = record.reservation_id ?? call.reservationId;
      const reservation = await ledger.find(reservationId);
      // The first call wrote its reservation but has not finished: report where it stands.
      if (reservation && (call.operation === 'HOLD' || call.operation === 'RESERVE')) {
        return { __typename: 'ReservationResult', reservation };
      }
      const abandoned = options.now() - record.created_at.getTime() > options.abandonAfterMs;
      if (!abandoned || !(await ledger.reclaimKey(call.owner, call.key, record.created_at))) {
        if (reservation) return { __typename: 'ReservationResult', reservation };
        throw new Error('an earlier call with this idempotency key is still running');
      }
    }
    const outcome = await run(reservationId);
    const stored: StoredOutcome =
      outcome.__typename === 'ReservationResult'
        ? { __typename: 'ReservationResult', reservationId: outcome.reservation.id }
        : outcome;
    await ledger.completeKey(call.owner, call.key, stored as Record<string, unknown>);
    return outcome;
  };
}
