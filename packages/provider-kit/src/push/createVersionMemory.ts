/** What a connection last reported of each booking, to order pushes: vendors promise no order. */
export interface VersionMemory<T extends { readonly version: number }> {
  /** What was last remembered of the booking. */
  get(bookingId: string): T | undefined;
  /** Whether `version` is newer than what is remembered of the booking (true when nothing is). */
  isNewer(bookingId: string, version: number): boolean;
  /** Remembers the booking's state, unless a push that overtook it left a newer one. */
  remember(bookingId: string, state: T): void;
}

/**
 * The last version seen of each booking, in this process's memory and bounded: the bookings
 * remembered longest ago are forgotten first. A forgotten (or, after a restart, never seen)
 * booking takes any version as newer; the change log's ids still keep a redelivered event out.
 */
export function createVersionMemory<T extends { readonly version: number }>(
  options: {
    /** Most bookings remembered. Default: 10000. */
    capacity?: number;
  } = {},
): VersionMemory<T> {
  const capacity = options.capacity ?? 10_000;
  const states = new Map<string, T>();
  const isNewer = (bookingId: string, version: number) =>
    (states.get(bookingId)?.version ?? Number.NEGATIVE_INFINITY) < version;
  return {
    get: (bookingId) => states.get(bookingId),
    isNewer,
    remember(bookingId, state) {
      if (!isNewer(bookingId, state.version)) return;
      states.delete(bookingId);
      states.set(bookingId, state);
      if (states.size > capacity) states.delete(states.keys().next().value as string);
    },
  };
}
