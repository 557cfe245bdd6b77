import { z } from 'zod';
import { etagOf } from './httpCaching.js';
import type { OutputType, SourceFile } from './publicationFile.js';

/** Where a publisher's files come from before its own changes are applied. */
export interface PublicationSource {
  /**
   * Changes whenever `render` would give other files, e.g. the local date for generated slots.
   * `render` runs again only when the key or the base URL changes, not on every booking.
   */
  key(now: Date, baseUrl: string): string;
  /** The files as published at `now`, with URLs under `baseUrl` (ends in `/`). */
  render(now: Date, baseUrl: string): readonly SourceFile[];
  /** `transactionTime` of the first publication. Default: the clock when first published. */
  readonly initialTransactionTime?: string;
}

/** One NDJSON file as served, with its validators. */
export interface PublishedFile {
  readonly name: string;
  readonly type: OutputType;
  readonly extension?: Readonly<Record<string, unknown>>;
  readonly body: string;
  readonly etag: string;
  /** Epoch ms of the last change of `body`; `_since` compares with it. */
  readonly lastModified: number;
}

/** A slot as currently published, for the booking portal. */
export interface PublishedSlot {
  status: string;
  /** The `slot-capacity` extension's value; absent means one patient. */
  capacity: number | undefined;
  readonly file: string;
  readonly start: unknown;
}

/** A consistent view of a publisher's data at one moment. */
export interface Publication {
  /** Epoch ms; strictly increases with every change. */
  readonly transactionTime: number;
  readonly files: readonly PublishedFile[];
  readonly slots: ReadonlyMap<string, PublishedSlot>;
}

/** A booking made through the portal (deep link): no patient data is kept. */
export interface PortalBooking {
  readonly bookingId: string;
  readonly slotId: string;
  readonly source: string | null;
  readonly bookedAt: string;
}

const extensionSchema = z.looseObject({ url: z.string().min(1) });

/** Changes an operator or a test makes to a publication through `POST /_admin/mutate`. */
export const mutationSchema = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('addSlot'),
    /** A Slot resource, published as is (it may be invalid on purpose). */
    slot: z.looseObject({ id: z.string().min(1) }),
    /** Slot file to add it to. Default: the last slot file. */
    file: z.string().min(1).optional(),
  }),
  z.strictObject({ op: z.literal('removeSlot'), slotId: z.string().min(1) }),
  z.strictObject({ op: z.literal('setSlotStatus'), slotId: z.string().min(1), status: z.string() }),
  z.strictObject({
    op: z.literal('addSlotExtension'),
    slotId: z.string().min(1),
    extension: extensionSchema,
  }),
  z.strictObject({
    op: z.literal('appendLine'),
    /** File name; created as a Slot file when the publication has none by that name. */
    file: z.string().min(1),
    /** Raw text of the line: malformed JSON is allowed, that is the point. */
    line: z.string().refine((text) => !/[\r\n]/.test(text), 'one line, no line breaks'),
  }),
  z.strictObject({ op: z.literal('bumpTransactionTime') }),
]);
export type Mutation = z.output<typeof mutationSchema>;

export type BookingOutcome =
  | { ok: true; booking: PortalBooking; remainingCapacity: number }
  | { ok: false; reason: 'slot_not_found' | 'slot_taken' };

export interface Publisher {
  /** Path segment and id, e.g. `sverige`. */
  readonly id: string;
  /** IANA zone of the publisher's clinics, whose wall time its staff open new times in. */
  readonly timeZone: string;
  /** The publication now, rendered again only when its source or the changes made differ. */
  current(): Publication;
  /** Applies changes; every one of them, or none when one refers to something unknown. */
  mutate(mutations: readonly Mutation[]): { ok: true } | { ok: false; message: string };
  /** Books one place in a free slot, as a patient following its deep link would. */
  book(slotId: string, source: string | null): BookingOutcome;
  bookings(): readonly PortalBooking[];
  /** Forgets every change and booking: back to the source's publication. */
  reset(): void;
}

export interface PublisherOptions {
  id: string;
  /** IANA zone of the publisher's clinics (SMART Locations carry none). */
  timeZone: string;
  source: PublicationSource;
  clock: () => Date;
  /** The publisher's base URL, ending in `/` (known once the server listens). */
  baseUrl: () => string;
}

const capacityUrl = 'http://fhir-registry.smarthealthit.org/StructureDefinition/slot-capacity';

