import type { Ledger, ReservationRecord } from '../src/access/ledger/createLedger.js';
import type { SlotSnapshot } from '../src/access/ledger/ledgerTables.js';

/**
 * A reservation as bookings through the platform leave it: written PENDING, then confirmed by the
 * provider's answer (its reference `BK-<n>`), then, with `cancel`, cancelled by its client.
 */
export async function bookedReservation(
  ledger: Ledger,
  reservation: { clientId: string; connectionId: string; slotId: string; snapshot: SlotSnapshot },
  options: { cancel?: boolean } = {},
): Promise<ReservationRecord> {
  const pending = await ledger.insert({
    ...reservation,
    status: 'PENDING',
    pendingOperation: 'BOOK',
    holdKind: null,
    expiresAt: null,
    patientSealed: null,
    rescheduledFrom: null,
  });
  if (!pending) throw new Error(`slot ${reservation.slotId} is taken`);
  const confirmed = await ledger.transition(pending.id, {
    from: ['PENDING'],
    to: 'CONFIRMED',
    operation: 'RESERVE',
    providerReference: `BK-${reservation.slotId}`,
  });
  if (!options.cancel) return confirmed!;
  const cancelled = await ledger.transition(pending.id, {
    from: ['CONFIRMED'],
    to: 'CANCELLED',
    operation: 'CANCEL',
  });
  return cancelled!;
}
