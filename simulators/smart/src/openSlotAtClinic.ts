import { DateTime } from 'luxon';
import type { Publication } from './createPublisher.js';
import { extensionUrls } from './generateSwedishPublication.js';

/** New times are put inside the clinic's day, as its staff would open them. */
const dayOpensMinute = 7 * 60;
const dayClosesMinute = 19 * 60;
/** New times start on the five minutes. */
const stepMinutes = 5;
/** How far past `from` a time is looked for. */
const searchDays = 60;

type Resource = Record<string, unknown>;

interface ScheduledSlot {
  resource: Resource;
  startMs: number;
  endMs: number;
}

/** The valid resources of a publication's files of one type; malformed lines are passed over. */
function resourcesOf(publication: Publication, type: 'Schedule' | 'Slot'): Resource[] {
  const resources: Resource[] = [];
  for (const file of publication.files) {
    if (file.type !== type) continue;
    for (const line of file.body.split('\n')) {
      try {
        const value: unknown = JSON.parse(line);
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
          const resource = value as Resource;
          if (resource.resourceType === type && typeof resource.id === 'string') {
            resources.push(resource);
          }
        }
      } catch {
        // Malformed lines a mutation injected are not the clinic's schedule.
      }
    }
  }
  return resources;
}

const atLocation = (schedule: Resource, clinic: string) =>
  Array.isArray(schedule.actor) &&
  schedule.actor.some(
    (actor: { reference?: unknown }) => actor?.reference === `Location/${clinic}`,
  );

/** The file of the published slots whose times lie around `startMs` (weekly files keep their week). */
function fileFor(publication: Publication, startMs: number): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const slot of publication.slots.values()) {
    const ms = typeof slot.start === 'string' ? Date.parse(slot.start) : Number.NaN;
    if (Number.isNaN(ms)) continue;
    const distance = Math.abs(ms - startMs);
    if (!best || distance < best.distance) best = { name: slot.file, distance };
  }
  return best?.name;
}

export type SlotOpening =
  | { ok: true; slot: Resource & { id: string }; file: string | undefined }
  | { ok: false; status: 404 | 409; message: string };

/**
 * The Slot the clinic's staff open at Location `clinic` at or after `fromMs`: in the first active
 * schedule of the clinic that has slots, of the length of its slots, overlapping none of them,
 * between 07:00 and 19:00 in the publisher's zone, as a copy of one of its slots (so the new slot
 * carries the same extensions: deep link, phone, capacity at its most). Times are written the way
 * the schedule's slots write theirs (local offset or `Z`), the id the way the Swedish publisher
 * makes ids (`<schedule>-<yyyyMMddHHmm>`, local digits).
 */
export function openSlotAtClinic(
  publication: Publication,
  request: { clinic: string; fromMs: number; timeZone: string },
): SlotOpening {
  const schedules = resourcesOf(publication, 'Schedule').filter(
    (schedule) => schedule.active !== false && atLocation(schedule, request.clinic),
  );
  if (schedules.length === 0) {
    return { ok: false, status: 404, message: `No schedule at Location/${request.clinic}.` };
  }
  const slotsBySchedule = new Map<string, ScheduledSlot[]>();
  for (const resource of resourcesOf(publication, 'Slot')) {
    const reference = (resource.schedule as { reference?: unknown } | undefined)?.reference;
    const startMs = Date.parse(String(resource.start));
    const endMs = Date.parse(String(resource.end));
    if (typeof reference !== 'string' || !(endMs > startMs)) continue;
    const list = slotsBySchedule.get(reference) ?? [];
    list.push({ resource, startMs, endMs });
    slotsBySchedule.set(reference, list);
  }
  for (const schedule of schedules) {
    const slots = slotsBySchedule.get(`Schedule/${schedule.id}`);
    const template = slots?.[0];
    if (!slots || !template) continue;
    const lengthMs = template.endMs - template.startMs;
    const first = DateTime.fromMillis(request.fromMs, { zone: request.timeZone }).startOf('day');
    for (let day = first; day < first.plus({ days: searchDays }); day = day.plus({ days: 1 })) {
      for (let minute = dayOpensMinute; minute < dayClosesMinute; minute += stepMinutes) {
        const start = day.set({ hour: Math.floor(minute / 60), minute: minute % 60 });
        const startMs = start.toMillis();
        const endMs = startMs + lengthMs;
        if (start.hour * 60 + start.minute !== minute || startMs < request.fromMs) continue;
        if (endMs > day.set({ hour: 19, minute: 0 }).toMillis()) continue;
        if (slots.some((s) => s.startMs < endMs && startMs < s.endMs)) continue;
        const id = `${schedule.id}-${start.toFormat('yyyyMMddHHmm')}`;
        if (publication.slots.has(id)) continue;
        return {
          ok: true,
          slot: copyOf(template.resource, { id, startMs, endMs, slots, zone: request.timeZone }),
          file: fileFor(publication, startMs),
        };
      }
    }
    return {
      ok: false,
      status: 409,
      message: `No room for a new time in Schedule/${schedule.id}.`,
    };
  }
  return {
    ok: false,
    status: 409,
    message: `No schedule at Location/${request.clinic} has slots.`,
  };
}

/** A free copy of `template` at new times, its deep link pointing at the new slot. */
function copyOf(
  template: Resource,
  target: { id: string; startMs: number; endMs: number; slots: ScheduledSlot[]; zone: string },
): Resource & { id: string } {
  const utc = String(template.start).endsWith('Z');
  const format = (ms: number) =>
    (utc
      ? DateTime.fromMillis(ms, { zone: 'utc' })
      : DateTime.fromMillis(ms, { zone: target.zone })
    ).toISO() ?? '';
  const capacities = target.slots.flatMap(({ resource }) =>
    extensionsOf(resource)
      .filter((e) => e.url === extensionUrls.slotCapacity && Number.isInteger(e.valueInteger))
      .map((e) => e.valueInteger as number),
  );
  const capacity = capacities.length > 0 ? Math.max(...capacities) : undefined;
  const extension = extensionsOf(template)
    .filter((e) => e.url !== extensionUrls.slotCapacity)
    .map((e) => {
      if (e.url !== extensionUrls.bookingDeepLink || typeof e.valueUrl !== 'string') return e;
      if (!URL.canParse(e.valueUrl)) return e;
      const link = new URL(e.valueUrl);
      if (link.searchParams.has('slot')) link.searchParams.set('slot', target.id);
      return { ...e, valueUrl: link.toString() };
    });
  return {
    ...template,
    id: target.id,
    status: 'free',
    start: format(target.startMs),
    end: format(target.endMs),
    extension: [
      ...extension,
      ...(capacity !== undefined
        ? [{ url: extensionUrls.slotCapacity, valueInteger: capacity }]
        : []),
    ],
  };
}

function extensionsOf(resource: Resource): Record<string, unknown>[] {
  return Array.isArray(resource.extension)
    ? resource.extension.filter(
        (e): e is Record<string, unknown> => typeof e === 'object' && e !== null,
      )
    : [];
}
