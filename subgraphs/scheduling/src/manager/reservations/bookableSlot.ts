import type { DirectoryEntry } from '../../access/createProviderDirectory.js';
import type { SlotSnapshot } from '../../access/ledger/ledgerTables.js';
import type { CachedSlot as ContractSlot } from '../../access/slotCache/slotCacheStore.js';
import { takesApiBookings } from '../../engines/reservationRules.js';
import { decodeId } from './checkInput.js';
import {
  isOutcome,
  type Outcome,
  providerUnavailable,
  type ReservationContext,
  slotTaken,
} from './reservationContext.js';

/** A free slot of a connection that takes bookings, with what the ledger keeps of it. */
export interface BookableSlot {
  entry: DirectoryEntry;
  localId: string;
  snapshot: SlotSnapshot;
}

/**
 * Checks that a slot can be booked through the API and snapshots it for the ledger: from the slot
 * cache when a provider listed it free moments ago, else from a look-up at the provider.
 */
export async function bookableSlot(
  context: ReservationContext,
  slotId: string,
  field: string,
  requestedTreatmentId: string | null,
): Promise<BookableSlot | Outcome> {
  const decoded = decodeId('Slot', slotId, field);
  if (isOutcome(decoded)) return decoded;
  const entry = context.directory.get(decoded.connectionId);
  const gone: Outcome = {
    __typename: 'SlotUnavailable',
    message: 'the slot no longer exists',
    slotId,
  };
  if (!entry) return gone;
  const { connection } = entry;
  const listed = context.freshSlot?.(connection.id, decoded.localId);
  let state: { status: string; slot: ContractSlot };
  if (listed) {
    // Listed free moments ago: the booking call itself is the check (it fails when taken since).
    state = { status: 'FREE', slot: listed };
  } else {
    const lookup = await context.providers.getSlot(entry, decoded.localId);
    if (lookup.kind !== 'answered') {
      return providerUnavailable(
        connection.id,
        'the provider did not answer; nothing was reserved',
      );
    }
    if (!lookup.data) return gone;
    state = lookup.data;
  }
  if (!takesApiBookings(connection.capabilities)) {
    return state.slot.bookingUrl
      ? {
          __typename: 'BookingByLink',
          message: `${connection.name} takes bookings on its own site`,
          bookingUrl: state.slot.bookingUrl,
          slotId,
        }
      : providerUnavailable(
          connection.id,
          `${connection.name} does not take bookings through the platform`,
        );
  }
  if (state.status !== 'FREE') return slotTaken(slotId);
  const { slot } = state;
  return {
    entry,
    localId: decoded.localId,
    snapshot: {
      clinicId: slot.clinicId,
      start: slot.start,
      end: slot.end,
      treatmentIds: slot.treatmentIds,
      requestedTreatmentId,
      practitioner: slot.practitioner,
    },
  };
}
