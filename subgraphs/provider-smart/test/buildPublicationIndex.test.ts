import { describe, expect, it } from 'vitest';
import { buildPublicationIndex } from '../src/buildPublicationIndex.js';
import type { VendorResource } from '../src/client/schemas.js';
import { extensionUrls, swedishVisitType } from '../src/mapping.js';

const location = (id: string): VendorResource => ({
  resourceType: 'Location',
  id,
  name: `Klinik ${id}`,
  address: { line: ['Gatan 1'], city: 'Uppsala' },
});
const schedule = (id: string, locationRef: string, code = 'lakarbesok'): VendorResource => ({
  resourceType: 'Schedule',
  id,
  serviceType: [{ coding: [{ system: swedishVisitType, code }] }],
  actor: [{ reference: locationRef }, { reference: 'PractitionerRole/pr-1', display: 'Dr Ek' }],
});
const slot = (
  id: string,
  scheduleRef: string,
  start: string,
  extra: object = {},
): VendorResource => ({
  resourceType: 'Slot',
  id,
  schedule: { reference: scheduleRef },
  status: 'free',
  start,
  end: start.replace(':00:00', ':20:00'),
  extension: [{ url: extensionUrls.bookingDeepLink, valueUrl: `https://p.example/b?slot=${id}` }],
  ...extra,
});
const options = { timeZone: 'Europe/Stockholm', bookingSource: 'varden' };

describe('buildPublicationIndex', () => {
  it('resolves references whatever the file order, skipping and counting dangling ones', () => {
    const index = buildPublicationIndex(
      [
        {
          type: 'Slot',
          resources: [
            slot('s2', 'Schedule/a', '2026-10-26T09:00:00+01:00'),
            slot('s1', 'Schedule/a', '2026-10-26T08:00:00+01:00'),
            slot('s3', 'Schedule/gone', '2026-10-26T08:00:00+01:00'),
            slot('s4', 'Schedule/orphan', '2026-10-26T08:00:00+01:00'),
          ],
        },
        {
          type: 'Schedule',
          resources: [schedule('a', 'Location/l1'), schedule('orphan', 'Location/closed')],
        },
        { type: 'Location', resources: [location('l1'), location('l1')] },
      ],
      options,
    );
    expect(index.openSlotsBySchedule.get('a')?.map((s) => s.id)).toEqual(['s1', 's2']);
    expect(index.slotsById.get('s1')).toMatchObject({
      clinicId: 'l1',
      start: '2026-10-26T07:00:00.000Z',
      end: '2026-10-26T07:20:00.000Z',
      practitioner: { id: 'pr-1', name: 'Dr Ek' },
      bookingUrl: 'https://p.example/b?slot=s1&source=varden',
      treatmentIds: ['general-practitioner'],
    });
    // The orphan schedule (unknown Location) and slot s3 (unknown Schedule); s4 goes with its schedule.
    expect(index.counts).toMatchObject({ unknownReferences: 2, duplicateIds: 1, openSlots: 2 });
    expect(index.slotsById.has('s4')).toBe(false);
    expect(index.clinics).toHaveLength(1);
    expect(index.clinics[0]?.treatmentIds).toEqual(['general-practitioner']);
  });

  it('indexes busy, linkless, full and unmapped slots for lookup but offers none of them', () => {
    const index = buildPublicationIndex(
      [
        { type: 'Location', resources: [location('l1')] },
        {
          type: 'Schedule',
          resources: [schedule('a', 'Location/l1'), schedule('h', 'Location/l1', 'horsel')],
        },
        {
          type: 'Slot',
          resources: [
            slot('busy', 'Schedule/a', '2026-10-26T08:00:00Z', { status: 'busy' }),
            slot('held', 'Schedule/a', '2026-10-26T08:00:00Z', { status: 'busy-tentative' }),
            slot('nolink', 'Schedule/a', '2026-10-26T08:00:00Z', { extension: [] }),
            slot('full', 'Schedule/a', '2026-10-26T08:00:00Z', {
              extension: [
                { url: extensionUrls.bookingDeepLink, valueUrl: 'https://p.example/b' },
                { url: extensionUrls.slotCapacity, valueInteger: 0 },
              ],
            }),
            slot('unmapped', 'Schedule/h', '2026-10-26T08:00:00Z'),
            slot('backwards', 'Schedule/a', '2026-10-26T08:00:00Z', {
              end: '2026-10-26T07:00:00Z',
            }),
            slot('error', 'Schedule/a', '2026-10-26T08:00:00Z', { status: 'entered-in-error' }),
          ],
        },
      ],
      options,
    );
    expect(index.counts.openSlots).toBe(0);
    expect(index.slotsById.get('busy')?.status).toBe('BOOKED');
    expect(index.slotsById.get('held')?.status).toBe('HELD');
    expect(index.slotsById.get('full')?.capacity).toBe(0);
    expect(index.slotsById.get('unmapped')?.treatmentIds).toEqual([]);
    expect(index.counts).toMatchObject({
      slotsWithoutBookingLink: 1,
      unmappedSchedules: 1,
      invalidTimes: 1,
      unknownStatuses: 1,
    });
    expect(index.treatments.map((t) => t.id)).toEqual(['general-practitioner']);
  });
});
