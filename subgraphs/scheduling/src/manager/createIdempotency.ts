import { randomUUID } from 'node:crypto';
import type { Logger } from '@booking/server-kit';
import type { IdempotencyRecord, Ledger, ReservationOwner } from '../access/ledger/createLedger.js';
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
  /** The provider connection the call goes to, named by a still-running answer. */
  connectionId: string;
}

export interface IdempotencyOptions {
  ledger: Ledger;
  logger: Logger;
  now: () => number;
  /** How long a repeated call waits for a first call still running on a live instance. */
  replayWaitMs: number;
  /**
   * How long a claim holds unless renewed; the running instance renews it every quarter of this.
   * A repeat takes over a call whose instance stopped renewing (it died) once this has passed.
   * Default: 2000 ms.
   */
  leaseMs?: number;
  /**
   * How long after its claim a call of an instance older than leases counts as dead (such claims
   * have no lease). Default: 30000 ms.
   */
  abandonAfterMs?: number;
  /** This instance, as claims name it. Default: a new random id per process start. */
  instanceId?: string;
}

/** How a key's call runs: the first time, or taking over from a first call that died. */
export interface RunMode {
  /**
   * True when an earlier call with this key died (its instance stopped, or it failed) before
   * answering: what it left half done (a PENDING reservation) is to be finished, not started anew.
   */
  takeover: boolean;
}

/** Runs `run` once per (owner, key) of `call`; see `createIdempotency`. */
export type WithIdempotency = (
  call: IdempotentCall,
  run: (reservationId: string, mode: RunMode) => Promise<LedgerOutcome>,
) => Promise<LedgerOutcome>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pollMs = 50;

/**
 * Runs `run` once per (owner, key). A repeated call with the same input gets the stored outcome
 * as soon as it is known; with other input it gets `IdempotencyConflict`. The instance running a
 * key's call holds it under a lease it renews, so a repeat can tell a call still running on a live
 * instance (it waits for its outcome) from one whose instance died or gave up (it takes the call
 * over at once and finishes it). A call still running after `replayWaitMs` is answered with
 * `ProviderUnavailable` and `retryAfterSeconds`, never with a state half way.
 */
export function createIdempotency(options: IdempotencyOptions): WithIdempotency {
  const { ledger, logger } = options;
  const leaseMs = options.leaseMs ?? 2000;
  const abandonAfterMs = options.abandonAfterMs ?? 30_000;
  const instanceId = options.instanceId ?? randomUUID();
  /** A new claim's holder: this instance, and which of its claims. */
  const newHolder = () => `${instanceId}:${randomUUID()}`;
  const leaseUntil = () => new Date(options.now() + leaseMs);

  async function render(stored: StoredOutcome): Promise<LedgerOutcome> {
    if (stored.__typename !== 'ReservationResult') return stored;
    const reservation = await ledger.find(stored.reservationId);
    if (!reservation)
      throw new Error(`stored outcome names missing reservation ${stored.reservationId}`);
    return { __typename: 'ReservationResult', reservation };
  }

  /** Whether the claim's instance stopped holding it: its lease lapsed, or it gave the call up. */
  function lapsed(record: IdempotencyRecord): boolean {
    const until = record.lease_until?.getTime() ?? record.created_at.getTime() + abandonAfterMs;
    return until <= options.now();
  }

  /** Runs the key's call under a renewed lease and stores its outcome. */
  async function runClaimed(
    call: IdempotentCall,
    holder: string,
    reservationId: string,
    mode: RunMode,
    run: (reservationId: string, mode: RunMode) => Promise<LedgerOutcome>,
  ): Promise<LedgerOutcome> {
    const renewal = setInterval(() => {
      ledger
        .renewKey(call.owner, call.key, holder, leaseUntil())
        .catch((error: unknown) =>
          logger.warn(
            { operation: call.operation, err: (error as Error).message },
            'renewing an idempotency claim failed',
          ),
        );
    }, leaseMs / 4);
    renewal.unref();
    try {
      const outcome = await run(reservationId, mode);
      const stored: StoredOutcome =
        outcome.__typename === 'ReservationResult'
          ? { __typename: 'ReservationResult', reservationId: outcome.reservation.id }
          : outcome;
      await ledger.completeKey(call.owner, call.key, holder, stored as Record<string, unknown>);
      return outcome;
    } catch (error) {
      // Failed without an outcome: a repeat takes over at once instead of waiting for a lease.
      await ledger.releaseKey(call.owner, call.key, holder).catch(() => undefined);
      throw error;
    } finally {
      clearInterval(renewal);
    }
  }

  return async function withIdempotency(call, run) {
    const holder = newHolder();
    const claim = await ledger.claimKey(
      call.owner,
      call.key,
      call.operation,
      call.fingerprint,
      call.reservationId,
      { holder, until: leaseUntil() },
    );
    if (claim.claimed) {
      return runClaimed(call, holder, call.reservationId, { takeover: false }, run);
    }
    let record = claim.record;
    if (record.operation !== call.operation || record.request_fingerprint !== call.fingerprint) {
      return {
        __typename: 'IdempotencyConflict',
        message: 'this idempotency key was already used with different input',
        idempotencyKey: call.key,
      };
    }
    const waitUntil = options.now() + options.replayWaitMs;
    for (;;) {
      if (record.outcome) return render(record.outcome as StoredOutcome);
      const lease = { holder, until: leaseUntil() };
      if (lapsed(record) && (await ledger.takeOverKey(call.owner, call.key, record, lease))) {
        logger.info(
          { operation: call.operation, reservation: record.reservation_id },
          'taking over a call whose instance stopped before answering',
        );
        const reservationId = record.reservation_id ?? call.reservationId;
        return runClaimed(call, holder, reservationId, { takeover: true }, run);
      }
      if (options.now() >= waitUntil) break;
      await sleep(pollMs);
      record = (await ledger.findKey(call.owner, call.key)) ?? record;
    }
    // Still running on a live instance: say so, with when to ask again, rather than guess.
    return {
      __typename: 'ProviderUnavailable',
      message:
        'an earlier call with this idempotency key is still waiting for the provider; repeat it with the same key for its outcome',
      connectionId: call.connectionId,
      retryAfterSeconds: Math.max(1, Math.ceil(leaseMs / 1000)),
    };
  };
}
