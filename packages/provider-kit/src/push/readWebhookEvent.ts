import type { z } from 'zod';
import type { ChangeLog } from '../changes/createChangeLog.js';
import type { PushAnswer } from '../changes/receivePush.js';

/** How one vendor's webhook envelope is read. */
export interface WebhookEventOptions<T> {
  /** The vendor's envelope (id, time, type, data): a body it does not describe is refused (400). */
  readonly schema: z.ZodType<T>;
  /**
   * The event's id. The change an accepted event records carries it (`toBookingChanges`), so an
   * id the change log holds is an event accepted before.
   */
  id(event: T): string;
  /** When the vendor made the event, epoch ms. */
  sentAt(event: T): number;
  /** The connection's change log. */
  readonly changes: ChangeLog;
  /** How far `sentAt` may be from `nowMs`, either way, before the event is refused (400). */
  readonly maxAgeMs: number;
  /** The connection's clock, epoch ms. */
  readonly nowMs: number;
}

/** The event to act on, or the answer the push gets without acting. */
export type WebhookEvent<T> = { readonly event: T } | { readonly answer: PushAnswer };

/**
 * A push's JSON envelope, read once its signature is known to be the vendor's. Not JSON, or not
 * the envelope, is refused (400); an id already accepted is a replay (or a redelivery), answered
 * 200 and not acted on again; an event made further than `maxAgeMs` from now is refused (400): an
 * old event replayed once its id has left the change log, or a clock far off.
 */
export async function readWebhookEvent<T>(
  body: Buffer,
  options: WebhookEventOptions<T>,
): Promise<WebhookEvent<T>> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return { answer: { status: 400, message: 'the body is not JSON' } };
  }
  const parsed = options.schema.safeParse(json);
  if (!parsed.success) return { answer: { status: 400, message: 'not an event this takes' } };
  const event = parsed.data;
  if (await options.changes.has(options.id(event))) {
    return { answer: { status: 200, message: 'already accepted' } };
  }
  // NaN (a time the schema let through unread) is outside any window.
  if (!(Math.abs(options.nowMs - options.sentAt(event)) <= options.maxAgeMs)) {
    return { answer: { status: 400, message: 'sent outside the freshness window' } };
  }
  return { event };
}
