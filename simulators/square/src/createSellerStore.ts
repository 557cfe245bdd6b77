import { createRandom, hashString } from '@booking/simulator-kit';
import type { Answer } from './errors.js';
import {
  catalogVersion,
  type LocationSeed,
  type SellerSeed,
  type ServiceSeed,
  sellerZone,
  type TeamMemberSeed,
  type VariationSeed,
} from './seed.js';
import { formatTime, minuteMs } from './time.js';
import type { BookingEventType, SellerWebhooks } from './webhooks/createSellerWebhooks.js';
import { localDate, localDays, type Span, windowsOnDay } from './workingWindows.js';

export type BookingStatus =
  | 'PENDING'
  | 'ACCEPTED'
  | 'CANCELLED_BY_CUSTOMER'
  | 'CANCELLED_BY_SELLER'
  | 'DECLINED'
  | 'NO_SHOW';

/** Square's `AppointmentSegment`, as the simulator writes it. */
export interface AppointmentSegment {
  duration_minutes: number;
  service_variation_id: string;
  team_member_id: string;
  service_variation_version: number;
  intermission_minutes: number;
  any_team_member: boolean;
}

/** Square's `Booking`, as the simulator writes it. */
export interface Booking {
  id: string;
  version: number;
  status: BookingStatus;
  created_at: string;
  updated_at: string;
  start_at: string;
  location_id: string;
  customer_id?: string;
  customer_note?: string;
  seller_note?: string;
  appointment_segments: AppointmentSegment[];
  transition_time_minutes: number;
  all_day: boolean;
  location_type: 'BUSINESS_LOCATION';
  source: 'API' | 'FIRST_PARTY_BUYER';
}

/** Who made a booking: seeded other customers, this API, or another client (`bookElsewhere`). */
export type BookingOrigin = 'seed' | 'api' | 'elsewhere';

export interface BookingRecord {
  booking: Booking;
  startMs: number;
  origin: BookingOrigin;
}

export interface Variation {
  service: ServiceSeed;
  variation: VariationSeed;
}

export interface SellerStoreOptions {
  clock: () => Date;
  seed: number;
  /** Share of grid positions other customers have booked, 0..1. */
  bookedShare: number;
  nextId: (prefix: string) => string;
  /** The seller's webhook subscriptions, told of every booking written with an event. */
  webhooks: SellerWebhooks;
}

const seededCreatedAt = Date.parse('2025-12-01T09:00:00Z');
const blocking: ReadonlySet<BookingStatus> = new Set(['PENDING', 'ACCEPTED']);

/** Where each segment of a booking puts its team member, back to back with intermissions. */
export function segmentSpans(startMs: number, segments: readonly AppointmentSegment[]) {
  let at = startMs;
  return segments.map((segment) => {
    const span = {
      teamMemberId: segment.team_member_id,
      start: at,
      end: at + segment.duration_minutes * minuteMs,
    };
    at = span.end + segment.intermission_minutes * minuteMs;
    return span;
  });
}

