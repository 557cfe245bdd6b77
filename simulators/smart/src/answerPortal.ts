import type http from 'node:http';
import type { Publisher } from './createPublisher.js';
import { type Answer, error, RawBody, readBody } from './httpAnswer.js';
import { renderPortalPage } from './renderPortalPage.js';
import type { PublisherStats, SmartLogger } from './server.js';

/**
 * The publisher's own booking portal, where the slots' deep links point: `GET` shows a slot's
 * page, `POST` (form or JSON `{slot, source}`) books it.
 */
export async function answerPortal(
  publisher: Publisher,
  /** The publisher's counters, looked up on each use: a reset replaces them. */
  statsOf: () => PublisherStats,
  logger: SmartLogger,
  req: http.IncomingMessage,
  query: URLSearchParams,
): Promise<Answer> {
  const id = publisher.id;
  if (req.method === 'GET') {
    const slotId = query.get('slot');
    const source = query.get('source');
    statsOf().portalVisits += 1;
    const key = source ?? '(none)';
    const visits = statsOf().portalVisitsBySource;
    visits[key] = (visits[key] ?? 0) + 1;
    const slot = slotId === null ? undefined : publisher.current().slots.get(slotId);
    return {
      status: slot ? 200 : 404,
      body: new RawBody(renderPortalPage({ slotId, slot, source }), 'text/html; charset=utf-8'),
    };
  }
  if (req.method !== 'POST') return error(405, 'method_not_allowed', 'GET or POST.');
  const text = await readBody(req);
  if (text === undefined) return error(413, 'payload_too_large', 'Body over 64 KiB.');
  let fields: Record<string, unknown> = {};
  if ((req.headers['content-type'] ?? '').includes('json')) {
    try {
      fields = text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      return error(400, 'invalid_request', 'Body is not valid JSON.');
    }
  } else {
    fields = Object.fromEntries(new URLSearchParams(text));
  }
  const slotId = typeof fields.slot === 'string' ? fields.slot : query.get('slot');
  const source = typeof fields.source === 'string' ? fields.source : query.get('source');
  if (!slotId) return error(400, 'invalid_request', 'Which slot? Send `slot`.');
  const outcome = publisher.book(slotId, source);
  if (!outcome.ok) {
    if (outcome.reason === 'slot_taken') statsOf().portalConflicts += 1;
    return error(
      outcome.reason === 'slot_taken' ? 409 : 404,
      outcome.reason,
      outcome.reason === 'slot_taken' ? 'The slot is already booked.' : 'No such slot.',
    );
  }
  statsOf().portalBookings += 1;
  logger.info('portal booking', { publisher: id, slotId, bookingId: outcome.booking.bookingId });
  return {
    status: 201,
    body: {
      bookingId: outcome.booking.bookingId,
      slotId,
      remainingCapacity: outcome.remainingCapacity,
    },
  };
}
