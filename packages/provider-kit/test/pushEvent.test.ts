import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createChangeLog, readWebhookEvent } from '../src/index.js';

const envelope = z.object({ id: z.string().min(1), created: z.iso.datetime(), type: z.string() });
const nowMs = Date.parse('2026-03-25T08:00:00Z');

async function read(body: string, changes = createChangeLog()) {
  return readWebhookEvent(Buffer.from(body), {
    schema: envelope,
    id: (event) => event.id,
    sentAt: (event) => Date.parse(event.created),
    changes,
    maxAgeMs: 300_000,
    nowMs,
  });
}
const event = (id: string, created = '2026-03-25T08:00:00Z') =>
  JSON.stringify({ id, created, type: 'booking.updated' });

describe('readWebhookEvent', () => {
  it('answers the event of a fresh, well-formed envelope', async () => {
    expect(await read(event('evt_1', '2026-03-25T07:55:00Z'))).toEqual({
      event: { id: 'evt_1', created: '2026-03-25T07:55:00Z', type: 'booking.updated' },
    });
  });

  it.each([
    ['not JSON', '{'],
    ['not the envelope', '[]'],
    ['an envelope without an id', JSON.stringify({ created: '2026-03-25T08:00:00Z', type: 'x' })],
    ['made too long ago', event('evt_2', '2026-03-25T07:54:59Z')],
    ['made in the future beyond the window', event('evt_3', '2026-03-25T08:05:01Z')],
  ])('refuses %s with 400', async (_case, body) => {
    expect(await read(body)).toEqual({ answer: { status: 400, message: expect.any(String) } });
  });

  it('acknowledges an event whose change was recorded already with 200, however old', async () => {
    const changes = createChangeLog();
    await changes.append({
      id: 'evt_4',
      kind: 'BOOKING_UPDATED',
      source: 'PUSH',
      occurredAt: '2026-03-20T08:00:00Z',
    });
    expect(await read(event('evt_4', '2026-03-20T08:00:00Z'), changes)).toEqual({
      answer: { status: 200, message: 'already accepted' },
    });
    expect(await read(event('evt_5'), changes)).toHaveProperty('event');
  });

  it('refuses an event whose time cannot be read', async () => {
    const answer = await readWebhookEvent(Buffer.from(event('evt_6')), {
      schema: envelope,
      id: (e) => e.id,
      sentAt: () => Number.NaN,
      changes: createChangeLog(),
      maxAgeMs: 300_000,
      nowMs,
    });
    expect(answer).toEqual({ answer: { status: 400, message: expect.any(String) } });
  });
});