/** Stable JSON (keys sorted), so that an idempotent repeat compares equal whatever its key order. */
export function fingerprint(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(fingerprint).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${fingerprint(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * One seller's state: its catalogue (fixed), its customers and bookings, and the answers kept
 * for idempotency keys. Every method is synchronous, so a check followed by a write can never
 * interleave with another request: that is what makes a slot's check-and-set atomic.
 */
export function createSellerStore(seller: SellerSeed, options: SellerStoreOptions) {
  const locations = new Map<string, LocationSeed>(seller.locations.map((l) => [l.id, l]));
  const teamMembers = new Map<string, TeamMemberSeed>(seller.teamMembers.map((t) => [t.id, t]));
  const variations = new Map<string, Variation>(
    seller.services.flatMap((service) =>
      service.variations.map((variation) => [variation.id, { service, variation }]),
    ),
  );
  const bookings = new Map<string, BookingRecord>();
  const byTeamMember = new Map<string, Set<string>>();
  const seededDays = new Set<string>();
  const customers = new Map<string, Record<string, unknown>>();
  const idempotency = new Map<string, { fingerprint: string; answer: Answer }>();

  /**
   * Adds or replaces a booking; the team-member index keeps ids, so a replaced record is seen.
   * With `event`, the change is published to the seller's webhook subscriptions (every write of
   * a booking but the seed's, which predates any subscription).
   */
  function put(record: BookingRecord, event?: BookingEventType): void {
    bookings.set(record.booking.id, record);
    for (const segment of record.booking.appointment_segments) {
      const ids = byTeamMember.get(segment.team_member_id) ?? new Set<string>();
      ids.add(record.booking.id);
      byTeamMember.set(segment.team_member_id, ids);
    }
    if (event) options.webhooks.publish(event, record.booking);
  }

  /** Variations a team member performs that customers can book. */
  const bookableVariations = (memberId: string) =>
    [...variations.values()].filter(
      ({ variation }) =>
        variation.availableForBooking !== false && variation.teamMemberIds.includes(memberId),
    );

  /** Other customers' bookings of one team member's local day, drawn from the seed on first look. */
  function seedDay(member: TeamMemberSeed, day: ReturnType<typeof localDays>[number]): void {
    const date = day.toFormat('yyyy-MM-dd');
    const key = `${member.id}|${date}`;
    if (seededDays.has(key) || !member.isBookable) return;
    seededDays.add(key);
    const choices = bookableVariations(member.id);
    if (choices.length === 0 || options.bookedShare <= 0) return;
    const random = createRandom(options.seed ^ hashString(key));
    const step = seller.slotIntervalMinutes * minuteMs;
    for (const window of windowsOnDay(member.hours, day)) {
      let at = window.start;
      while (at + step <= window.end) {
        const draw = random();
        const pick = choices[Math.floor(random() * choices.length)];
        const end = at + (pick?.variation.durationMinutes ?? 0) * minuteMs;
        if (draw >= options.bookedShare || !pick || end > window.end) {
          at += step;
          continue;
        }
        const id = `sd${member.id.slice(2).toLowerCase()}${(at / minuteMs).toString(36)}`;
        const created = formatTime(Math.min(seededCreatedAt, at - 86_400_000));
        put({
          origin: 'seed',
          startMs: at,
          booking: {
            id,
            version: 0,
            status: 'ACCEPTED',
            created_at: created,
            updated_at: created,
            start_at: formatTime(at),
            location_id: member.locationId,
            customer_id: `SEEDCUSTOMER${hashString(id).toString(36).toUpperCase()}`,
            appointment_segments: [
              {
                duration_minutes: pick.variation.durationMinutes,
                service_variation_id: pick.variation.id,
                team_member_id: member.id,
                service_variation_version: catalogVersion,
                intermission_minutes: 0,
                any_team_member: false,
              },
            ],
            transition_time_minutes: 0,
            all_day: false,
            location_type: 'BUSINESS_LOCATION',
            source: 'FIRST_PARTY_BUYER',
          },
        });
        // Next booking starts on the grid after this one ends.
        at += Math.ceil((end - at) / step) * step;
      }
    }
  }

  return {
    seller,
    zone: sellerZone,
    locations,
    teamMembers,
    variations,
    customers,
    clock: options.clock,
    nextId: options.nextId,
    webhooks: options.webhooks,
    bookableVariations,

    /** Makes sure the seeded bookings of these team members' days touching `span` exist. */
    prepare(memberIds: Iterable<string>, span: Span): void {
      const days = localDays({ start: span.start - 86_400_000, end: span.end }, sellerZone);
      for (const id of memberIds) {
        const member = teamMembers.get(id);
        if (member) for (const day of days) seedDay(member, day);
      }
    },

    /** The spans in which a team member is already booked, overlapping `span` (call `prepare` first). */
    busySpans(memberId: string, span: Span, exceptBookingId?: string): Span[] {
      const busy: Span[] = [];
      for (const id of byTeamMember.get(memberId) ?? []) {
        const record = bookings.get(id);
        if (!record || id === exceptBookingId || !blocking.has(record.booking.status)) continue;
        for (const s of segmentSpans(record.startMs, record.booking.appointment_segments)) {
          if (s.teamMemberId === memberId && s.end > span.start && s.start < span.end) busy.push(s);
        }
      }
      return busy;
    },

    /** Whether the team member works for the whole span (it must lie inside one working window). */
    worksDuring(memberId: string, span: Span): boolean {
      const member = teamMembers.get(memberId);
      if (!member) return false;
      return localDays(span, sellerZone)
        .flatMap((day) => windowsOnDay(member.hours, day))
        .some((window) => window.start <= span.start && span.end <= window.end);
    },

    get(id: string): BookingRecord | undefined {
      return bookings.get(id);
    },
    put,
    all(): IterableIterator<BookingRecord> {
      return bookings.values();
    },

    /** The answer kept for an idempotency key of one operation, if any. */
    recall(operation: string, key: string) {
      return idempotency.get(`${operation}|${key}`);
    },
    remember(operation: string, key: string, body: unknown, answer: Answer): void {
      idempotency.set(`${operation}|${key}`, { fingerprint: fingerprint(body), answer });
    },
    localDate: (ms: number) => localDate(ms, sellerZone),
  };
}

export type SellerStore = ReturnType<typeof createSellerStore>;
