import type { Selectable } from 'kysely';
import type { ReservationOwner } from './createLedger.js';
import type { LedgerDatabase } from './createLedgerDatabase.js';
import type { LedgerTables } from './ledgerTables.js';

export type IdempotencyRecord = Selectable<LedgerTables['idempotency_keys']>;

/** A claim on an idempotency key: who runs its call, and until when the claim holds. */
export interface KeyLease {
  /** Unique per claim (the instance and a random part), so a taken-over claim is told apart. */
  holder: string;
  until: Date;
}

/**
 * The ledger's idempotency keys: one row per (owner, key), claimed by the instance that runs the
 * key's call under a lease it renews, and completed with the call's outcome. Part of the ledger
 * (`createLedger` spreads these in); `manager/createIdempotency.ts` decides what to do with them.
 */
export function createIdempotencyKeys(db: LedgerDatabase, at: () => Date) {
  /** An update of `holder`'s claim on a key whose call has not finished. */
  const ownClaim = (owner: ReservationOwner, key: string, holder: string) =>
    db
      .updateTable('idempotency_keys')
      .where('client_id', '=', owner.clientId)
      .where('subject', '=', owner.subject ?? '')
      .where('key', '=', key)
      .where('claimed_by', '=', holder)
      .where('outcome', 'is', null);

  return {
    /**
     * Claims an idempotency key for an operation. Returns `{ claimed: true }` for the first
     * caller, else the existing record (which may still be in flight: `outcome` null).
     */
    async claimKey(
      owner: ReservationOwner,
      key: string,
      operation: string,
      fingerprint: string,
      reservationId: string | null,
      lease: KeyLease,
    ): Promise<{ claimed: true } | { claimed: false; record: IdempotencyRecord }> {
      const inserted = await db
        .insertInto('idempotency_keys')
        .values({
          client_id: owner.clientId,
          subject: owner.subject ?? '',
          key,
          operation,
          request_fingerprint: fingerprint,
          reservation_id: reservationId,
          outcome: null,
          created_at: at(),
          claimed_by: lease.holder,
          lease_until: lease.until,
        })
        .onConflict((oc) => oc.columns(['client_id', 'subject', 'key']).doNothing())
        .returning('key')
        .executeTakeFirst();
      if (inserted) return { claimed: true };
      const record = await db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('client_id', '=', owner.clientId)
        .where('subject', '=', owner.subject ?? '')
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      return { claimed: false, record };
    },

    findKey(owner: ReservationOwner, key: string): Promise<IdempotencyRecord | undefined> {
      return db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('client_id', '=', owner.clientId)
        .where('subject', '=', owner.subject ?? '')
        .where('key', '=', key)
        .executeTakeFirst();
    },

    /** Stores the outcome of a key's call, unless another instance has taken the claim over. */
    async completeKey(
      owner: ReservationOwner,
      key: string,
      holder: string,
      outcome: Record<string, unknown>,
    ): Promise<void> {
      await ownClaim(owner, key, holder)
        .set({ outcome: JSON.stringify(outcome), lease_until: null })
        .execute();
    },

    /** Extends a claim while its call runs; false when the claim is no longer `holder`'s. */
    async renewKey(
      owner: ReservationOwner,
      key: string,
      holder: string,
      until: Date,
    ): Promise<boolean> {
      const result = await ownClaim(owner, key, holder)
        .set({ lease_until: until })
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /** Gives up a claim whose call failed, so that a repeat takes over at once. */
    async releaseKey(owner: ReservationOwner, key: string, holder: string): Promise<void> {
      await ownClaim(owner, key, holder).set({ lease_until: at() }).execute();
    },

    /**
     * Takes over a claim whose lease lapsed (its instance died, or gave the call up), if it is still
     * as `seen`: of several instances repeating the call, one wins.
     */
    async takeOverKey(
      owner: ReservationOwner,
      key: string,
      seen: Pick<IdempotencyRecord, 'claimed_by'>,
      lease: KeyLease,
    ): Promise<boolean> {
      const result = await db
        .updateTable('idempotency_keys')
        .set({ claimed_by: lease.holder, lease_until: lease.until })
        .where('client_id', '=', owner.clientId)
        .where('subject', '=', owner.subject ?? '')
        .where('key', '=', key)
        .where('outcome', 'is', null)
        .where((eb) =>
          seen.claimed_by === null
            ? eb('claimed_by', 'is', null)
            : eb('claimed_by', '=', seen.claimed_by),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}
