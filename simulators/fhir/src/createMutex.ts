export interface Mutex {
  /** Runs `work` once every earlier `run` has settled; resolves or rejects as `work` does. */
  run<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * One-at-a-time execution. The simulator applies every request to the repository under it, the
 * way Medplum's server runs a transaction or conditional create as a serializable database
 * transaction: two bookings of one slot can never interleave between read and write.
 */
export function createMutex(): Mutex {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run(work) {
      const result = tail.then(work, work);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
