import type { Cursors } from '../../engines/cursors.js';
import { type Page, resolvePageSize } from '../../engines/paginate.js';
import { invalidInput } from '../../errors.js';
import type { Caller, ReservationModel } from '../models.js';
import { toReservationModel } from './getReservation.js';
import type { ReservationContext } from './reservationContext.js';

/** A reservation's keyset position: newest first, then by ledger id, both descending. */
const keyOf = (row: { created_at: Date; id: string }) => [row.created_at.getTime(), row.id];

function decodePosition(cursors: Cursors, after: string): { createdAt: Date; id: string } {
  const [createdAtMs, id, ...rest] = cursors.decode(after);
  if (typeof createdAtMs !== 'number' || typeof id !== 'string' || rest.length > 0) {
    throw invalidInput('after', 'is not a cursor returned by this API');
  }
  return { createdAt: new Date(createdAtMs), id };
}

/**
 * `myReservations`: the caller's own reservations, newest first. An end user gets the ones made
 * for them; a backend client every one of its application (`engines/ownership.ts`). `admin` does
 * not widen it: these are the caller's own, not everyone's.
 */
export async function listOwnReservations(
  context: ReservationContext,
  caller: Caller,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<Page<ReservationModel>> {
  const size = resolvePageSize(first);
  const cursors = context.cursors(['myReservations']);
  const position = after ? decodePosition(cursors, after) : null;
  const [rows, totalCount] = await Promise.all([
    context.ledger.listOwned(caller, size + 1, position),
    context.ledger.countOwned(caller),
  ]);
  const edges = rows
    .slice(0, size)
    .map((row) => ({ cursor: cursors.encode(keyOf(row)), node: toReservationModel(row) }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}
