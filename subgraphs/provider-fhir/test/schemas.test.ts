import { describe, expect, it } from 'vitest';
import {
  fhirInstant,
  fhirResources,
  searchsetSchema,
  transactionResponseSchema,
} from '../src/client/schemas.js';

const slot = {
  resourceType: 'Slot',
  id: 'slot-1',
  meta: { versionId: 'abc', lastUpdated: '2026-10-19T08:00:00.000Z' },
  schedule: { reference: 'Schedule/s1' },
  status: 'free',
  start: '2026-10-20T08:00:00+02:00',
  end: '2026-10-20T08:20:00+02:00',
  comment: 'kept',
  identifier: [{ value: 'also kept' }],
};

describe('FHIR schemas', () => {
  it('accepts instants with Z or an offset, and refuses ones without, or dates', () => {
    for (const ok of [
      '2026-10-25T02:30:00+01:00',
      '2026-10-25T00:30:00Z',
      '2026-10-25T00:30:00.123Z',
    ]) {
      expect(fhirInstant.safeParse(ok).success).toBe(true);
    }
    for (const bad of ['2026-10-25T02:30:00', '2026-10-25', '2026-13-25T02:30:00Z', '25/10/2026']) {
      expect(fhirInstant.safeParse(bad).success).toBe(false);
    }
  });

  it('keeps the elements it does not check, so a read resource can be written back whole', () => {
    expect(fhirResources.Slot.parse(slot)).toEqual(slot);
  });

  it('refuses a Slot without a version (no safe update) or with an unknown status', () => {
    expect(fhirResources.Slot.safeParse({ ...slot, meta: {} }).success).toBe(false);
    expect(fhirResources.Slot.safeParse({ ...slot, status: 'maybe' }).success).toBe(false);
    expect(fhirResources.Slot.safeParse({ ...slot, start: '2026-10-20T08:00:00' }).success).toBe(
      false,
    );
  });

  it('reads Appointment statuses and extensions', () => {
    const parsed = fhirResources.Appointment.parse({
      resourceType: 'Appointment',
      id: 'a1',
      meta: { versionId: '1' },
      status: 'pending',
      participant: [{ actor: { reference: 'Location/l1' }, status: 'accepted' }],
      extension: [
        { url: 'urn:booking-platform:hold-expires', valueInstant: '2026-10-19T08:05:00Z' },
      ],
    });
    expect(parsed.extension?.[0]?.valueInstant).toBe('2026-10-19T08:05:00Z');
    expect(fhirResources.Appointment.safeParse({ ...parsed, status: 'done' }).success).toBe(false);
  });

  it('reads searchsets with match, include and outcome entries, and transaction responses', () => {
    const page = searchsetSchema.parse({
      resourceType: 'Bundle',
      type: 'searchset',
      total: 1,
      link: [{ relation: 'self', url: 'x' }],
      entry: [
        { resource: slot, search: { mode: 'match' } },
        { resource: { resourceType: 'Schedule', id: 's1' }, search: { mode: 'include' } },
        { resource: { resourceType: 'OperationOutcome', issue: [] }, search: { mode: 'outcome' } },
      ],
    });
    expect(page.entry).toHaveLength(3);
    expect(searchsetSchema.safeParse({ ...page, type: 'collection' }).success).toBe(false);
    expect(
      transactionResponseSchema.safeParse({
        resourceType: 'Bundle',
        type: 'transaction-response',
        entry: [{ response: { status: '201 Created', location: 'Appointment/a1/_history/1' } }],
      }).success,
    ).toBe(true);
  });
});
