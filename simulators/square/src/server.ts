import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHttpService, createLogger, type HttpService } from '@booking/server-kit';
import { DateTime } from 'luxon';

/*
 * Simulator of the Square booking system. This is a generic starting point — a small, stateful
 * REST booking service — to be reshaped into the vendor's real protocol: its URLs, payloads, time
 * formats, pagination, errors and quirks. Keep it stateful and concurrency-safe.
 */

export interface SquareSimulatorOptions {
  /** Business time (today, past slots). Default: `() => new Date()`. */
  clock?: () => Date;
  /** Days of slots from today. Default: 21. */
  daysAhead?: number;
  /** Delay before every API request, in milliseconds. Default: 0. */
  latencyMs?: number;
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
    name: 'Square Vårdcentral',
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

/** Answers with JSON; returns true so a route can `return send(...)` when it handled the request. */
function send(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
  return true;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length
    ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
    : {};
}

/** Starts nothing yet: `listen` does. */
export function createSquareSimulator(options: SquareSimulatorOptions = {}): HttpService {
  const clock = options.clock ?? (() => new Date());
  const slots = generateSlots(clock(), options.daysAhead ?? 21);
  const bookings = new Map<string, Booking>();
  const bookedSlots = new Set<string>();
  const logger = createLogger({ service: 'simulator-square' });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    if (req.method === 'GET' && url.pathname === '/clinics') return send(res, 200, clinics);
    if (req.method === 'GET' && url.pathname === '/slots') {
      const from = url.searchParams.get('from') ?? '';
      const to = url.searchParams.get('to') ?? '';
      const free = slots.filter((s) => !bookedSlots.has(s.id) && s.start >= from && s.start < to);
      return send(res, 200, free);
    }
    const slotMatch = /^\/slots\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && slotMatch) {
      const slot = slots.find((s) => s.id === slotMatch[1]);
      return send(
        res,
        slot ? 200 : 404,
        slot ? { ...slot, booked: bookedSlots.has(slot.id) } : { error: 'not_found' },
      );
    }
    if (req.method === 'GET' && url.pathname === '/bookings') {
      const ref = url.searchParams.get('externalRef');
      return send(
        res,
        200,
        [...bookings.values()].filter((b) => b.externalRef === ref),
      );
    }
    if (req.method === 'POST' && url.pathname === '/bookings') {
      const body = await readJson(req);
      const existing = [...bookings.values()].find((b) => b.externalRef === body.externalRef);
      if (existing) return send(res, 200, existing);
      const slotId = String(body.slotId);
      if (!slots.some((s) => s.id === slotId)) return send(res, 404, { error: 'not_found' });
      // Check and set without an await in between: concurrent requests cannot both book.
      if (bookedSlots.has(slotId)) return send(res, 409, { error: 'taken' });
      bookedSlots.add(slotId);
      const booking: Booking = {
        id: randomUUID(),
        slotId,
        externalRef: String(body.externalRef),
        status: 'booked',
      };
      bookings.set(booking.id, booking);
      return send(res, 201, booking);
    }
    const bookingMatch = /^\/bookings\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'DELETE' && bookingMatch) {
      const booking = bookings.get(bookingMatch[1]!);
      if (!booking) return send(res, 404, { error: 'not_found' });
      booking.status = 'cancelled';
      bookedSlots.delete(booking.slotId);
      return send(res, 200, booking);
    }
    return false;
  }

  return createHttpService({ name: 'simulator-square', logger, routes: route });
}
