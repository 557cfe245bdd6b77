import { findTreatment } from '@booking/catalogue';
import type { Logger } from '@booking/server-kit';
import type { ProviderDirectory } from '../access/createProviderDirectory.js';
import type { FeedPosition } from '../access/ledger/eventFeed.js';
import type { SlotSnapshot } from '../access/ledger/ledgerTables.js';
import {
  type AvailabilityEventRecord,
  clinicKey,
  type WatchRecord,
  type WatchStore,
} from '../access/watches/createWatchStore.js';
import type { Cursors } from '../engines/cursors.js';
import { parseInstant } from '../engines/dateTime.js';
import { distanceKm, type GeoPoint } from '../engines/distanceKm.js';
import { decodeGlobalId, encodeGlobalId, watchSpace } from '../engines/globalId.js';
import { slotIdentity } from '../engines/mergeSlots.js';
import { resolvePageSize } from '../engines/paginate.js';
import { validateNear } from '../engines/validateAvailabilityFilter.js';
import { invalidInput } from '../errors.js';
import type { Caller, SlotModel } from './models.js';

/** How far ahead a watch may look: a patient waits for an earlier slot, not next year's. */
const maxHorizonDays = 180;
const dayMs = 24 * 3600_000;

/** What `watchAvailability` takes. */
export interface WatchInput {
  treatmentId?: string | null;
  clinicIds?: readonly string[] | null;
  providerIds?: readonly string[] | null;
  near?: GeoPoint | null;
  radiusKm?: number | null;
  from?: string | null;
  before: string;
  expiresAt?: string | null;
}

/** A watch as the API shows it. */
export interface WatchModel {
  publicId: string;
  treatmentId: string | null;
  clinicIds: string[] | null;
  providerIds: string[] | null;
  near: GeoPoint | null;
  radiusKm: number | null;
  fromMs: number;
  beforeMs: number;
  expiresAtMs: number;
  status: 'ACTIVE' | 'CANCELLED' | 'EXPIRED';
  createdAtMs: number;
}

/** One slot a watch saw open, as the feed shows it. */
export interface AvailabilityEventModel {
  publicId: string;
  occurredAtMs: number;
  watch: WatchModel;
  slot: SlotModel;
}

export interface AvailabilityWatchesOptions {
  store: WatchStore;
  directory: Pick<ProviderDirectory, 'get'>;
  cursors: (scope: readonly string[]) => Cursors;
  logger: Logger;
  now: () => number;
  /** A slot opened for some watch: its webhooks are due. */
  opened: () => void;
}

const toWatchModel = (row: WatchRecord, nowMs: number): WatchModel => ({
  publicId: encodeGlobalId('AvailabilityWatch', watchSpace, row.id),
  treatmentId: row.treatment_id,
  clinicIds:
    row.clinic_keys?.map((key) => {
      const [connectionId = '', clinicId = ''] = key.split('|');
      return encodeGlobalId('Clinic', connectionId, clinicId);
    }) ?? null,
  providerIds: row.connection_ids?.map((id) => encodeGlobalId('Provider', id)) ?? null,
  near:
    row.near_latitude !== null && row.near_longitude !== null
      ? { latitude: row.near_latitude, longitude: row.near_longitude }
      : null,
  radiusKm: row.radius_km,
  fromMs: row.from_at.getTime(),
  beforeMs: row.before_at.getTime(),
  expiresAtMs: row.expires_at.getTime(),
  status: row.cancelled_at ? 'CANCELLED' : row.expires_at.getTime() <= nowMs ? 'EXPIRED' : 'ACTIVE',
  createdAtMs: row.created_at.getTime(),
});

const toSlotModel = (event: AvailabilityEventRecord): SlotModel => ({
  key: slotIdentity(event.connection_id, event.slot_id),
  connectionId: event.connection_id,
  localId: event.slot_id,
  clinicId: event.slot.clinicId,
  startMs: Date.parse(event.slot.start),
  endMs: Date.parse(event.slot.end),
  treatmentIds: event.slot.treatmentIds,
  requestedTreatmentId: event.slot.requestedTreatmentId,
  practitioner: event.slot.practitioner,
  bookingUrl: null,
  // It opened; whether it is still free, a search or a booking says.
  available: true,
});

/**
 * Slot watches: a patient's standing request to be told when a slot they wait for opens (a
 * treatment, clinics, providers or an area, before a date), until it expires. When the platform
 * learns that a slot opened — a clinic reports one, a reservation is cancelled or its hold lapses
 * — each open watch it answers gets one `availability.slot_opened` event (once per slot), in its
 * owner's feed (`availabilityEvents`) and to the owner's webhooks.
 */
