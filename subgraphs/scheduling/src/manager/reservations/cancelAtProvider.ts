import type { DirectoryEntry } from '../../access/createProviderDirectory.js';
import type { ReservationRecord } from '../../access/ledger/createLedger.js';
import {
  type Outcome,
  providerUnavailable,
  type ReservationContext,
  reread,
  slotPublicId,
} from './reservationContext.js';
import { settle } from './settle.js';

/**
 * Cancels a HELD or CONFIRMED reservation at its provider: PENDING first, so that a crash in
 * between leaves it for the reconciler. Also how a reschedule cancels the booking it replaced.
 */
export async function cancelAtProvider(
  context: ReservationContext,
  row: ReservationRecord,
  reason: string | null,
): Promise<Outcome> {
  const { ledger } = context;
  const entry = context.directory.get(row.connection_id);
  const pending = await ledger.transition(row.id, {
    from: [row.status],
    version: row.version,
    to: 'PENDING',
    pendingOperation: 'CANCEL',
    resumeStatus: row.status,
    operation: 'CANCEL',
  });
  if (!pending) return reread(context, row.id);
  if (!entry) {
    await ledger.transition(row.id, {
      from: ['PENDING'],
      version: pending.version,
      to: row.status,
      operation: 'CANCEL_REFUSED',
    });
    return providerUnavailable(row.connection_id, 'the provider is not connected');
  }
  return sendCancel(context, entry, pending, reason);
}

/**
 * Sends a PENDING cancellation to its provider (idempotent there by reservation id) and settles
 * the answer; a failed one goes back to the status it was cancelled from.
 */
export async function sendCancel(
  context: ReservationContext,
  entry: DirectoryEntry,
  pending: ReservationRecord,
  reason: string | null,
): Promise<Outcome> {
  const reply = await context.providers.cancel(entry, {
    reservationId: pending.id,
    providerReference: pending.provider_reference ?? '',
    reason,
  });
  // A provider that no longer knows the booking has nothing left to cancel.
  const gone = reply.kind === 'answered' && reply.data.error?.code === 'NOT_FOUND';
  const settled = gone
    ? {
        kind: 'answered' as const,
        data: {
          booking: {
            reservationId: pending.id,
            slotId: pending.slot_id,
            status: 'CANCELLED' as const,
            providerReference: pending.provider_reference ?? '',
            expiresAt: null,
            start: null,
            end: null,
          },
          error: null,
        },
      }
    : reply;
  return settle(context, pending, settled, {
    status: (pending.resume_status ?? 'CONFIRMED') as 'HELD' | 'CONFIRMED',
    slotId: slotPublicId(pending),
  });
}
