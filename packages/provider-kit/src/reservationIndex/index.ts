import { createFileReservationIndex } from './createFileReservationIndex.js';
import { createPostgresReservationIndex } from './createPostgresReservationIndex.js';
import type { ReservationIndex } from './types.js';

export { createFileReservationIndex } from './createFileReservationIndex.js';
export {
  createIndexedBookings,
  type IndexedBooking,
  type IndexedWrite,
} from './createIndexedBookings.js';
export { createPostgresReservationIndex } from './createPostgresReservationIndex.js';
export type { ReservationEntry, ReservationIndex } from './types.js';

/**
 * The durable reservation index of one connection: in PostgreSQL when `databaseUrl` is set
 * (shared by replicas), else in an append-only file `<directory>/<connectionId>.jsonl`.
 */
export function openReservationIndex(options: {
  connectionId: string;
  /** A PostgreSQL URL. Default: none, the file is used. */
  databaseUrl?: string | undefined;
  /** The file's directory, used without `databaseUrl`. */
  directory: string;
}): ReservationIndex {
  return options.databaseUrl
    ? createPostgresReservationIndex({ databaseUrl: options.databaseUrl })
    : createFileReservationIndex({ directory: options.directory, name: options.connectionId });
}
