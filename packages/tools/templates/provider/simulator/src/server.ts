import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHttpService, createLogger, type HttpService } from '@booking/server-kit';
import {
  clinicChangeRequest,
  createSimulatorControl,
  type SimulatorLogger,
} from '@booking/simulator-kit';
import { DateTime } from 'luxon';
import { z } from 'zod';

/*
 * Simulator of the __Name__ booking system. This is a generic starting point — a small, stateful
 * REST booking service — to be reshaped into the vendor's real protocol: its URLs, payloads, time
 * formats, pagination, errors and quirks. Keep it stateful and concurrency-safe.
 */

export interface __Name__SimulatorOptions {
  /** Business time (today, past slots). Default: `() => new Date()`. */
  clock?: () => Date;
  /** Days of slots from today. Default: 21. */
  daysAhead?: number;
  /** Delay before every API request, in milliseconds. Default: 0. */
  latencyMs?: number;
  /** Receives a line per injected fault, configuration change and reset. Default: silent. */
  logger?: SimulatorLogger;
}

interface Slot {
  id: string;
  clinicId: string;
  start: string;
  end: string;
}
interface Booking {
  id: string;
  slotId: string;
  externalRef: string;
  status: 'booked' | 'cancelled';
}

const zone = 'Europe/Stockholm';
const clinics = [
  {
    id: 'c1',
    name: '__Name__ Vårdcentral',
    city: 'Stockholm',
    treatments: ['general-practitioner'],
  },
];

/** Weekday slots 08:00–16:00 local time, 30 minutes each, from the clock's day on. */
function generateSlots(now: Date, days: number): Slot[] {
  const slots: Slot[] = [];
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  for (let d = 0; d <= days; d += 1) {
    const day = today.plus({ days: d });
    if (day.weekday > 5) continue;
    for (let minute = 8 * 60; minute < 16 * 60; minute += 30) {
      const start = day.set({ hour: Math.floor(minute / 60), minute: minute % 60 });
      if (start.toMillis() < now.getTime()) continue;
      slots.push({
        id: `${clinics[0]!.id}-${start.toFormat("yyyyMMdd'T'HHmm")}`,
        clinicId: clinics[0]!.id,
        start: start.toISO()!,
        end: start.plus({ minutes: 30 }).toISO()!,
      });
    }
  }
  return slots;
}

/** One answer of the vendor's API, before the control protocol has its last word on it. */
interface Answer {
  status: number;
  body: unknown;
}