export function createAvailabilityWatches(options: AvailabilityWatchesOptions) {
  const { store, directory, logger, now } = options;

  function ids(
    values: readonly string[] | null | undefined,
    field: string,
    type: 'Clinic' | 'Provider',
  ) {
    if (values === null || values === undefined) return null;
    if (values.length === 0 || values.length > 50) {
      throw invalidInput(field, 'must have 1 to 50 ids when given');
    }
    return values.map((id, i) => decodeGlobalId(type, id, `${field}.${i}`));
  }

  function instant(value: string, field: string): number {
    const ms = parseInstant(value);
    if (ms === null) throw invalidInput(field, 'must be an RFC 3339 date-time with offset');
    return ms;
  }

  /** Whether an area watch covers the clinic (a clinic without a position is never near). */
  function inArea(watch: WatchRecord, connectionId: string, clinicId: string): boolean {
    if (watch.near_latitude === null || watch.near_longitude === null || watch.radius_km === null) {
      return true;
    }
    const location = directory.get(connectionId)?.clinics.get(clinicId)?.location;
    if (!location) return false;
    const centre = { latitude: watch.near_latitude, longitude: watch.near_longitude };
    return distanceKm(centre, location) <= watch.radius_km;
  }

  return {
    /** `watchAvailability`: a new watch for the caller. */
    async watch(caller: Caller, input: WatchInput): Promise<WatchModel> {
      const nowMs = now();
      const fromMs = input.from ? instant(input.from, 'input.from') : nowMs;
      const beforeMs = instant(input.before, 'input.before');
      if (beforeMs <= Math.max(fromMs, nowMs)) {
        throw invalidInput('input.before', 'must be after input.from and after now');
      }
      if (beforeMs - nowMs > maxHorizonDays * dayMs) {
        throw invalidInput('input.before', `must be at most ${maxHorizonDays} days ahead`);
      }
      const expiresAtMs = input.expiresAt ? instant(input.expiresAt, 'input.expiresAt') : beforeMs;
      if (expiresAtMs <= nowMs || expiresAtMs > beforeMs) {
        throw invalidInput('input.expiresAt', 'must be after now and at most input.before');
      }
      if (input.treatmentId && !findTreatment(input.treatmentId)) {
        throw invalidInput('input.treatmentId', 'is not a treatment of the catalogue');
      }
      const clinics = ids(input.clinicIds, 'input.clinicIds', 'Clinic');
      const providers = ids(input.providerIds, 'input.providerIds', 'Provider');
      const near = validateNear(input.near, input.radiusKm, 'input');
      const row = await store.create({
        owner: { clientId: caller.clientId, subject: caller.subject },
        treatmentId: input.treatmentId ?? null,
        connectionIds: providers?.map((p) => p.connectionId) ?? null,
        clinicKeys: clinics?.map((c) => clinicKey(c.connectionId, c.localId)) ?? null,
        near: near ? { ...near.point, radiusKm: near.radiusKm } : null,
        from: new Date(fromMs),
        before: new Date(beforeMs),
        expiresAt: new Date(expiresAtMs),
      });
      return toWatchModel(row, nowMs);
    },

    /** `cancelAvailabilityWatch`: ends one of the caller's watches. */
    async cancel(caller: Caller, id: string): Promise<WatchModel> {
      const { localId } = decodeGlobalId('AvailabilityWatch', id, 'id');
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
      const row = uuid.test(localId) ? await store.cancel(caller, localId) : undefined;
      if (!row) throw invalidInput('id', 'is not a watch of yours');
      return toWatchModel(row, now());
    },

    /** `availabilityWatches`: the caller's watches, newest first. */
    async list(caller: Caller): Promise<WatchModel[]> {
      const nowMs = now();
      return (await store.listOwned(caller)).map((row) => toWatchModel(row, nowMs));
    },

    /** `availabilityEvents`: the slots the caller's watches saw open, in commit order. */
    async events(
      caller: Caller,
      first: number | null | undefined,
      after: string | null | undefined,
    ) {
      const size = resolvePageSize(first);
      const cursors = options.cursors(['availabilityEvents']);
      let position: FeedPosition | null = null;
      if (after) {
        const [tx, id, ...rest] = cursors.decode(after);
        if (typeof tx !== 'string' || typeof id !== 'string' || rest.length > 0) {
          throw invalidInput('after', 'is not a cursor returned by this API');
        }
        position = { tx, id };
      }
      const rows = await store.eventsAfter(caller, position, size + 1);
      const nowMs = now();
      const edges = rows.slice(0, size).map(({ event, watch }) => ({
        cursor: cursors.encode([event.tx, event.id]),
        node: {
          publicId: encodeGlobalId('AvailabilityEvent', event.connection_id, event.id),
          occurredAtMs: event.at.getTime(),
          watch: toWatchModel(watch, nowMs),
          slot: toSlotModel(event),
        } satisfies AvailabilityEventModel,
      }));
      return {
        edges,
        pageInfo: {
          hasNextPage: rows.length > size,
          endCursor: edges.at(-1)?.cursor ?? after ?? null,
        },
      };
    },

    /**
     * A slot of `connectionId` opened (a clinic reported it, or a reservation of it ended): one
     * event for each open watch it answers, once per slot. Answers how many watches it fired.
     */
    async slotOpened(connectionId: string, slotId: string, slot: SlotSnapshot): Promise<number> {
      if (Date.parse(slot.start) <= now()) return 0;
      const candidates = await store.matching(connectionId, slot);
      let fired = 0;
      for (const watch of candidates) {
        if (!inArea(watch, connectionId, slot.clinicId)) continue;
        if (await store.recordOpened(watch, connectionId, slotId, slot)) fired += 1;
      }
      if (fired > 0) {
        logger.info({ connection: connectionId, watches: fired }, 'a watched slot opened');
        options.opened();
      }
      return fired;
    },
  };
}

export type AvailabilityWatches = ReturnType<typeof createAvailabilityWatches>;
