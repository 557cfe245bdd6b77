import {
  type Filter,
  Operator,
  parseSearchRequest,
  splitSearchOnComma,
  toPeriod,
} from '@medplum/core';
import type { BundleEntry } from '@medplum/fhirtypes';
import type { FhirCall } from './answerFhirRequest.js';
import { seededAppointmentSlotId } from './slotResources.js';

/**
 * Which seeded slots a request may read or write, as far as the request itself tells: those
 * starting within a window, or those with given ids. Seeded Appointments go with their slots.
 * The simulator loads the days these fall on before it answers (`SlotCalendar`).
 */
export type DayNeed =
  /** Slots starting at `fromMs`..`toMs` (inclusive; infinite when unbounded). */
  | { kind: 'window'; fromMs: number; toMs: number }
  /** The slots with these ids (`slot-<key>-<yyyyMMddHHmm>`); other ids name no day. */
  | { kind: 'slots'; ids: readonly string[] };

/** A request that may see any slot: every open day. */
export const everyDay: DayNeed = {
  kind: 'window',
  fromMs: Number.NEGATIVE_INFINITY,
  toMs: Number.POSITIVE_INFINITY,
};

const minuteMs = 60_000;

/**
 * The starts a date filter admits, as Medplum's matching compares them: a stored instant is the
 * period [start, start + 999 ms], the filter value the period `value`. Undefined for operators
 * that bound nothing (`ne`, `ap`, modifiers).
 */
function admittedStarts(
  operator: Operator,
  value: { startMs: number; endMs: number },
): { fromMs: number; toMs: number } | undefined {
  const open = { fromMs: Number.NEGATIVE_INFINITY, toMs: Number.POSITIVE_INFINITY };
  switch (operator) {
    case Operator.GREATER_THAN_OR_EQUALS:
      return { ...open, fromMs: value.startMs - 999 };
    case Operator.GREATER_THAN:
      return { ...open, fromMs: value.endMs - 998 };
    case Operator.STARTS_AFTER:
      return { ...open, fromMs: value.endMs + 1 };
    case Operator.EQUALS:
      return { fromMs: value.startMs - 998, toMs: value.endMs - 1 };
    case Operator.LESS_THAN:
      return { ...open, toMs: value.startMs - 1 };
    case Operator.LESS_THAN_OR_EQUALS:
      return { ...open, toMs: value.endMs };
    case Operator.ENDS_BEFORE:
      return { ...open, toMs: value.startMs - 1000 };
    default:
      return undefined;
  }
}

/** A filter value as Medplum's `toPeriod` reads it, in ms; undefined when it cannot. */
function periodOf(text: string): { startMs: number; endMs: number } | undefined {
  let period: ReturnType<typeof toPeriod>;
  try {
    period = toPeriod(text);
  } catch {
    return undefined;
  }
  const startMs = Date.parse(period?.start ?? '');
  const endMs = Date.parse(period?.end ?? '');
  return Number.isNaN(startMs) || Number.isNaN(endMs) ? undefined : { startMs, endMs };
}

/**
 * The window the filters on one date parameter (`Slot.start`, `Appointment.start`) leave: `ge`,
 * `gt`, `eq` and `sa` bound it below, `eq`, `lt`, `le` and `eb` above. A filter with several
 * values, another operator or an unreadable value bounds nothing. Seeded slots start on whole
 * minutes, so the bounds round inwards to the minute: a window ending at midnight (`lt`) does not
 * reach into the next day.
 */
function startWindow(filters: readonly Filter[], code: string): DayNeed {
  let fromMs = Number.NEGATIVE_INFINITY;
  let toMs = Number.POSITIVE_INFINITY;
  for (const filter of filters) {
    if (filter.code !== code) continue;
    const [text, ...others] = splitSearchOnComma(filter.value);
    const value = others.length === 0 && text !== undefined ? periodOf(text) : undefined;
    const admitted = value && admittedStarts(filter.operator, value);
    if (!admitted) continue;
    fromMs = Math.max(fromMs, admitted.fromMs);
    toMs = Math.min(toMs, admitted.toMs);
  }
  return {
    kind: 'window',
    fromMs: Math.ceil(fromMs / minuteMs) * minuteMs,
    toMs: Math.floor(toMs / minuteMs) * minuteMs,
  };
}

/** Slot ids of a `slot` reference filter's values (`Slot/<id>` or a bare id). */
function referencedSlotIds(filter: Filter): string[] {
  return splitSearchOnComma(filter.value).map((value) => value.slice(value.lastIndexOf('/') + 1));
}

/**
 * Slot ids of an `identifier` filter: a seeded Appointment's identifier value is its slot's id
 * (`urn:booking-web:<organisation>|<slot id>`), so a value that is no slot id matches no seeded
 * Appointment. Undefined when a value matches any identifier of a system (`system|`).
 */
function identifiedSlotIds(filter: Filter): string[] | undefined {
  const ids: string[] = [];
  for (const value of splitSearchOnComma(filter.value)) {
    // Medplum's token matching: the value after the first `|`, compared in lower case.
    const token = value.includes('|') ? value.split('|')[1] : value;
    if (!token) return undefined;
    ids.push(token.toLowerCase());
  }
  return ids;
}

