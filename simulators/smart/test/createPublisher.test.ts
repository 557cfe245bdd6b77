import { expect, it } from 'vitest';
import { createPublisher } from '../src/createPublisher.js';

const slotLine = (id: string) =>
  JSON.stringify({ resourceType: 'Slot', id, status: 'free', start: '2026-10-19T08:00:00Z' });

it('renders its source once per key: bookings and changes apply to the files already rendered', () => {
  let now = new Date('2026-10-19T08:00:00Z');
  const renders: string[] = [];
  const publisher = createPublisher({
    id: 'test',
    timeZone: 'Europe/Stockholm',
    clock: () => now,
    baseUrl: () => 'http://127.0.0.1/test/',
    source: {
      key: (at) => at.toISOString().slice(0, 10),
      render: (at) => {
        renders.push(at.toISOString());
        return [{ name: 'slots.ndjson', type: 'Slot', lines: [slotLine('a'), slotLine('b')] }];
      },
    },
  });
  expect(publisher.current().slots.size).toBe(2);
  expect(publisher.book('a', null).ok).toBe(true);
  expect(publisher.mutate([{ op: 'removeSlot', slotId: 'b' }])).toEqual({ ok: true });
  const changed = publisher.current();
  expect(changed.slots.get('a')?.status).toBe('busy');
  expect(changed.slots.has('b')).toBe(false);
  expect(renders).toEqual(['2026-10-19T08:00:00.000Z']);

  now = new Date('2026-10-20T08:00:00Z');
  expect(publisher.current().slots.get('a')?.status).toBe('busy');
  expect(renders).toEqual(['2026-10-19T08:00:00.000Z', '2026-10-20T08:00:00.000Z']);
});
