import { describe, expect, it } from 'vitest';
import { buildPublicationIndex } from '../src/buildPublicationIndex.js';
import type { VendorResource } from '../src/client/schemas.js';
import { diffOpenSlots } from '../src/diffOpenSlots.js';
import { extensionUrls, swedishVisitType } from '../src/mapping.js';

const catalogue: VendorResource[] = [
  {
    resourceType: 'Location',
    id: 'l1',
    name: 'Klinik',
    address: { line: ['Gatan 1'], city: 'Uppsala' },
  },
  {
    resourceType: 'Schedule',
    id: 'a',
    serviceType: [{ coding: [{ system: swedishVisitType, code: 'lakarbesok' }] }],
    actor: [{ reference: 'Location/l1' }],
  },
];

/** A 20-minute slot of schedule `a` at 08:00 + `hour` Stockholm winter time on 26 October. */
const slot = (id: string, hour: number, extra: Record<string, unknown> = {}): VendorResource => ({
  resourceType: 'Slot',
  id,
  schedule: { reference: 'Schedule/a' },
  status: 'free',
  start: `2026-10-26T${String(8 + hour).padStart(2, '0')}:00:00+01:00`,
  end: `2026-10-26T${String(8 + hour).padStart(2, '0')}:20:00+01:00`,
  extension: [{ url: extensionUrls.bookingDeepLink, valueUrl: `https://p.example/b?slot=${id}` }],
  ...extra,
});

const indexOf = (...slots: VendorResource[]) =>
  buildPublicationIndex(
    [
      { type: 'Location', resources: catalogue.slice(0, 1) },
      { type: 'Schedule', resources: catalogue.slice(1) },
      { type: 'Slot', resources: slots },
    ],
    { timeZone: 'Europe/Stockholm', bookingSource: 'varden' },
  );

const publication = { transactionTime: '2026-10-19T10:00:00.000+02:00', learntAt: 0 };
const summary = (before: VendorResource[], after: VendorResource[]) =>
  diffOpenSlots(indexOf(...before), indexOf(...after), publication).map(
    (c) => `${c.kind} ${c.slot!.id}`,
  );

describe('diffOpenSlots', () => {
  it.each([
    ['nothing changed', [slot('s1', 0)], [slot('s1', 0)], []],
    [
      'a new slot is published',
      [slot('s1', 0)],
      [slot('s1', 0), slot('s2', 1)],
      ['SLOT_OPENED s2'],
    ],
    [
      'a busy slot turns free (a cancellation)',
      [slot('s1', 0, { status: 'busy' })],
      [slot('s1', 0)],
      ['SLOT_OPENED s1'],
    ],
    [
      'a free slot turns busy (booked elsewhere)',
      [slot('s1', 0)],
      [slot('s1', 0, { status: 'busy' })],
      ['SLOT_CLOSED s1'],
    ],
    ['a slot is withdrawn', [slot('s1', 0), slot('s2', 1)], [slot('s2', 1)], ['SLOT_CLOSED s1']],
    [
      'the last place of a drop-in is taken',
      [slot('s1', 0, capacity(1))],
      [slot('s1', 0, capacity(0))],
      ['SLOT_CLOSED s1'],
    ],
    [
      'a drop-in only loses a place',
      [slot('s1', 0, capacity(3))],
      [slot('s1', 0, capacity(2))],
      [],
    ],
    [
      'a slot without a booking link never was bookable',
      [],
      [slot('s1', 0, { extension: [] })],
      [],
    ],
    [
      'several at once, in start order',
      [slot('s3', 2), slot('s1', 0)],
      [slot('s2', 1), slot('s4', 3, { status: 'busy-tentative' }), slot('s0', -1)],
      ['SLOT_OPENED s0', 'SLOT_CLOSED s1', 'SLOT_OPENED s2', 'SLOT_CLOSED s3'],
    ],
  ])('%s', (_scenario, before, after, expected) => {
    expect(summary(before, after)).toEqual(expected);
  });

  it('gives stable ids from slot and transactionTime, source POLL, occurredAt the publication’s time in UTC', () => {
    const before = indexOf(slot('s1', 0, { status: 'busy' }));
    const after = indexOf(slot('s1', 0));
    const [change] = diffOpenSlots(before, after, publication);
    expect(change).toEqual({
      id: 'SLOT_OPENED:s1:2026-10-19T10:00:00.000+02:00',
      kind: 'SLOT_OPENED',
      source: 'POLL',
      occurredAt: '2026-10-19T08:00:00.000Z',
      booking: null,
      slot: expect.objectContaining({
        id: 's1',
        clinicId: 'l1',
        start: '2026-10-26T07:00:00.000Z',
      }),
    });
    expect(diffOpenSlots(before, after, publication)[0]!.id).toBe(change!.id);
    const later = { transactionTime: '2026-10-19T10:05:00.000+02:00', learntAt: 0 };
    expect(diffOpenSlots(before, after, later)[0]!.id).not.toBe(change!.id);
  });

  it('reports a closed slot as last published when it is gone from the files', () => {
    const [change] = diffOpenSlots(indexOf(slot('s1', 0)), indexOf(), publication);
    expect(change).toMatchObject({
      kind: 'SLOT_CLOSED',
      slot: { id: 's1', end: '2026-10-26T07:20:00.000Z' },
    });
  });
});

function capacity(places: number) {
  return {
    extension: [
      { url: extensionUrls.bookingDeepLink, valueUrl: 'https://p.example/b?slot=s1' },
      { url: extensionUrls.slotCapacity, valueInteger: places },
    ],
  };
}