type Resource = Record<string, unknown> & { extension?: unknown };

function capacityOf(resource: Resource): number | undefined {
  if (!Array.isArray(resource.extension)) return undefined;
  const found = resource.extension.find(
    (e): e is { valueInteger: number } =>
      typeof e === 'object' &&
      e !== null &&
      e.url === capacityUrl &&
      Number.isInteger(e.valueInteger),
  );
  return found?.valueInteger;
}

interface Changes {
  removed: Set<string>;
  /** Slots added; `file` empty means the last slot file of each rendering. */
  added: { file: string; slot: Record<string, unknown> }[];
  /** Portal bookings per slot id. */
  booked: Map<string, number>;
  status: Map<string, string>;
  extensions: Map<string, Record<string, unknown>[]>;
  appended: Map<string, string[]>;
  bump: boolean;
  version: number;
}

const noChanges = (): Changes => ({
  removed: new Set(),
  added: [],
  booked: new Map(),
  status: new Map(),
  extensions: new Map(),
  appended: new Map(),
  bump: false,
  version: 0,
});

/**
 * A SMART Scheduling Links publisher's state: its source files plus the changes made since
 * (slots added, removed, booked through the portal, extensions and malformed lines injected).
 * Lines nobody changed are served byte for byte as the source has them. Each file keeps the time
 * of its last change, so `transactionTime`, ETags and `_since` answers follow real changes only.
 * All methods are synchronous: two bookings can never interleave between check and write.
 */