/**
 * An Appointment search needs the slots it names (`slot`, or the seeded identifier), else the days
 * its `date` filters leave. Any one such filter is enough: every match satisfies each of them.
 */
function appointmentSearchNeed(filters: readonly Filter[]): DayNeed {
  for (const filter of filters) {
    if (filter.operator !== Operator.EQUALS) continue;
    if (filter.code === 'slot') return { kind: 'slots', ids: referencedSlotIds(filter) };
    const ids = filter.code === 'identifier' ? identifiedSlotIds(filter) : undefined;
    if (ids) return { kind: 'slots', ids };
  }
  return startWindow(filters, 'date');
}

/**
 * Whether a `_lastUpdated` filter leaves out every seeded version, all of which carry the instant
 * the seed was made: such a search (a client catching up on changes) finds only what was written
 * since, and a day not loaded yet holds nothing written, so it needs no day loaded.
 */
function excludesSeed(filters: readonly Filter[], seededAtMs: number): boolean {
  return filters.some((filter) => {
    if (filter.code !== '_lastUpdated') return false;
    const [text, ...others] = splitSearchOnComma(filter.value);
    const value = others.length === 0 && text !== undefined ? periodOf(text) : undefined;
    if (!value) return false;
    // Medplum's date comparisons (see `compileSearch`) with the seeded instant as the stored period.
    switch (filter.operator) {
      case Operator.GREATER_THAN:
      case Operator.STARTS_AFTER:
        return value.endMs >= seededAtMs;
      case Operator.GREATER_THAN_OR_EQUALS:
      case Operator.EQUALS:
        return value.startMs > seededAtMs;
      default:
        return false;
    }
  });
}

/** What a Slot or Appointment search (or a conditional write's criteria) may find. */
function searchNeed(
  resourceType: 'Slot' | 'Appointment',
  search: string,
  seededAtMs: number,
): DayNeed[] {
  let filters: Filter[];
  try {
    filters = parseSearchRequest(`${resourceType}?${search}`).filters ?? [];
  } catch {
    return [everyDay];
  }
  if (excludesSeed(filters, seededAtMs)) return [];
  return [resourceType === 'Slot' ? startWindow(filters, 'start') : appointmentSearchNeed(filters)];
}

/** One interaction: `method` on `path` (`Slot`, `Slot/<id>`, `Appointment/<id>/_history`, …). */
function interactionNeeds(
  method: string,
  path: string,
  query: string,
  ifNoneExist: string | undefined,
  seededAtMs: number,
): DayNeed[] {
  const [resourceType = '', id] = path.replace(/^\//, '').split('/');
  // A system search or `$graphql` may list any resource.
  if (resourceType === '' || resourceType.startsWith('$')) return [everyDay];
  if (resourceType !== 'Slot' && resourceType !== 'Appointment') return [];
  if (id === undefined) {
    // A plain create makes a new resource; a conditional one searches first.
    const criteria = method === 'POST' ? ifNoneExist : query;
    return criteria === undefined ? [] : searchNeed(resourceType, criteria, seededAtMs);
  }
  if (id.startsWith('_') || id.startsWith('$')) return [everyDay];
  const slotId = resourceType === 'Slot' ? id : seededAppointmentSlotId(id);
  return slotId ? [{ kind: 'slots', ids: [slotId] }] : [];
}

/** Every entry of a batch or transaction, by its `request`. */
function bundleNeeds(body: unknown, seededAtMs: number): DayNeed[] {
  const entries = (body as { entry?: unknown } | undefined)?.entry;
  if (!Array.isArray(entries)) return [];
  return (entries as BundleEntry[]).flatMap((entry) => {
    const { method, url, ifNoneExist } = entry?.request ?? {};
    if (typeof method !== 'string' || typeof url !== 'string') return [];
    const [path = '', query = ''] = url.split('?');
    return interactionNeeds(method, path, query, ifNoneExist, seededAtMs);
  });
}

/**
 * The seeded slots a FHIR request may read or write (and with them their seeded Appointments):
 * reads, history and writes of `Slot/<id>` or a seeded `Appointment/<id>` need their day; Slot
 * searches the window of their `start` filters; Appointment searches the slots they name or the
 * window of their `date` filters; a batch or transaction what its entries need. A search that
 * gives no bounds needs every open day, unless it asks only for what was written after the seed
 * was made (`_lastUpdated` after `seededAtMs`); requests of other types need none.
 */
export function dayNeedsOf(
  call: FhirCall,
  seededAtMs: number = Number.POSITIVE_INFINITY,
): DayNeed[] {
  if (call.path === '' && call.method === 'POST') return bundleNeeds(call.body, seededAtMs);
  const ifNoneExist = call.headers['if-none-exist'];
  return interactionNeeds(
    call.method,
    call.path,
    call.query.toString(),
    typeof ifNoneExist === 'string' ? ifNoneExist : undefined,
    seededAtMs,
  );
}
