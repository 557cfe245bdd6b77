import type { ContractChange } from '@booking/provider-kit';
import type { IndexedSlot, PublicationIndex } from './buildPublicationIndex.js';
import { parseInstant, toContractSlot } from './mapping.js';

/** The slots a patient could book in an index, by id. */
function openSlots(index: PublicationIndex): Map<string, IndexedSlot> {
  const open = new Map<string, IndexedSlot>();
  for (const slots of index.openSlotsBySchedule.values()) {
    for (const slot of slots) open.set(slot.id, slot);
  }
  return open;
}

/**
 * What changed at the publisher's clinics between two ingests of its publication: a slot a
 * patient can book now and could not before (new time opened, a cancellation freed it) is
 * `SLOT_OPENED`; one they could book before and cannot now (booked elsewhere, withdrawn, gone
 * from the files) is `SLOT_CLOSED`, with the slot as last published. A publication says only
 * what is, not what happened, so comparing what is bookable is the whole of it; a change of
 * capacity alone is neither.
 *
 * Ids are the kind, the slot id and the publication's `transactionTime`: the same ingest always
 * gives the same ids, and a slot that closes and opens again gives new ones. `occurredAt` is that
 * `transactionTime`, the publisher's time of its last change: the change happened at or before
 * it, after the previous one (`learntAt`, epoch ms, when the publisher's time cannot be read).
 */
export function diffOpenSlots(
  before: PublicationIndex,
  after: PublicationIndex,
  publication: { readonly transactionTime: string; readonly learntAt: number },
): ContractChange[] {
  const { transactionTime } = publication;
  const occurredAt = new Date(parseInstant(transactionTime) ?? publication.learntAt).toISOString();
  const was = openSlots(before);
  const is = openSlots(after);
  const change = (kind: 'SLOT_OPENED' | 'SLOT_CLOSED', slot: IndexedSlot): ContractChange => ({
    id: `${kind}:${slot.id}:${transactionTime}`,
    kind,
    source: 'POLL',
    occurredAt,
    booking: null,
    slot: toContractSlot(slot),
  });
  const changes: ContractChange[] = [];
  for (const [id, slot] of is) if (!was.has(id)) changes.push(change('SLOT_OPENED', slot));
  for (const [id, slot] of was) {
    if (!is.has(id)) changes.push(change('SLOT_CLOSED', after.slotsById.get(id) ?? slot));
  }
  return changes.sort(
    (a, b) => Date.parse(a.slot!.start) - Date.parse(b.slot!.start) || (a.id < b.id ? -1 : 1),
  );
}