export function createPublisher(options: PublisherOptions): Publisher {
  const { source, clock } = options;
  let changes = noChanges();
  let renderedKey: string | undefined;
  let publication: Publication | undefined;
  let portalBookings: PortalBooking[] = [];
  let rendered: { key: string; files: readonly SourceFile[] } | undefined;

  /**
   * The source's files for `key`, rendered once: generating a large publication costs far more
   * than applying the changes, which happen on every booking.
   */
  function sourceFiles(key: string, now: Date, baseUrl: string): readonly SourceFile[] {
    if (rendered?.key !== key) rendered = { key, files: source.render(now, baseUrl) };
    return rendered.files;
  }

  function applyChanges(files: readonly SourceFile[]): {
    files: { file: SourceFile; lines: string[] }[];
    slots: Map<string, PublishedSlot>;
  } {
    const all = [...files];
    const lastSlotFile =
      [...files].reverse().find((f) => f.type === 'Slot')?.name ?? 'slots.ndjson';
    const extraFiles = [
      ...changes.added.map((a) => a.file || lastSlotFile),
      ...changes.appended.keys(),
    ];
    for (const name of extraFiles) {
      if (!all.some((f) => f.name === name)) all.push({ name, type: 'Slot', lines: [] });
    }
    const slots = new Map<string, PublishedSlot>();
    const out = all.map((file) => {
      const lines = [
        ...file.lines,
        ...changes.added
          .filter((a) => (a.file || lastSlotFile) === file.name)
          .map((a) => JSON.stringify(a.slot)),
        ...(changes.appended.get(file.name) ?? []),
      ];
      if (file.type !== 'Slot') return { file, lines };
      const kept: string[] = [];
      for (const line of lines) {
        let resource: Resource | undefined;
        try {
          const parsed: unknown = JSON.parse(line);
          if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
            resource = parsed as Resource;
          }
        } catch {
          // Malformed lines are published as they are: consumers must cope.
        }
        const id = resource?.resourceType === 'Slot' ? resource.id : undefined;
        if (!resource || typeof id !== 'string') {
          kept.push(line);
          continue;
        }
        if (changes.removed.has(id)) continue;
        let changed = false;
        const booked = changes.booked.get(id) ?? 0;
        if (booked > 0) {
          const remaining = Math.max(0, (capacityOf(resource) ?? 1) - booked);
          if (Array.isArray(resource.extension)) {
            resource.extension = resource.extension
              .map((e: { url?: unknown }) =>
                e.url === capacityUrl ? { url: capacityUrl, valueInteger: remaining } : e,
              )
              .filter((e: { url?: unknown }) => remaining > 0 || e.url !== capacityUrl);
          }
          if (remaining === 0) resource.status = 'busy';
          changed = true;
        }
        const status = changes.status.get(id);
        if (status !== undefined) {
          resource.status = status;
          changed = true;
        }
        const extensions = changes.extensions.get(id);
        if (extensions) {
          resource.extension = [
            ...(Array.isArray(resource.extension) ? resource.extension : []),
            ...extensions,
          ];
          changed = true;
        }
        kept.push(changed ? JSON.stringify(resource) : line);
        slots.set(id, {
          status: String(resource.status),
          capacity: capacityOf(resource),
          file: file.name,
          start: resource.start,
        });
      }
      return { file, lines: kept };
    });
    return { files: out, slots };
  }

  function current(): Publication {
    const now = clock();
    const baseUrl = options.baseUrl();
    const sourceKey = `${source.key(now, baseUrl)}|${baseUrl}`;
    const key = `${sourceKey}|${changes.version}`;
    if (publication && key === renderedKey) return publication;

    const applied = applyChanges(sourceFiles(sourceKey, now, baseUrl));
    const previous = publication;
    // Strictly increasing, so `_since=<last transactionTime>` never misses a change made within
    // the same millisecond (or under a clock that stands still in tests).
    const changeTime = previous
      ? Math.max(now.getTime(), previous.transactionTime + 1)
      : Date.parse(source.initialTransactionTime ?? now.toISOString());
    let changed = previous === undefined || changes.bump;
    const files = applied.files.map(({ file, lines }): PublishedFile => {
      const body = lines.length > 0 ? `${lines.join('\n')}\n` : '';
      const etag = etagOf(body);
      const before = previous?.files.find((f) => f.name === file.name);
      const same = before?.etag === etag;
      if (!same) changed = true;
      return {
        name: file.name,
        type: file.type,
        ...(file.extension && { extension: file.extension }),
        body,
        etag,
        lastModified: same && before ? before.lastModified : changeTime,
      };
    });
    if (previous?.files.some((f) => !files.some((g) => g.name === f.name))) {
      changed = true;
    }
    changes.bump = false;
    publication = {
      transactionTime: changed || !previous ? changeTime : previous.transactionTime,
      files,
      slots: applied.slots,
    };
    renderedKey = key;
    return publication;
  }

  function knows(slotId: string): boolean {
    return current().slots.has(slotId);
  }

  return {
    id: options.id,
    timeZone: options.timeZone,
    current,

    mutate(mutations) {
      for (const mutation of mutations) {
        if (
          (mutation.op === 'removeSlot' ||
            mutation.op === 'setSlotStatus' ||
            mutation.op === 'addSlotExtension') &&
          !knows(mutation.slotId)
        ) {
          return { ok: false, message: `unknown slot ${mutation.slotId}` };
        }
      }
      for (const mutation of mutations) {
        switch (mutation.op) {
          case 'addSlot':
            changes.added.push({
              file: mutation.file ?? '',
              slot: { resourceType: 'Slot', ...mutation.slot },
            });
            break;
          case 'removeSlot':
            changes.removed.add(mutation.slotId);
            break;
          case 'setSlotStatus':
            changes.status.set(mutation.slotId, mutation.status);
            break;
          case 'addSlotExtension':
            changes.extensions.set(mutation.slotId, [
              ...(changes.extensions.get(mutation.slotId) ?? []),
              mutation.extension,
            ]);
            break;
          case 'appendLine':
            changes.appended.set(mutation.file, [
              ...(changes.appended.get(mutation.file) ?? []),
              mutation.line,
            ]);
            break;
          case 'bumpTransactionTime':
            changes.bump = true;
            break;
        }
      }
      changes.version += 1;
      return { ok: true };
    },

    book(slotId, bookingSource) {
      const slot = current().slots.get(slotId);
      if (!slot) return { ok: false, reason: 'slot_not_found' };
      const remaining = slot.capacity ?? 1;
      if (slot.status !== 'free' || remaining <= 0) return { ok: false, reason: 'slot_taken' };
      changes.booked.set(slotId, (changes.booked.get(slotId) ?? 0) + 1);
      changes.version += 1;
      const booking: PortalBooking = {
        bookingId: `PB-${String(portalBookings.length + 1).padStart(6, '0')}`,
        slotId,
        source: bookingSource,
        bookedAt: clock().toISOString(),
      };
      portalBookings.push(booking);
      return { ok: true, booking, remainingCapacity: remaining - 1 };
    },

    bookings: () => portalBookings,

    reset() {
      changes = { ...noChanges(), version: changes.version + 1 };
      portalBookings = [];
      // A reset is a change like any other: clients must see a newer transactionTime.
      changes.bump = true;
    },
  };
}
