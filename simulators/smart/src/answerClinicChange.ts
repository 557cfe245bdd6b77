import type http from 'node:http';
import { clinicChangeRequest } from '@booking/simulator-kit';
import { z } from 'zod';
import type { Publisher } from './createPublisher.js';
import { type Answer, error, problemsOf, readJson } from './httpAnswer.js';
import { openSlotAtClinic } from './openSlotAtClinic.js';
import type { PublisherId } from './publisherIds.js';
import type { SmartLogger } from './server.js';

// `clinic` is the Location id (the contract's clinic id); a booking id is never one of ours.
const changeSchema = clinicChangeRequest({ booking: z.string().min(1) });

/**
 * `POST /_admin/clinic-changes` for a publisher (`connection`): the clinic opens a new time, which
 * the publisher publishes as one more free Slot, through the same change machinery as
 * `/_admin/mutate` (`addSlot`): the slot's file gets a new ETag and `Last-Modified`, the manifest
 * a newer `transactionTime`, and `_since=<the previous transactionTime>` lists that file. A
 * publication has no bookings, so CANCEL, MOVE and NO_SHOW are answered 501; a cancellation at a
 * publisher's clinic shows as a slot turning free, which `OPEN_SLOT` (or `mutate`'s
 * `setSlotStatus`) makes.
 */
export async function answerClinicChange(
  publishers: ReadonlyMap<PublisherId, Publisher>,
  logger: SmartLogger,
  req: http.IncomingMessage,
  clock: () => Date,
): Promise<Answer> {
  const body = await readJson(req);
  if (!('ok' in body)) return body;
  const parsed = changeSchema.safeParse(body.value);
  if (!parsed.success) return error(400, 'invalid_request', problemsOf(parsed.error.issues));
  const change = parsed.data;
  const publisher = publishers.get(change.connection as PublisherId);
  if (!publisher) return error(404, 'not_found', `Unknown publisher ${change.connection}.`);
  if (change.kind !== 'OPEN_SLOT') {
    return error(
      501,
      'not_implemented',
      `A SMART Scheduling Links publication has no bookings: nothing to ${change.kind.toLowerCase().replace('_', '-')}.`,
    );
  }
  const opening = openSlotAtClinic(publisher.current(), {
    clinic: change.clinic,
    fromMs: (change.start ?? clock()).getTime(),
    timeZone: publisher.timeZone,
  });
  if (!opening.ok) {
    return error(
      opening.status,
      opening.status === 404 ? 'not_found' : 'conflict',
      opening.message,
    );
  }
  // Synchronous from the look for room to the write: no booking or mutation can come between.
  const outcome = publisher.mutate([
    {
      op: 'addSlot',
      slot: opening.slot,
      ...(opening.file && { file: opening.file }),
    },
  ]);
  if (!outcome.ok) return error(409, 'conflict', outcome.message);
  const publication = publisher.current();
  logger.info('slot opened at the clinic', {
    publisher: publisher.id,
    slotId: opening.slot.id,
    file: opening.file,
  });
  return {
    status: 200,
    body: {
      slot: opening.slot,
      file: opening.file ?? null,
      transactionTime: new Date(publication.transactionTime).toISOString(),
    },
  };
}