function send(res: ServerResponse, answer: Answer, headers: Record<string, string> = {}): true {
  res.writeHead(answer.status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(answer.body));
  return true;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The simulator's one tenant, as the control protocol names it. */
export const tenant = 'default';

/** The vendor's API over one tenant's state: `null` for a path it does not serve. */
function operation(
  state: ReturnType<typeof seed>,
  method: string,
  url: URL,
  body: Record<string, unknown>,
): (() => Answer) | null {
  const { slots, bookings, bookedSlots } = state;
  const slotMatch = /^\/slots\/([^/]+)$/.exec(url.pathname);
  const bookingMatch = /^\/bookings\/([^/]+)$/.exec(url.pathname);
  if (method === 'GET' && url.pathname === '/clinics')
    return () => ({ status: 200, body: clinics });
  if (method === 'GET' && url.pathname === '/slots') {
    const from = url.searchParams.get('from') ?? '';
    const to = url.searchParams.get('to') ?? '';
    return () => ({
      status: 200,
      body: slots.filter((s) => !bookedSlots.has(s.id) && s.start >= from && s.start < to),
    });
  }
  if (method === 'GET' && slotMatch) {
    return () => {
      const slot = slots.find((s) => s.id === slotMatch[1]);
      if (!slot) return { status: 404, body: { error: 'not_found' } };
      return { status: 200, body: { ...slot, booked: bookedSlots.has(slot.id) } };
    };
  }
  if (method === 'GET' && url.pathname === '/bookings') {
    const ref = url.searchParams.get('externalRef');
    return () => ({
      status: 200,
      body: [...bookings.values()].filter((b) => b.externalRef === ref),
    });
  }
  if (method === 'POST' && url.pathname === '/bookings') {
    return () => {
      const existing = [...bookings.values()].find((b) => b.externalRef === body.externalRef);
      if (existing) return { status: 200, body: existing };
      const slotId = String(body.slotId);
      if (!slots.some((s) => s.id === slotId)) return { status: 404, body: { error: 'not_found' } };
      // Check and set without an await in between: concurrent requests cannot both book.
      if (bookedSlots.has(slotId)) return { status: 409, body: { error: 'taken' } };
      bookedSlots.add(slotId);
      const booking: Booking = {
        id: randomUUID(),
        slotId,
        externalRef: String(body.externalRef),
        status: 'booked',
      };
      bookings.set(booking.id, booking);
      return { status: 201, body: booking };
    };
  }
  if (method === 'DELETE' && bookingMatch) {
    return () => {
      const booking = bookings.get(bookingMatch[1]!);
      if (!booking) return { status: 404, body: { error: 'not_found' } };
      booking.status = 'cancelled';
      bookedSlots.delete(booking.slotId);
      return { status: 200, body: booking };
    };
  }
  return null;
}

/** `POST /_admin/clinic-changes`: the control protocol's "Changes at the clinic". */
const clinicChange = clinicChangeRequest({ booking: z.string().min(1) });

/**
 * What the clinic does in its own system, as the contract kit asks for it: a cancel frees the
 * booking's slot. Moves, no-shows and extra times answer 501 until the store learns them (the
 * contract kit then skips their checks, saying so).
 */
function applyClinicChange(state: ReturnType<typeof seed>, body: unknown): Answer {
  const parsed = clinicChange.safeParse(body);
  if (!parsed.success) return { status: 400, body: { error: 'invalid_request' } };
  const change = parsed.data;
  if (change.connection !== tenant) return { status: 404, body: { error: 'unknown_tenant' } };
  if (change.kind !== 'CANCEL') return { status: 501, body: { error: 'not_implemented' } };
  const booking = state.bookings.get(change.booking);
  if (!booking) return { status: 404, body: { error: 'not_found' } };
  if (booking.status === 'booked') {
    booking.status = 'cancelled';
    state.bookedSlots.delete(booking.slotId);
  }
  return { status: 200, body: booking };
}

/** The seed state: the generated slots, nothing booked. */
function seed(now: Date, days: number) {
  return {
    slots: generateSlots(now, days),
    bookings: new Map<string, Booking>(),
    bookedSlots: new Set<string>(),
  };
}

/** Starts nothing yet: `listen` does. */
export function create__Name__Simulator(options: __Name__SimulatorOptions = {}): HttpService {
  const clock = options.clock ?? (() => new Date());
  const days = options.daysAhead ?? 21;
  let state = seed(clock(), days);
  const logger = createLogger({ service: 'simulator-__name__' });
  // The standard `/_admin/` protocol: latency, faults, rate limits, traffic counts and reset.
  const control = createSimulatorControl({
    connectionsKey: 'tenants',
    connectionIds: () => [tenant],
    defaults: { latencyMs: options.latencyMs ?? 0 },
    logger: options.logger,
    onReset: () => {
      state = seed(clock(), days);
    },
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (await control.handleAdmin(req, res)) return true;
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (method === 'POST' && url.pathname === '/_admin/clinic-changes') {
      const change = await readJson(req);
      // Applied after the body is read: a reset in between replaces the state.
      return send(res, applyClinicChange(state, change));
    }
    const body = method === 'POST' ? await readJson(req) : {};
    const run = operation(state, method, url, body);
    if (!run) return false;
    const access = method === 'GET' ? 'read' : 'write';
    const admission = await control.admit({ connection: tenant, access, res });
    if (admission.kind === 'dropped') return true;
    if (admission.kind === 'refuse') {
      const retryAfter = admission.retryAfterSeconds;
      const headers: Record<string, string> =
        retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
      return send(res, { status: admission.status, body: { error: admission.reason } }, headers);
    }
    // Looked up again after the awaits: a reset in between replaces the state.
    const answer = operation(state, method, url, body)!();
    const succeeded = answer.status < 300;
    if (!(await control.beforeAnswer({ connection: tenant, access, res, succeeded }))) return true;
    return send(res, answer);
  }

  return createHttpService({ name: 'simulator-__name__', logger, routes: route });
}
