import { mkdirSync, readFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReservationEntry, ReservationIndex } from './types.js';

const key = (connectionId: string, reservationId: string) => `${connectionId}\n${reservationId}`;

/**
 * A reservation index in an append-only file, `<directory>/<name>.jsonl`: one JSON line per
 * change, each fsync'd before the call resolves, replayed when the index opens. A last line torn
 * by a crash (never acknowledged) is skipped. One writer per file: one process per connection set.
 */
export function createFileReservationIndex(options: {
  /** Where the file lives; created if missing. Must survive restarts (a volume in a container). */
  directory: string;
  /** The file's name without `.jsonl`, e.g. the connection id. */
  name: string;
}): ReservationIndex {
  mkdirSync(options.directory, { recursive: true });
  const path = join(options.directory, `${options.name}.jsonl`);
  const entries = new Map<string, ReservationEntry>();
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const entry = JSON.parse(line) as ReservationEntry;
      entries.set(key(entry.connectionId, entry.reservationId), entry);
    } catch {
      // A torn last line: its write never returned, so nobody relied on it.
    }
  }
  let file: Promise<FileHandle> | undefined;
  // Appends one after the other: a line is never interleaved with another.
  let queue: Promise<unknown> = Promise.resolve();

  function append(entry: ReservationEntry): Promise<void> {
    const write = queue.then(async () => {
      file ??= open(path, 'a');
      const handle = await file;
      // A torn line left by a crash is ended first, so this line parses on its own.
      await handle.appendFile(`\n${JSON.stringify(entry)}\n`);
      await handle.datasync();
      entries.set(key(entry.connectionId, entry.reservationId), entry);
    });
    queue = write.catch(() => {});
    return write;
  }

  return {
    async recordPending(entry) {
      const known = entries.get(key(entry.connectionId, entry.reservationId));
      if (known?.providerReference) return;
      await append({ ...entry });
    },
    async recordBooked(connectionId, reservationId, providerReference) {
      const known = entries.get(key(connectionId, reservationId));
      if (!known) throw new Error(`reservation index: ${reservationId} was never recorded`);
      if (known.providerReference === providerReference) return;
      await append({ ...known, providerReference });
    },
    async get(connectionId, reservationId) {
      return entries.get(key(connectionId, reservationId));
    },
    async close() {
      await queue;
      if (file) await (await file).close();
      file = undefined;
    },
  };
}
