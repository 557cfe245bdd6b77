import type { ReservationRecord } from '../../access/ledger/createLedger.js';
import type { ReservationContext } from './reservationContext.js';

/** Ends a lapsed hold in the ledger, then releases it at the provider (best effort). */
export async function expireHold(
  context: ReservationContext,
  row: ReservationRecord,
): Promise<void> {
  const expired = await context.ledger.transition(row.id, {
    from: ['HELD'],
    version: row.version,
    to: 'EXPIRED',
    operation: 'EXPIRE',
  });
  const entry = context.directory.get(row.connection_id);
  if (!expired || row.hold_kind !== 'PROVIDER' || !entry || !row.provider_reference) return;
  // The provider's own hold lapses at the same time; releasing it early is a courtesy.
  const released = await context.providers.cancel(entry, {
    reservationId: row.id,
    providerReference: row.provider_reference,
    reason: 'hold expired',
  });
  if (released.kind === 'answered') await context.slotReleased?.(expired);
}
