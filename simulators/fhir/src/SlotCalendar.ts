import { DateTime } from 'luxon';
import type { DayNeed } from './dayNeedsOf.js';
import type { SimulatorRepository } from './SimulatorRepository.js';
import type { LocationSeed, OrganizationSeed } from './seed.js';
import { locationDaySlots, slotIdDay } from './slotResources.js';

/** One local day of one location's book. */
interface BookDay {
  /** `<location id>/<yyyy-MM-dd>`, the record of what is loaded. */
  key: string;
  organization: OrganizationSeed;
  location: LocationSeed;
  /** Local midnight starting the day, in the organisation's zone. */
  day: DateTime;
  /** The local date, `yyyy-MM-dd`. */
  date: string;
  startMs: number;
  /** The next local midnight (exclusive). */
  endMs: number;
}

/** The open days of every location as of one local date, in time order per location. */
interface OpenBooks {
  byLocation: Map<string, BookDay[]>;
  byKey: Map<string, BookDay>;
  /** The instants between which every organisation's local date stays the same. */
  validFromMs: number;
  validUntilMs: number;
}

export interface SlotCalendarOptions {
  /** Replaces every location's `bookingHorizonDays` when set. */
  daysAhead: number | undefined;
  /** Mixed into every slot's fate (see `fate`). */
  seed: number;
  /** Business time: which days are open, and `Appointment.created` of seeded bookings. */
  clock: () => Date;
}

/**
 * The slots of each location's open days, made when a request first needs them rather than all
 * at start: with books open up to a year ahead, every open day is some 13 000 slots, most of
 * which no test or demo ever asks for, made again on every reset. A location's book is open for the local days today..today+`bookingHorizonDays` (or
 * `daysAhead` for all), rolling forward with the clock. Each (location, day) is loaded once and
 * then left to the repository, so clients' writes stick; slot fates depend only on seed and id,
 * so the order in which days are loaded changes nothing but the storage order.
 *
 * Not safe for concurrent use: the simulator calls it under its mutex.
 */
export class SlotCalendar {
  readonly #organizations: readonly OrganizationSeed[];
  readonly #options: SlotCalendarOptions;
  /** The location of each practitioner key, to find the book a slot id belongs to. */
  readonly #locationOfPractitioner: Map<string, string>;
  readonly #loaded = new Set<string>();
  #open: OpenBooks | undefined;

  constructor(organizations: readonly OrganizationSeed[], options: SlotCalendarOptions) {
    this.#organizations = organizations;
    this.#options = options;
    this.#locationOfPractitioner = new Map(
      organizations.flatMap((organization) =>
        organization.locations.flatMap((location) =>
          location.practitioners.map((p) => [p.key, location.id] as const),
        ),
      ),
    );
  }

  /** The loaded (location, day) books as `<location id>/<yyyy-MM-dd>`, sorted. */
  get loadedDays(): string[] {
    return [...this.#loaded].sort();
  }

  /**
   * Loads into `repository` the slots (and seeded bookings) of the open days that `needs` name
   * and that are not loaded yet, in time order.
   */
  async materialise(repository: SimulatorRepository, needs: readonly DayNeed[]): Promise<void> {
    if (needs.length === 0) return;
    const days = this.#neededDays(needs).filter((day) => !this.#loaded.has(day.key));
    if (days.length === 0) return;
    days.sort((a, b) => a.startMs - b.startMs);
    const options = { seed: this.#options.seed, now: this.#options.clock() };
    await repository.load(
      days.flatMap((day) => locationDaySlots(day.organization, day.location, day.day, options)),
    );
    for (const day of days) this.#loaded.add(day.key);
  }

  /** Forgets every loaded day, for a new repository. */
  reset(): void {
    this.#loaded.clear();
  }

  #neededDays(needs: readonly DayNeed[]): BookDay[] {
    const open = this.#openBooks();
    const found = new Set<BookDay>();
    for (const need of needs) {
      if (need.kind === 'slots') {
        for (const id of need.ids) {
          const named = slotIdDay(id);
          const location = named && this.#locationOfPractitioner.get(named.practitionerKey);
          const day = location && open.byKey.get(`${location}/${named.day}`);
          if (day) found.add(day);
        }
        continue;
      }
      for (const days of open.byLocation.values()) {
        for (const day of days) {
          if (day.startMs <= need.toMs && day.endMs > need.fromMs) found.add(day);
        }
      }
    }
    return [...found];
  }

  /** The open days as of the clock; recomputed only when some organisation's local date changed. */
  #openBooks(): OpenBooks {
    const nowMs = this.#options.clock().getTime();
    if (this.#open && nowMs >= this.#open.validFromMs && nowMs < this.#open.validUntilMs) {
      return this.#open;
    }
    const open: OpenBooks = {
      byLocation: new Map(),
      byKey: new Map(),
      validFromMs: Number.NEGATIVE_INFINITY,
      validUntilMs: Number.POSITIVE_INFINITY,
    };
    for (const organization of this.#organizations) {
      const today = DateTime.fromMillis(nowMs, { zone: organization.timeZone }).startOf('day');
      const days = this.#organizationDays(organization, today);
      open.validFromMs = Math.max(open.validFromMs, today.toMillis());
      open.validUntilMs = Math.min(open.validUntilMs, days[0]?.endMs ?? nowMs);
      for (const location of organization.locations) {
        const horizon = this.#options.daysAhead ?? location.bookingHorizonDays;
        const books = days.slice(0, horizon + 1).map(
          (day): BookDay => ({
            ...day,
            key: `${location.id}/${day.date}`,
            organization,
            location,
          }),
        );
        open.byLocation.set(location.id, books);
        for (const book of books) open.byKey.set(book.key, book);
      }
    }
    this.#open = open;
    return open;
  }

  /** today..today+(the organisation's longest horizon), with each day's bounds. */
  #organizationDays(organization: OrganizationSeed, today: DateTime) {
    const longest = Math.max(
      0,
      ...organization.locations.map((l) => this.#options.daysAhead ?? l.bookingHorizonDays),
    );
    const days: { day: DateTime; date: string; startMs: number; endMs: number }[] = [];
    let day = today;
    for (let index = 0; index <= longest; index += 1) {
      const next = day.plus({ days: 1 });
      days.push({
        day,
        date: day.toISODate() ?? '',
        startMs: day.toMillis(),
        endMs: next.toMillis(),
      });
      day = next;
    }
    return days;
  }
}
