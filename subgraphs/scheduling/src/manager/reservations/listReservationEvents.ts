import type { FeedPosition } from '../../access/ledger/eventFeed.js';
import type { Cursors } from '../../engines/cursors.js';
import { encodeGlobalId } from '../../engines/globalId.js';
import { resolvePageSize } from '../../engines/paginate.js';
import { eventActor, type ReservationStatus } from '../../engines/reservationRules.js';
import { invalidInput } from '../../errors.js';
import type { Caller, ReservationEventPage, ReservationEventType } from '../models.js';
import { toReservationModel } from './getReservation.js';
import type { ReservationContext } from './reservationContext.js';

function decodePosition(cursors: Cursors, after: string): FeedPosition {
  const [tx, id, ...rest] = cursors.decode(after);
  if (typeof tx !== 'string' || typeof id !== 'string' || rest.length > 0) {
    throw invalidInput('after', 'is not a cursor returned by this API');
  }
  return { tx, id };
}

/**
 * `reservationEvents`: every change of the caller's reservations (whose, as `myReservations`),
 * oldest first, in commit order (`access/ledger/eventFeed.ts`). The end cursor of an empty page is
 * the one asked after, so a consumer polls from where it is without keeping a cursor of its own.
 */
export async function listReservationEvents(
  context: ReservationContext,
  caller: Caller,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<ReservationEventPage> {
  const size = resolvePageSize(first);
  const cursors = context.cursors(['reservationEvents']);
  const position = after ? decodePosition(cursors, after) : null;
  const rows = await context.ledger.eventsAfter(caller, position, size + 1);
  const edges = rows.slice(0, size).map(({ event, reservation }) => {
    const status = event.to_status as Exclude<ReservationStatus, 'PENDING'>;
    const type: ReservationEventType = event.operation === 'CLINIC_MOVE' ? 'MOVED' : status;
    return {
      cursor: cursors.encode([event.tx, event.id]),
      node: {
        publicId: encodeGlobalId('ReservationEvent', reservation.connection_id, event.id),
        type,
        occurredAtMs: event.at.getTime(),
        status,
        previousStatus: event.previous_status,
        source: eventActor(event.operation, event.detail),
        reservation: toReservationModel(reservation),
      },
    };
  });
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      endCursor: edges.at(-1)?.cursor ?? after ?? null,
    },
  };
}
